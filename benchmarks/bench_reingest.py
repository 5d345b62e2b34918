"""Disk and time of re-ingesting the same SESNSP file and cut several times.

Runs :func:`civica.official.services.store_sesnsp` (the warehouse half of
``civica ingest sesnsp``) ``--runs`` times on one file and cut into an empty warehouse, then
reports the snapshot files left, their size, the time of the first and of the repeated
ingests, and (where the warehouse has it) what ``civica warehouse prune --grace-minutes 0``
frees. Run it with ``PYTHONPATH`` pointing at another checkout to measure that code.

Example::

    python benchmarks/bench_reingest.py \\
        ../shared/data/sesnsp_estatal/IDEFC_NM_estatal_2015-2024.csv.gz --cut 2024-11 --runs 8
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", type=Path, help="a SESNSP file")
    parser.add_argument("--cut", required=True, help="publication cut, YYYY-MM")
    parser.add_argument("--runs", type=int, default=8)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        os.environ["CIVICA_HOME"] = home
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civica.settings")
        import django

        django.setup()
        from django.test import override_settings

        from civica.official import services

        root = Path(home) / "warehouse"
        times = []
        with override_settings(CIVICA_WAREHOUSE_DIR=str(root)):
            for _ in range(args.runs):
                start = time.perf_counter()
                services.store_sesnsp(path=args.source, cut=args.cut)
                times.append(time.perf_counter() - start)
            files = list((root / "snapshots").rglob("*.parquet"))
            size = sum(f.stat().st_size for f in files)
            print(f"file: {args.source.name}, cut {args.cut}, {args.runs} ingests")
            repeats = statistics.median(times[1:]) if len(times) > 1 else float("nan")
            print(f"first ingest {times[0]:.2f} s; repeats median {repeats:.2f} s")
            print(f"snapshot files left: {len(files)}, {size / 1e6:.1f} MB")
            store = services.warehouse()
            if hasattr(store, "prune"):
                removed = store.prune(grace=timedelta(0))
                print(f"prune --grace-minutes 0 removed {len(removed)} files")


if __name__ == "__main__":
    sys.exit(main())
