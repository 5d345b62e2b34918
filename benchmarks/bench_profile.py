"""Warehouse time of one municipal profile page (``/statistics/municipalities/<cvegeo>/``).

Replays the DuckDB questions the page asks for León (11020) on the shared Guanajuato file and
the national state file: the municipality's and its state's crimes by month (priority
ranking), then for each of three crimes the municipal, state and national monthly counts and
the municipal traffic light. Median of ``--repeat`` page replays, in milliseconds. Run it with
``PYTHONPATH`` pointing at another checkout to measure that code.

Example::

    python benchmarks/bench_profile.py --data ../shared/data
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

MUNICIPALITY, STATE = "11020", "11"
CRIMES = ("Homicidio doloso", "Homicidio culposo", "Homicidio doloso")


def page(municipal: Path, state: Path) -> None:
    from civica.warehouse import sesnsp
    from civica.warehouse.sesnsp import AreaFilter, CrimeFilter

    sesnsp.monthly_by_crime(municipal, area=AreaFilter(municipality_code=MUNICIPALITY))
    sesnsp.monthly_by_crime(municipal, area=AreaFilter(state_code=STATE))
    for name in CRIMES:
        crime = CrimeFilter("subtipo", name)
        own = AreaFilter(STATE, MUNICIPALITY)
        sesnsp.monthly_counts(municipal, crime=crime, area=own)
        sesnsp.monthly_counts(state, crime=crime, area=AreaFilter(STATE))
        sesnsp.monthly_counts(state, crime=crime, area=AreaFilter())
        sesnsp.monthly_counts(municipal, crime=crime, area=own)  # the traffic light


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, required=True, help="the shared data folder")
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    from django.conf import settings

    settings.configure(USE_I18N=False)
    from civica.sources.sesnsp import read_sesnsp

    with tempfile.TemporaryDirectory() as folder:
        municipal, state = Path(folder) / "m.parquet", Path(folder) / "s.parquet"
        read_sesnsp(
            args.data / "sesnsp_municipal" / "guanajuato_homicidios_2020-2025_formato_IDM.csv",
            output=municipal,
            cut="2025-11",
        )
        read_sesnsp(
            args.data / "sesnsp_estatal" / "IDEFC_NM_estatal_2015-2024.csv.gz",
            output=state,
            cut="2024-11",
        )
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            page(municipal, state)
            times.append((time.perf_counter() - start) * 1000)
    print(
        f"profile page warehouse queries (14): median {statistics.median(times):.0f} ms, "
        f"min {min(times):.0f} ms over {args.repeat} replays"
    )


if __name__ == "__main__":
    sys.exit(main())
