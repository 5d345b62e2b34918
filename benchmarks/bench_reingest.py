"""Disk and time of re-ingesting the same SESNSP file and cut several times, beside a plain
DuckDB export of the same file as often.

Runs :func:`civica.official.services.store_sesnsp` (the warehouse half of ``civica ingest
sesnsp``) ``--runs`` times on one file and cut into an empty warehouse, taking turns with
the peer, a script's ``COPY (SELECT * FROM read_csv(…)) TO 'run-N.parquet'`` (no checks, one
file per run, what re-exporting a file each month leaves behind). Reports the snapshot files
left, their size, wall and CPU time of the first and the repeated ingests, and what
``civica warehouse prune --grace-minutes 0`` frees. Run it with ``PYTHONPATH`` pointing at
another checkout to measure that code.

Example::

    python benchmarks/bench_reingest.py --runs 8      # the shared state file, cut 2024-11
    python benchmarks/bench_reingest.py benchmarks/output/IDM_NM_dic25.csv --cut 2025-12 --runs 3
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

import _measure

STATE_FILE = ("sesnsp_estatal", "IDEFC_NM_estatal_2015-2024.csv.gz")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", type=Path, nargs="?", help="a SESNSP file (default: states)")
    parser.add_argument("--cut", default="2024-11", help="publication cut, YYYY-MM")
    parser.add_argument("--runs", type=int, default=8)
    args = parser.parse_args()
    source = args.source or _measure.shared_data().joinpath(*STATE_FILE)
    print(_measure.machine(f"Re-ingest {source.name}, cut {args.cut}, {args.runs} times"))
    with tempfile.TemporaryDirectory() as home, tempfile.TemporaryDirectory() as plain:
        os.environ["CIVICA_HOME"] = home
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civica.settings")
        import django

        django.setup()
        import duckdb
        from django.core.management import call_command
        from django.test import override_settings

        from civica.official import services

        call_command("migrate", verbosity=0)
        root = Path(home) / "warehouse"
        counter = iter(range(args.runs * 2))

        def copy() -> None:
            target = Path(plain) / f"run-{next(counter)}.parquet"
            duckdb.execute(
                f"COPY (SELECT * FROM read_csv(?, encoding = 'latin-1')) TO '{target}'",  # noqa: S608
                [str(source)],
            )

        with override_settings(CIVICA_WAREHOUSE_DIR=str(root)):
            alternatives = {
                "civica store_sesnsp": lambda: services.store_sesnsp(path=source, cut=args.cut),
                "peer: DuckDB COPY to Parquet": copy,
            }
            runs = _measure.interleave(
                list(alternatives),
                lambda name: _measure.call(name, alternatives[name])[0],
                args.runs,
            )
            left = {
                "civica store_sesnsp": [f.stat().st_size for f in root.rglob("*.parquet")],
                "peer: DuckDB COPY to Parquet": [
                    f.stat().st_size for f in Path(plain).glob("*.parquet")
                ],
            }
            store = services.warehouse()
            removed = store.prune(grace=timedelta(0)) if hasattr(store, "prune") else None
    rows = []
    for name, measured in runs.items():
        first, repeats = measured[0], measured[1:]
        rows.append(
            [
                name,
                len(left[name]),
                f"{sum(left[name]) / 1e6:.1f}",
                f"{first.wall:.2f} / {first.cpu:.2f}",
                f"{statistics.median(r.wall for r in repeats):.2f} / "
                f"{statistics.median(r.cpu for r in repeats):.2f}"
                if repeats
                else "–",
                _measure.spread([r.load for r in measured], 1),
            ]
        )
    print(
        _measure.table(
            [
                *["run", f"files after {args.runs} runs", "MB on disk"],
                *["first wall / CPU (s)", "repeats median wall / CPU (s)", "load (1 min)"],
            ],
            rows,
        )
    )
    if removed is not None:
        print(f"prune --grace-minutes 0 then removed {len(removed)} files")
    print(f"peak RSS of the process (both sides, in turns): {_measure.peak_mb():,.0f} MB")


if __name__ == "__main__":
    sys.exit(main())
