"""The municipal profile page as a user meets it (``/statistics/municipalities/<cvegeo>/``),
first view and warm, against an analyst's pandas computing the page's figures.

Needs a workspace with the real shared data (the page reads the SESNSP municipal and state
snapshots, the population and the municipal boundaries)::

    CIVICA_HOME=/tmp/bench-demo python -m civica demo --data ../shared/data --no-serve
    CIVICA_HOME=/tmp/bench-demo python benchmarks/bench_profile.py --rounds 3

Runs, in turns (civica, pandas, civica, pandas, …), each in a fresh process:

* **civica-page**: Django started, a signed-in user (``--user``, default the first
  superuser), then ``GET /statistics/municipalities/11020/`` (León) through Django's test
  client: every query and all the post-processing of the view (priority ranking, the
  municipal, state and national series of the top three crimes, their traffic lights, the
  state ranking and its map) and the template. "process's first request" is Salamanca's
  page, the first request of the process (the imports Django's start-up deferred, the
  warehouse connection); "first view" then León's page, the first time it is asked for in
  that running process; "warm" the median of ``--warm`` more;
* **civica-served** (with ``--served``): the same, in a process started as ``civica serve``
  starts it: ``civica.web.warm.warm()`` before the first request (its CPU time reported
  apart), so the process's first request pays no deferred imports;
* **pandas-notebook** (peer): the shared files the page's snapshots come from, read and
  melted with pandas ("first": read + melt + figures), then the page's figures from the
  frames in memory ("warm"): monthly counts by crime for the municipality and its state,
  yearly counts of the top three crimes for the municipality, state and nation, the
  last month against the same month of the three years before, and the state's
  municipalities ranked for the last complete year. Sums only: no rates, intervals or
  notes, so it does less than the page.

Wall and CPU time of each request or step are taken inside the child (``_measure.call``),
peak memory is the child's.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

import _measure

MUNICIPALITY = "11020"  # León, Guanajuato
URL = f"/statistics/municipalities/{MUNICIPALITY}/"
OTHER = "/statistics/municipalities/11027/"  # Salamanca: the process's first request
MESES = (
    "Enero", "Febrero", "Marzo", "Abril", "Mayo", "Junio", "Julio", "Agosto", "Septiembre",
    "Octubre", "Noviembre", "Diciembre",
)  # fmt: skip


def _timings(first: _measure.Run, warm: list[_measure.Run]) -> dict:
    return {
        "first_wall": first.wall,
        "first_cpu": first.cpu,
        "warm_wall": statistics.median(r.wall for r in warm),
        "warm_cpu": statistics.median(r.cpu for r in warm),
        "warm_min": min(r.wall for r in warm),
    }


def run_page(user: str, warm: str, served: bool = False) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civica.settings")
    import django

    django.setup()
    warmed = None
    if served:  # as `civica serve` starts: the deferred imports paid before any request
        from civica.web.warm import warm as warm_up

        warmed, _names = _measure.call("warm-up", warm_up)
    from django.contrib.auth import get_user_model
    from django.test import Client

    users = get_user_model().objects
    account = users.get(username=user) if user else users.filter(is_superuser=True).first()
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(account)

    def get(url=URL):
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
        return response

    # The process's first request pays the imports the start-up deferred (pandas, SciPy,
    # DuckDB) and opens the warehouse connection: another municipality's page, so that León's
    # first view below is a first view in a running server.
    started, _response = _measure.call("process", lambda: get(OTHER))
    first, response = _measure.call("first", get)
    warm_runs = [_measure.call("warm", get)[0] for _ in range(int(warm))]
    return {
        **_timings(first, warm_runs),
        "process_wall": started.wall,
        "process_cpu": started.cpu,
        "warmup_cpu": warmed.cpu if warmed else None,
        "bytes": len(response.content),
    }


def run_served(user: str, warm: str) -> dict:
    return run_page(user, warm, served=True)


def run_pandas(_user: str, warm: str) -> dict:
    import pandas as pd

    data = _measure.shared_data()
    municipal_file = data / "sesnsp_municipal" / "guanajuato_homicidios_2020-2025_formato_IDM.csv"
    state_file = data / "sesnsp_estatal" / "IDEFC_NM_estatal_2015-2024.csv.gz"

    def load():
        municipal = pd.read_csv(municipal_file, dtype={"Cve. Municipio": str})
        state = pd.read_csv(state_file, encoding="latin-1")
        frames = []
        for frame in (municipal, state):
            ids = [c for c in frame.columns if c not in MESES]
            long = frame.melt(id_vars=ids, value_vars=list(MESES), var_name="mes", value_name="n")
            long = long.dropna(subset=["n"])
            long["mes"] = long["mes"].map({m: i for i, m in enumerate(MESES, start=1)})
            frames.append(long)
        frames[0]["cvegeo"] = frames[0]["Cve. Municipio"].str.zfill(5)
        return frames

    def figures(frames):
        municipal, state = frames
        keys = ["Subtipo de delito", "Año", "mes"]
        own = municipal[municipal["cvegeo"] == MUNICIPALITY].groupby(keys)["n"].sum()
        in_state = municipal.groupby(keys)["n"].sum()
        totals = own.groupby("Subtipo de delito").sum().sort_values(ascending=False)
        out = {}
        for crime in totals.index[:3]:
            series = own.loc[crime]
            yearly = [
                series.groupby("Año").sum(),
                state[(state["Clave_Ent"] == 11) & (state["Subtipo de delito"] == crime)]
                .groupby("Año")["n"]
                .sum(),
                state[state["Subtipo de delito"] == crime].groupby("Año")["n"].sum(),
            ]
            (year, month), last = series.index[-1], series.iloc[-1]
            baseline = [series.get((year - k, month), 0) for k in (1, 2, 3)]
            complete = [y for y, g in series.groupby("Año") if len(g) == 12]
            ranking = (
                municipal[
                    (municipal["Subtipo de delito"] == crime) & (municipal["Año"] == complete[-1])
                ]
                .groupby("cvegeo")["n"]
                .sum()
                .sort_values(ascending=False)
            )
            out[crime] = (yearly, last - sum(baseline) / 3, ranking)
        return in_state, out

    first, frames = _measure.call("first", load)
    first_figures, _ = _measure.call("first figures", lambda: figures(frames))
    first.wall += first_figures.wall
    first.cpu += first_figures.cpu
    warm_runs = [_measure.call("warm", lambda: figures(frames))[0] for _ in range(int(warm))]
    return _timings(first, warm_runs)


CHILDREN = {"civica-page": run_page, "pandas-notebook": run_pandas, "civica-served": run_served}
LABELS = {
    "civica-page": "civica: GET the profile page (all queries, post-processing, template)",
    "civica-served": "civica, as `civica serve` starts (imports paid before the first request)",
    "pandas-notebook": "pandas: read + melt the files, then the page's sums (peer)",
}


def main() -> int:
    if _measure.child_main(CHILDREN):
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--user", default="", help="account to sign in (default: a superuser)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--warm", type=int, default=10, help="warm requests after the first")
    parser.add_argument(
        "--served",
        action="store_true",
        help="also a process started as `civica serve` starts (civica.web.warm first)",
    )
    args = parser.parse_args()
    names = ["civica-page", "pandas-notebook", *(["civica-served"] if args.served else [])]
    if "CIVICA_HOME" not in os.environ:
        raise SystemExit("set CIVICA_HOME to a workspace made by `civica demo --data …`")
    print(_measure.machine(f"Municipal profile page {URL}"), flush=True)
    with tempfile.TemporaryDirectory(prefix="bench-profile-") as folder:
        runs = _measure.interleave(
            names,
            lambda name: _measure.self_child(
                __file__, name, args.user, str(args.warm), folder=Path(folder)
            ),
            args.rounds,
        )
    rows = []
    for name, measured in runs.items():
        reports = [r.report for r in measured]

        def cell(key, reports=reports):
            return _measure.spread([1000 * r[key] for r in reports], 0)

        rows.append(
            [
                LABELS[name],
                cell("first_wall"),
                cell("first_cpu"),
                cell("warm_wall"),
                cell("warm_cpu"),
                _measure.spread([r.peak_mb for r in measured], 0),
                _measure.spread([r.load for r in measured], 1),
            ]
        )
    print()
    print(
        _measure.table(
            [
                *["run", "first view (ms)", "first CPU (ms)", "warm (ms)", "warm CPU (ms)"],
                *["process peak RSS (MB)", "load (1 min)"],
            ],
            rows,
        )
    )
    page = runs["civica-page"][0].report
    print(f"page size {page['bytes'] / 1e3:,.0f} kB; warm = median of {args.warm} requests")
    for name in ("civica-page", "civica-served"):
        first = [r.report for r in runs.get(name, [])]
        if not first:
            continue
        warmed = [r["warmup_cpu"] for r in first if r.get("warmup_cpu") is not None]
        print(
            f"{name}: the process's first request (another municipality): wall "
            + _measure.spread([1000 * r["process_wall"] for r in first], 0)
            + " ms, CPU "
            + _measure.spread([1000 * r["process_cpu"] for r in first], 0)
            + " ms"
            + (
                f"; warm-up at start CPU {_measure.spread([1000 * w for w in warmed], 0)} ms"
                if warmed
                else ""
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
