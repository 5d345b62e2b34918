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

Each query runs five times; the median wall time is reported, with the CPU time of the same
calls (``_measure.call``) and the load average.

Example::

    python benchmarks/generate_municipal.py --out benchmarks/output/IDM_NM_dic25.csv
    python benchmarks/bench_queries.py benchmarks/output/IDM_NM_dic25.csv
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import _measure

from civica.sources.sesnsp import MONTHS  # the published month columns

CRIME = "Homicidio doloso"
MUNICIPALITY, STATE, YEAR = "14039", "14", 2024


def median_ms(func, repeat: int = 5) -> tuple[float, float]:
    """Median wall and CPU milliseconds of ``repeat`` calls."""
    runs = [_measure.call("query", func)[0] for _ in range(repeat)]
    return (
        1000 * statistics.median(r.wall for r in runs),
        1000 * statistics.median(r.cpu for r in runs),
    )


def civica_queries(parquet: Path) -> dict[str, tuple[float, float]]:
    from civica.warehouse import sesnsp
    from civica.warehouse.sesnsp import AreaFilter, CrimeFilter

    crime = CrimeFilter("subtipo", CRIME)
    months = [(YEAR, m) for m in range(1, 13)]
    return {
        "national series": median_ms(
            lambda: sesnsp.monthly_counts(parquet, crime=crime, area=AreaFilter())
        ),
        "municipality and state by crime": median_ms(
            lambda: (
                sesnsp.monthly_by_crime(parquet, area=AreaFilter(municipality_code=MUNICIPALITY)),
                sesnsp.monthly_by_crime(parquet, area=AreaFilter(state_code=STATE)),
            )
        ),
        "state ranking": median_ms(
            lambda: sesnsp.counts_by_area(parquet, crime=crime, months=months, state_code=STATE)
        ),
    }


def pandas_queries(source: Path) -> tuple[float, dict[str, tuple[float, float]]]:
    import pandas as pd

    start = time.perf_counter()
    wide = pd.read_csv(source, encoding="latin-1", dtype={"Cve. Municipio": str})
    long = wide.melt(
        id_vars=[c for c in wide.columns if c not in MONTHS],
        value_vars=list(MONTHS),
        var_name="Mes",
        value_name="value",
    )
    load = time.perf_counter() - start
    code = long["Cve. Municipio"].str.zfill(5)
    state = code.str[:2]
    return load, {
        "national series": median_ms(
            lambda: long[long["Subtipo de delito"] == CRIME].groupby(["Año", "Mes"])["value"].sum()
        ),
        "municipality and state by crime": median_ms(
            lambda: (
                long[code == MUNICIPALITY]
                .groupby(["Subtipo de delito", "Año", "Mes"])["value"]
                .sum(),
                long[state == STATE].groupby(["Subtipo de delito", "Año", "Mes"])["value"].sum(),
            )
        ),
        "state ranking": median_ms(
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
    args = parser.parse_args()
    print(_measure.machine("Monthly questions on a full-scale municipal snapshot"), flush=True)
    from django.conf import settings

    settings.configure(USE_I18N=False)
    from civica.sources.sesnsp import read_sesnsp

    with tempfile.TemporaryDirectory() as folder:
        parquet = Path(folder) / "snapshot.parquet"
        start = time.perf_counter()
        read_sesnsp(args.source, output=parquet, cut="2025-12")
        ingest = time.perf_counter() - start
        ours = civica_queries(parquet)
        load, theirs = pandas_queries(args.source)
    print(f"file: {args.source} ({args.source.stat().st_size / 1e6:,.0f} MB)")
    print(f"civica ingest to snapshot: {ingest:.1f} s; pandas read_csv + melt: {load:.1f} s")
    rows = [
        [
            name,
            f"{ours[name][0]:,.0f} / {ours[name][1]:,.0f}",
            f"{theirs[name][0]:,.0f} / {theirs[name][1]:,.0f}",
            f"{theirs[name][0] / ours[name][0]:,.1f}×",
        ]
        for name in ours
    ]
    header = ["query", "civica wall / CPU (ms)", "pandas in memory wall / CPU (ms)", "ratio"]
    print(_measure.table(header, rows))
    print(f"load average after: {_measure.load():.1f}")


if __name__ == "__main__":
    sys.exit(main())
