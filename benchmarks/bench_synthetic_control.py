"""Time, weights and memory of civica's synthetic control, against pysyncon in the same run.

(a) **100 donors × 60 months (48 before the start)**, the same problem for both:

* ``pysyncon``: ``pysyncon.Synth().fit(X0, X1, Z0, Z1)`` with its defaults (the predictors
  are the 48 pre-period months, the outer Nelder–Mead search over a diagonal ``V`` with
  ``maxiter=1000``, SLSQP for the weights at each step), the way ADH's ``synth`` is run;
* ``pysyncon-v``: ``Synth().fit(..., custom_V=s² / var(x1))``, the weights for the one
  ``V`` that poses civica's problem (``V = I`` on the raw months; pysyncon first divides
  each month by its standard deviation ``s`` across units; the constant ``var(x1)``, the
  treated series' variance, only rescales SLSQP's objective to near one);
* ``civica``: :func:`civica.stats.synthetic_control.synthetic_control`, and
  ``civica-placebos``: :func:`~civica.stats.synthetic_control.placebo_in_space` (101 fits).

(b) **one municipality against 2,400 donors × 60 months with full placebo-in-space
inference** (2,401 fits), civica only, in one process (``civica-2400``) and in two worker
processes (``civica-2400-2``).

(c) **real data**: homicidio doloso in the 46 municipalities of Guanajuato (SESNSP
municipal file, cut November 2025, ``/work/shared/data/sesnsp_municipal``, read with
``civica.sources.sesnsp``), December 2020 – November 2025; Salamanca against the other 45
with a start in December 2024 (no intervention happened: an agreement check on real
series). ``pysyncon-gto`` (default fit) against ``civica-gto`` (fit and placebos).
``civica-national``: every municipality of Mexico (2,486 rows of the national extract, by
state and municipality name), homicidio doloso January 2024 – June 2025, Salamanca with a
start in January 2025 (12 months before, 6 after) and full placebo-in-space inference: the
real series at national scale, with their many all-zero municipalities.

The SESNSP files in the shared folder hold 46 municipalities × 71 months or 2,486 × 18
months, so (a) and (b) use a **generated** panel of monthly counts: municipality sizes
log-normal (median ~4.5 a month, a long tail into the hundreds), a common trend, seasonality
with unit-specific amplitude, two latent factors with unit loadings, Poisson noise (seeded).
The treated unit (98th percentile of size) loses 15 % of its crimes from the start on.

Each run is its own child process; the parent reads its wall time, CPU and peak resident
memory with ``os.wait4``; the child reports the seconds inside the call. The script fails
if civica's pre-RMSPE is above pysyncon's on the same problem (it is the minimum).

Example::

    python benchmarks/bench_synthetic_control.py                 # everything (~4 min)
    python benchmarks/bench_synthetic_control.py --only civica-2400 --only civica-2400-2
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

SEED = 2026
MONTHS = 60
PRE = 48
EFFECT = -0.15
SHARED = Path(os.environ.get("CIVICA_SHARED_DATA", "/work/shared/data"))
GTO_FILE = SHARED / "sesnsp_municipal" / "guanajuato_homicidios_2020-2025_formato_IDM.csv"
GTO_TREATED = "11027"  # Salamanca
NATIONAL_FILE = (
    SHARED / "sesnsp_municipal" / "violencia_homicida_municipal_nacional_2024-01_2025-06.csv.gz"
)
NATIONAL_TREATED = ("Guanajuato", "Salamanca")
NATIONAL_PRE = 12
MESES = (
    "Enero", "Febrero", "Marzo", "Abril", "Mayo", "Junio", "Julio", "Agosto", "Septiembre",
    "Octubre", "Noviembre", "Diciembre",
)  # fmt: skip


def panel(donors: int):
    """Generated units × months counts; row ``treated`` first, then ``d0000`` …"""
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(SEED)
    units = 2401  # the same units for every size: the first ``donors`` of them are used
    t = np.arange(MONTHS)
    size = rng.lognormal(1.5, 1.3, units)
    amplitude = rng.normal(0.15, 0.08, units)
    trend = np.cumsum(rng.normal(0, 0.02, MONTHS))
    factors = np.cumsum(rng.normal(0, 0.04, (2, MONTHS)), axis=1)
    loads = rng.normal(0, 1, (units, 2))
    log_rate = (
        np.log(size)[:, None]
        + amplitude[:, None] * np.sin(2 * np.pi * t / 12)[None, :]
        + trend[None, :]
        + loads @ factors
    )
    rate = np.exp(log_rate)
    treated = int(np.argsort(size)[int(0.98 * units)])
    rate[treated, PRE:] *= 1 + EFFECT
    counts = rng.poisson(rate).astype(float)
    order = [treated, *(i for i in range(units) if i != treated)][: donors + 1]
    labels = ["treated", *(f"d{i:04d}" for i in range(donors))]
    columns = pd.period_range("2021-01", periods=MONTHS, freq="M")
    return pd.DataFrame(counts[order], index=labels, columns=columns)


def guanajuato():
    """Homicidio doloso by municipality × month from the real SESNSP extract."""
    import duckdb
    import pandas as pd

    from civica.sources.sesnsp import read_sesnsp

    with tempfile.TemporaryDirectory(prefix="bench-synth-") as folder:
        output = Path(folder) / "gto.parquet"
        read_sesnsp(GTO_FILE, output=output, cut="2025-11")
        rows = duckdb.sql(
            f"SELECT municipality_code, year, month, sum(value) FROM '{output}' "  # noqa: S608
            f"WHERE subtipo = 'Homicidio doloso' GROUP BY ALL"
        ).fetchall()
    frame = pd.DataFrame(rows, columns=["code", "year", "month", "value"])
    frame["period"] = [pd.Period(year=y, month=m, freq="M") for y, m in rows_ym(frame)]
    wide = frame.pivot(index="code", columns="period", values="value").sort_index(axis=1)
    window = pd.period_range("2020-12", "2025-11", freq="M")
    return wide[window].loc[[GTO_TREATED, *(c for c in wide.index if c != GTO_TREATED)]]


def national():
    """Homicidio doloso of every municipality (names: the file has no codes), 18 months."""
    import pandas as pd

    frame = pd.read_csv(NATIONAL_FILE)
    frame["period"] = [
        pd.Period(year=int(y), month=MESES.index(m) + 1, freq="M")
        for y, m in zip(frame["Año"], frame["Mes"], strict=True)
    ]
    wide = frame.pivot_table(
        index=["Entidad", "Municipio"], columns="period", values="Homicidio doloso", aggfunc="sum"
    ).sort_index(axis=1)
    return wide.loc[[NATIONAL_TREATED, *(k for k in wide.index if k != NATIONAL_TREATED)]]


def rows_ym(frame):
    return zip(frame["year"], frame["month"], strict=True)


def _problem(name: str):
    if "national" in name:
        table = national()
        return table, NATIONAL_TREATED, table.columns[NATIONAL_PRE]
    if "gto" in name:
        table = guanajuato()
        return table, GTO_TREATED, table.columns[PRE]
    table = panel(2400 if "2400" in name else 100)
    return table, "treated", table.columns[PRE]


def _pre_rmspe(table, treated, weights) -> float:
    import numpy as np

    donors = table.drop(index=treated).iloc[:, :PRE].to_numpy()
    gap = table.loc[treated].iloc[:PRE].to_numpy() - weights @ donors
    return float(np.sqrt(np.mean(gap**2)))


def run_pysyncon(name: str) -> dict:
    warnings.simplefilter("ignore")
    import pandas as pd
    from pysyncon import Synth

    table, treated, _ = _problem(name)
    months = table.iloc[:, :PRE].T.reset_index(drop=True)
    x0, x1 = months.drop(columns=treated), months[treated]
    options = {}
    if name == "pysyncon-v":
        # s² undoes pysyncon's scaling; dividing by the treated series' variance (a constant)
        # leaves the problem unchanged but brings SLSQP's objective near one, where its
        # absolute tolerance and finite-difference gradient work.
        options["custom_V"] = (months.std(axis=1) ** 2).to_numpy() / x1.var(ddof=0)
    synth = Synth()
    started = time.perf_counter()
    synth.fit(X0=x0, X1=x1, Z0=x0, Z1=x1, **options)
    seconds = time.perf_counter() - started
    weights = pd.Series(synth.W, index=x0.columns).reindex(table.index.drop(treated))
    post = weights.to_numpy() @ table.drop(index=treated).iloc[:, PRE:].to_numpy()
    return {
        # SLSQP may end slightly off the simplex; how far, so a lower error can be judged.
        "infeasibility": max(float(-weights.min()), abs(float(weights.sum()) - 1.0)),
        "seconds": seconds,
        "weights": weights.tolist(),
        "pre_rmspe": _pre_rmspe(table, treated, weights.to_numpy()),
        "effect": float(table.loc[treated].iloc[PRE:].sum() - post.sum()),
        "effect_percent": float(100 * (table.loc[treated].iloc[PRE:].sum() / post.sum() - 1)),
    }


def run_civica(name: str) -> dict:
    from civica.stats.synthetic_control import placebo_in_space, synthetic_control

    table, treated, start = _problem(name)
    started = time.perf_counter()
    if name in {"civica", "civica-gto-fit"}:
        repeats = 20  # one fit takes milliseconds: time several
        for _ in range(repeats):
            fit = synthetic_control(table, treated, start)
        seconds = (time.perf_counter() - started) / repeats
        extra = {}
    else:
        processes = 2 if name.endswith("-2") else 1
        result = placebo_in_space(table, treated, start, processes=processes)
        seconds = time.perf_counter() - started
        fit = result.fit
        extra = {
            "p_value": result.p_value,
            "rank": result.rank,
            "placebos": result.n_included,
            "skipped": len(result.skipped_constant),
        }
    return {
        "seconds": seconds,
        "weights": fit.donor_weights.tolist(),
        "pre_rmspe": fit.pre_rmspe,
        "effect": fit.effect,
        "effect_percent": fit.effect_percent,
        "nonzero": len(fit.weights),
        "kkt": fit.kkt_violation,
        "poor_pre_fit": bool(fit.poor_pre_fit),
        **extra,
    }


CHILDREN = {
    "pysyncon": run_pysyncon,
    "pysyncon-v": run_pysyncon,
    "civica": run_civica,
    "civica-placebos": run_civica,
    "civica-2400": run_civica,
    "civica-2400-2": run_civica,
    "pysyncon-gto": run_pysyncon,
    "civica-gto-fit": run_civica,
    "civica-gto": run_civica,
    "civica-national": run_civica,
}

LABELS = {
    "pysyncon": "pysyncon Synth.fit, V search (peer)",
    "pysyncon-v": "pysyncon Synth.fit, custom_V = s²/var",
    "civica": "civica synthetic_control",
    "civica-placebos": "civica placebo_in_space (101 fits)",
    "civica-2400": "civica placebo_in_space, 1 process",
    "civica-2400-2": "civica placebo_in_space, 2 processes",
    "pysyncon-gto": "pysyncon Synth.fit, V search (peer)",
    "civica-gto-fit": "civica synthetic_control",
    "civica-gto": "civica placebo_in_space (46 fits)",
    "civica-national": "civica placebo_in_space (2,486 units)",
}


PROBLEMS = {
    "100": "100 × 60",
    "2400": "2,400 × 60",
    "gto": "GTO 45 × 60",
    "national": "MX 2,485 × 18",
}
PAIRS = (("civica", "pysyncon"), ("civica", "pysyncon-v"), ("civica-gto-fit", "pysyncon-gto"))


def measure(name: str, out: Path) -> dict:
    """Wall seconds, peak resident MB and CPU seconds of one child, plus what it reported."""
    report_file = out / f"{name}.json"
    command = [sys.executable, __file__, "--child", name, "--out", str(report_file)]
    started = time.perf_counter()
    child = subprocess.Popen(command)  # noqa: S603  (our own script, fixed arguments)
    _pid, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"the {name} run failed")
    return {
        **json.loads(report_file.read_text()),
        "wall": wall,
        "rss_mb": usage.ru_maxrss / 1024,  # Linux reports kilobytes
        "cpu": usage.ru_utime + usage.ru_stime,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", choices=CHILDREN, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--only", action="append", choices=CHILDREN, help="run only these")
    parser.add_argument("--skip", action="append", choices=CHILDREN, default=[], help="skip")
    args = parser.parse_args(argv)
    if args.child:
        args.out.write_text(json.dumps(CHILDREN[args.child](args.child)))
        return 0
    names = [name for name in args.only or CHILDREN if name not in args.skip]
    with tempfile.TemporaryDirectory(prefix="bench-synth-") as folder:
        runs = {name: measure(name, Path(folder)) for name in names}
    return report(runs)


def report(runs: dict[str, dict]) -> int:
    import numpy as np

    print(
        f"\nSynthetic control, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{datetime.date.today().isoformat()}"
    )
    print(
        f"{'run':42}{'problem':>16}{'in call (s)':>13}{'wall (s)':>10}{'CPU (s)':>9}"
        f"{'RSS (MB)':>10}{'pre-RMSPE':>11}{'effect':>10}{'%':>7}"
    )
    for name, run in runs.items():
        key = next((k for k in ("gto", "national", "2400") if k in name), "100")
        problem = PROBLEMS[key]
        print(
            f"{LABELS[name]:42}{problem:>16}{run['seconds']:>13.3f}{run['wall']:>10.1f}"
            f"{run['cpu']:>9.1f}{run['rss_mb']:>10,.0f}{run['pre_rmspe']:>11.4f}"
            f"{run['effect']:>10.1f}{run['effect_percent']:>7.1f}"
        )
        if "p_value" in run:
            print(
                f"{'':42}placebo p = {run['p_value']:.4f} (rank {run['rank']} of "
                f"{run['placebos'] + 1}; {run['skipped']} constant donors skipped); "
                f"{run['nonzero']} non-zero weights; KKT {run['kkt']:.1e}"
            )
    failed = 0
    for ours, peer in (
        ("civica", "pysyncon"),
        ("civica", "pysyncon-v"),
        ("civica-gto-fit", "pysyncon-gto"),
    ):
        if ours not in runs or peer not in runs:
            continue
        a, b = runs[ours], runs[peer]
        gap = float(np.max(np.abs(np.array(a["weights"]) - np.array(b["weights"]))))
        lower = "civica" if a["pre_rmspe"] < b["pre_rmspe"] else "pysyncon"
        if abs(a["pre_rmspe"] - b["pre_rmspe"]) <= 1e-9 * b["pre_rmspe"]:
            lower = "equal"
        print(
            f"{LABELS[peer]} / {LABELS[ours]}: {b['seconds'] / a['seconds']:,.0f}× time; "
            f"max |w_civica − w_pysyncon| = {gap:.2e}; pre-RMSPE civica {a['pre_rmspe']:.6f}, "
            f"pysyncon {b['pre_rmspe']:.6f} (lower: {lower}; pysyncon's weights off the "
            f"simplex by {b['infeasibility']:.1e})"
        )
        # The documented tolerance: pysyncon's SLSQP may trade a little feasibility for a
        # lower error, never more than 1e-6 relative.
        if a["pre_rmspe"] > b["pre_rmspe"] * (1 + 1e-6):
            print("CIVICA'S PRE-RMSPE IS ABOVE PYSYNCON'S: the weights are not optimal")
            failed = 1
    return failed


if __name__ == "__main__":
    sys.exit(main())
