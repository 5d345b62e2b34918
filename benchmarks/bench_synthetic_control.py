"""Synthetic control against pysyncon, like for like: the same V on both sides, and each
side's default way of choosing V; cold calls, in turns, with CPU time and peak memory.

Every run is a fresh process (``_measure.child``): "in call" is the first call in that
process (cold: nothing cached, no earlier solve), "wall" the whole process (interpreter,
imports, data), CPU and peak resident memory the process's. Pairs take turns (civica,
pysyncon, civica, pysyncon, …).

**Fixed V** (the solver against the solver), 100 donors × 60 months, 48 before the start:

* ``civica-v`` — :func:`civica.stats.synthetic_control.synthetic_control` with ``V = I``
  on the raw months (its default), against ``pysyncon-v`` — ``pysyncon.Synth().fit(...,
  custom_V=s²/var(x1))``, the same ``V``: pysyncon divides each month by its standard
  deviation ``s`` across units, which ``s²`` undoes; the constant ``var(x1)`` only brings
  SLSQP's objective near one, where its absolute tolerance works;
* ``civica-v2`` / ``pysyncon-v2`` — a second ``V``, recent months weighted up to twice the
  oldest (``month_weights`` in civica, ``custom_V = v·s²/var(x1)`` in pysyncon).

**Default V** (what each library does when called with its defaults):

* ``civica-gto`` against ``pysyncon-gto``: real data, homicidio doloso in the 46
  municipalities of Guanajuato (SESNSP municipal extract in the shared data), Dec 2020 –
  Nov 2025, Salamanca against the other 45 from Dec 2024. pysyncon's default runs ADH's
  nested search: Nelder–Mead over a diagonal ``V`` (``maxiter=1000``), SLSQP for the
  weights at every step. civica has no V loop: with the pre-period months as predictors
  ``V = I`` attains the minimum pre-period MSPE that the search looks for (see the module's
  docstring), so its default is one exact solve. The pre-RMSPE of both is printed;
* ``civica`` against ``pysyncon`` (with ``--long``): the same on the generated 100 × 60
  panel; pysyncon's search takes a quarter of an hour here.

**Scale** (civica only, one run each): ``civica-placebos`` (101 fits, 100 × 60),
``civica-2400`` and ``civica-2400-2`` (2,400 donors × 60 months with full placebo-in-space
inference, one and two processes), ``civica-gto-placebos`` and ``civica-national`` (every
municipality of the national extract, homicidio doloso Jan 2024 – Jun 2025).

The generated panel: log-normal municipality sizes (median ~4.5 a month, a tail into the
hundreds), common trend, seasonality with unit-specific amplitude, two latent factors,
Poisson noise (seeded); the treated unit (98th percentile of size) loses 15 % from the start.
The script fails if civica's objective is ever above pysyncon's on the same problem by more
than 1e-6 relative (it is the exact minimum).

Example::

    python benchmarks/bench_synthetic_control.py                  # fixed V, default V, scale
    python benchmarks/bench_synthetic_control.py --group fixed --rounds 5
    python benchmarks/bench_synthetic_control.py --group default --long   # + 15 min
"""

from __future__ import annotations

import argparse
import functools
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

import _measure

SEED = 2026
MONTHS = 60
PRE = 48
EFFECT = -0.15
SHARED = _measure.shared_data()
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

    from civica.sources.sesnsp import long_rows, read_sesnsp

    with tempfile.TemporaryDirectory(prefix="bench-synth-") as folder:
        output = Path(folder) / "gto.parquet"
        read_sesnsp(GTO_FILE, output=output, cut="2025-11")
        rows = duckdb.sql(
            "SELECT municipality_code, year, month, sum(value) "  # noqa: S608
            f"FROM {long_rows(repr(str(output)))} "
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


def month_weights(name: str):
    """The diagonal V of a fixed-V run over the pre-period months (None: V = I)."""
    import numpy as np

    return np.linspace(1.0, 2.0, PRE) if name.endswith("-v2") else None


def _objective(table, treated, weights, v, n_pre: int = PRE) -> float:
    """Pre-period RMSPE, weighted by the month weights ``v`` (plain RMSPE for V = I)."""
    import numpy as np

    donors = table.drop(index=treated).iloc[:, :n_pre].to_numpy()
    gap = table.loc[treated].iloc[:n_pre].to_numpy() - weights @ donors
    v = np.ones(n_pre) if v is None else v
    return float(np.sqrt(np.sum(v * gap**2) / np.sum(v)))


def _outcome(table, treated, weights, v, seconds: float, cpu: float, n_pre: int = PRE) -> dict:
    post = weights @ table.drop(index=treated).iloc[:, n_pre:].to_numpy()
    observed = float(table.loc[treated].iloc[n_pre:].sum())
    return {
        "seconds": seconds,
        "cpu_seconds": cpu,
        "weights": [float(w) for w in weights],
        "objective": _objective(table, treated, weights, v, n_pre),
        "effect": observed - float(post.sum()),
        "effect_percent": 100 * (observed / float(post.sum()) - 1),
    }


def run_pysyncon(name: str) -> dict:
    warnings.simplefilter("ignore")
    from pysyncon import Synth

    table, treated, _ = _problem(name)
    months = table.iloc[:, :PRE].T.reset_index(drop=True)
    x0, x1 = months.drop(columns=treated), months[treated]
    options = {}
    if "-v" in name:
        v = month_weights(name)
        scale = (months.std(axis=1) ** 2).to_numpy() / x1.var(ddof=0)
        options["custom_V"] = scale if v is None else v * scale
    synth = Synth()
    cpu, started = time.process_time(), time.perf_counter()
    synth.fit(X0=x0, X1=x1, Z0=x0, Z1=x1, **options)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    weights = synth.W.reindex(x0.columns) if hasattr(synth.W, "reindex") else synth.W
    weights = [float(w) for w in weights]
    import numpy as np

    weights = np.asarray(weights)
    return {
        **_outcome(table, treated, weights, month_weights(name), seconds, cpu),
        # SLSQP may end slightly off the simplex; how far, so a lower objective can be judged.
        "infeasibility": max(float(-weights.min()), abs(float(weights.sum()) - 1.0)),
    }


def run_civica(name: str) -> dict:
    from civica.stats.synthetic_control import placebo_in_space, synthetic_control

    table, treated, start = _problem(name)
    v = month_weights(name)
    if name in {"civica", "civica-v", "civica-v2", "civica-gto"}:
        cpu, started = time.process_time(), time.perf_counter()
        fit = synthetic_control(table, treated, start, month_weights=v)
        cold, cpu = time.perf_counter() - started, time.process_time() - cpu
        warm = []
        for _ in range(20):
            started = time.perf_counter()
            synthetic_control(table, treated, start, month_weights=v)
            warm.append(time.perf_counter() - started)
        return {
            **_outcome(table, treated, fit.donor_weights, v, cold, cpu),
            "warm": statistics.median(warm),
        }
    processes = 2 if name.endswith("-2") else 1
    cpu, started = time.process_time(), time.perf_counter()
    result = placebo_in_space(table, treated, start, processes=processes)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    return {
        **_outcome(
            table,
            treated,
            result.fit.donor_weights,
            None,
            seconds,
            cpu,
            table.columns.get_loc(start),
        ),
        "p_value": result.p_value,
        "rank": result.rank,
        "placebos": result.n_included,
        "skipped": len(result.skipped_constant),
    }


GROUPS = {
    "fixed": [("civica-v", "pysyncon-v"), ("civica-v2", "pysyncon-v2")],
    "default": [("civica-gto", "pysyncon-gto")],
    "scale": [
        ("civica-placebos",),
        ("civica-gto-placebos",),
        ("civica-2400",),
        ("civica-2400-2",),
        ("civica-national",),
    ],
}
LONG = ("civica", "pysyncon")  # pysyncon's default search on 100 × 60: ~15 min
LABELS = {
    "civica-v": ("fixed V = I", "100 × 60", "civica synthetic_control"),
    "pysyncon-v": ("fixed V = I", "100 × 60", "pysyncon Synth.fit(custom_V)"),
    "civica-v2": ("fixed V, recent ×2", "100 × 60", "civica synthetic_control(month_weights)"),
    "pysyncon-v2": ("fixed V, recent ×2", "100 × 60", "pysyncon Synth.fit(custom_V)"),
    "civica-gto": ("default", "GTO 45 × 60", "civica synthetic_control (exact, V = I)"),
    "pysyncon-gto": ("default", "GTO 45 × 60", "pysyncon Synth.fit (Nelder–Mead V search)"),
    "civica": ("default", "100 × 60", "civica synthetic_control (exact, V = I)"),
    "pysyncon": ("default", "100 × 60", "pysyncon Synth.fit (Nelder–Mead V search)"),
    "civica-placebos": ("scale", "100 × 60", "civica placebo_in_space (101 fits)"),
    "civica-gto-placebos": ("scale", "GTO 45 × 60", "civica placebo_in_space (46 fits)"),
    "civica-2400": ("scale", "2,400 × 60", "civica placebo_in_space, 1 process"),
    "civica-2400-2": ("scale", "2,400 × 60", "civica placebo_in_space, 2 processes"),
    "civica-national": ("scale", "MX 2,485 × 18", "civica placebo_in_space"),
}
CHILDREN = {
    name: functools.partial(run_civica if name.startswith("civica") else run_pysyncon, name)
    for name in LABELS
}


def main() -> int:
    if _measure.child_main(CHILDREN):
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--group", action="append", choices=GROUPS, help="default: all three")
    parser.add_argument("--rounds", type=int, default=3, help="turns of each fixed-V pair")
    parser.add_argument("--long", action="store_true", help="add pysyncon's search on 100 × 60")
    args = parser.parse_args()
    groups = args.group or list(GROUPS)
    print(_measure.machine("Synthetic control against pysyncon"), flush=True)
    runs: dict[str, list[_measure.Run]] = {}
    failed = 0
    with tempfile.TemporaryDirectory(prefix="bench-synth-") as folder:

        def one(name: str) -> _measure.Run:
            return _measure.self_child(__file__, name, folder=Path(folder))

        for group in groups:
            pairs = list(GROUPS[group]) + ([LONG] if group == "default" and args.long else [])
            for pair in pairs:
                rounds = args.rounds if group == "fixed" else 1
                runs.update(_measure.interleave(pair, one, rounds))
    rows = []
    for name, measured in runs.items():
        kind, problem, label = LABELS[name]
        first = measured[0].report
        rows.append(
            [
                kind,
                problem,
                label,
                _measure.spread([r.report["seconds"] for r in measured], 4),
                _measure.spread([r.report["cpu_seconds"] for r in measured], 4),
                *_measure.summary_row(measured, 1),
                f"{first['objective']:.6f}",
                f"{first['effect']:.1f} ({first['effect_percent']:.1f} %)",
            ]
        )
    print()
    print(
        _measure.table(
            [
                *["V", "problem", "run", "in call, cold (s)", "CPU in call (s)"],
                *[*_measure.MEASURE_HEADER, "pre-RMSPE (V-weighted)", "effect"],
            ],
            rows,
        )
    )
    for name, measured in runs.items():
        report = measured[0].report
        if "warm" in report:
            print(f"{name}: warm call (median of 20 in the same process) {report['warm']:.5f} s")
        if "p_value" in report:
            print(
                f"{name}: placebo p = {report['p_value']:.4f} (rank {report['rank']} of "
                f"{report['placebos'] + 1}; {report['skipped']} constant donors skipped)"
            )
    import numpy as np

    for name in runs:
        if not name.startswith("pysyncon"):
            continue
        ours = "civica" + name.removeprefix("pysyncon")
        if ours not in runs:
            continue
        a, b = runs[ours], runs[name]
        wa, wb = np.array(a[0].report["weights"]), np.array(b[0].report["weights"])
        oa, ob = a[0].report["objective"], b[0].report["objective"]
        cold = statistics.median(r.report["seconds"] for r in b) / statistics.median(
            r.report["seconds"] for r in a
        )
        print(
            f"{name} / {ours}: {cold:,.0f}× in the call (cold), "
            f"{_measure.ratio(b, a)} process wall, {_measure.ratio(b, a, 'cpu')} CPU; "
            f"max |Δw| = {np.max(np.abs(wa - wb)):.1e}; objective civica {oa:.6f}, "
            f"pysyncon {ob:.6f} (pysyncon off the simplex by {b[0].report['infeasibility']:.0e})"
        )
        if oa > ob * (1 + 1e-6):
            print("CIVICA'S OBJECTIVE IS ABOVE PYSYNCON'S: the weights are not optimal")
            failed = 1
    return failed


if __name__ == "__main__":
    sys.exit(main())
