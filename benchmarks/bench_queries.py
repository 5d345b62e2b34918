"""Query times on a full-scale municipal warehouse snapshot, against pandas in memory.

The three questions an analyst asks every month, answered (a) by Cívica's DuckDB queries over
the tidy Parquet snapshot (what the CLI, API and pages run) and (b) by pandas over the same
data already loaded and melted in memory (the analyst's notebook; its load time is reported
separately, since a notebook pays it once per session):

* national series: monthly homicidio doloso for the whole country;
* municipality and state by crime: every crime by month for one municipality and for its
  state (the two queries behind the priority-crime ranking; the whole profile page, with all
  its queries, post-processing and template, is ``bench_profile.py``);
* state ranking: homicidio doloso per municipality of one state over a year.

Each query runs ``--repeat`` times (5), Cívica's and pandas' in turns (A, B, A, B, …, so that
a change in the machine's load falls on both alike); the median wall time is reported, with
the CPU time of the same calls (``_measure.call``) and the load average. The ingest and the
pandas load are timed the same way; the first line says on what machine, and the process's
peak resident memory (pandas' frame included) is printed at the end.

Example::

    python benchmarks/generate_municipal.py --out benchmarks/output/IDM_NM_dic25.csv
    python benchmarks/bench_queries.py benchmarks/output/IDM_NM_dic25.csv
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

import _measure

from civica.sources.sesnsp import MONTHS  # the published month columns

CRIME = "Homicidio doloso"
MUNICIPALITY, STATE, YEAR = "14039", "14", 2024


def civica_queries(parquet: Path) -> dict:
    from civica.warehouse import sesnsp
    from civica.warehouse.sesnsp import AreaFilter, CrimeFilter

    crime = CrimeFilter("subtipo", CRIME)
    months = [(YEAR, m) for m in range(1, 13)]
    return {
        "national series": (lambda: sesnsp.monthly_counts(parquet, crime=crime, area=AreaFilter())),
        "municipality and state by crime": (
            lambda: (
                sesnsp.monthly_by_crime(parquet, area=AreaFilter(municipality_code=MUNICIPALITY)),
                sesnsp.monthly_by_crime(parquet, area=AreaFilter(state_code=STATE)),
            )
        ),
        "state ranking": (
            lambda: sesnsp.counts_by_area(parquet, crime=crime, months=months, state_code=STATE)
        ),
    }


def pandas_queries(source: Path) -> tuple[_measure.Run, dict]:
    import pandas as pd

    def read():
        wide = pd.read_csv(source, encoding="latin-1", dtype={"Cve. Municipio": str})
        return wide.melt(
            id_vars=[c for c in wide.columns if c not in MONTHS],
            value_vars=list(MONTHS),
            var_name="Mes",
            value_name="value",
        )

    load, long = _measure.call("pandas read_csv + melt", read)
    code = long["Cve. Municipio"].str.zfill(5)
    state = code.str[:2]
    return load, {
        "national series": (
            lambda: long[long["Subtipo de delito"] == CRIME].groupby(["Año", "Mes"])["value"].sum()
        ),
        "municipality and state by crime": (
            lambda: (
                long[code == MUNICIPALITY]
                .groupby(["Subtipo de delito", "Año", "Mes"])["value"]
                .sum(),
                long[state == STATE].groupby(["Subtipo de delito", "Año", "Mes"])["value"].sum(),
            )
        ),
        "state ranking": (
            lambda: (
                long[
                    (state == STATE) & (long["Año"] == YEAR) & (long["Subtipo de delito"] == CRIME)
                ]
                .groupby(code)["value"]
                .sum()
            )
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", type=Path, help="a municipal file (generate_municipal.py)")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each query")
    args = parser.parse_args()
    print(_measure.machine("Monthly questions on a full-scale municipal snapshot"), flush=True)
    from django.conf import settings

    settings.configure(USE_I18N=False)
    from civica.sources.sesnsp import read_sesnsp

    rows = []
    with tempfile.TemporaryDirectory() as folder:
        parquet = Path(folder) / "snapshot.parquet"
        ingest, _ = _measure.call(
            "ingest", lambda: read_sesnsp(args.source, output=parquet, cut="2025-12")
        )
        ours = civica_queries(parquet)
        load, theirs = pandas_queries(args.source)
        for name in ours:
            runs, _answers = _measure.alternate(
                {"civica": ours[name], "pandas": theirs[name]}, args.repeat
            )

            def ms(side: str, attribute: str, runs=runs) -> float:
                return 1000 * statistics.median(getattr(r, attribute) for r in runs[side])

            rows.append(
                [
                    name,
                    f"{ms('civica', 'wall'):,.0f} / {ms('civica', 'cpu'):,.0f}",
                    f"{ms('pandas', 'wall'):,.0f} / {ms('pandas', 'cpu'):,.0f}",
                    _measure.ratio(runs["pandas"], runs["civica"]),
                    _measure.ratio(runs["pandas"], runs["civica"], "cpu"),
                    _measure.spread([r.load for side in runs.values() for r in side], 1),
                ]
            )
    print(f"file: {args.source} ({args.source.stat().st_size / 1e6:,.0f} MB)")
    print(
        f"civica ingest to snapshot: {ingest.wall:.1f} s wall, {ingest.cpu:.1f} s CPU; "
        f"pandas read_csv + melt: {load.wall:.1f} s wall, {load.cpu:.1f} s CPU"
    )
    header = ["query", "civica wall / CPU (ms)", "pandas in memory wall / CPU (ms)"]
    header += ["ratio wall", "ratio CPU", "load (1 min)"]
    print(_measure.table(header, rows))
    print(f"peak RSS of the process (pandas' frame included): {_measure.peak_mb():,.0f} MB")


if __name__ == "__main__":
    sys.exit(main())
