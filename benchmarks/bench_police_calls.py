"""Calls for service at city scale: import 1,000,000 CAD records, then response-time
percentiles over 10,000,000 calls.

1. ``civica.police.synthetic.write_calls`` writes 1,000,000 **synthetic** calls (a year, 12
   sectors, the ``civica`` preset) — generation is not timed;
2. the import is timed as Cívica runs it: ``civica.sources.cad.read_cad`` (every cell checked:
   folios unique, date-times, CNIE codes, genuine, times in order; Parquet written) and the
   warehouse's atomic ``publish_if_changed``;
3. the 1,000,000-call snapshot is repeated ten times (folios made unique, a year apart) into a
   10,000,000-call Parquet file, and ``civica.warehouse.calls.response_times`` (median and
   90th percentile of capture and dispatch, shares within 90 s and 120 s) is timed grouped by
   sector, hour and month, and over all calls: the median of five runs of each.

Example::

    python benchmarks/bench_police_calls.py --calls 1000000 --repeat 10
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import duckdb


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()

    from civica.police.synthetic import write_calls
    from civica.sources.cad import read_cad
    from civica.warehouse.calls import response_times
    from civica.warehouse.store import Warehouse

    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        started = time.perf_counter()
        csv = write_calls(folder / "cad.csv", args.calls, seed=7)
        print(
            f"generated {args.calls:,} calls ({csv.stat().st_size / 1e6:.0f} MB) "
            f"in {time.perf_counter() - started:.1f} s (not part of the import)"
        )

        store = Warehouse(folder / "warehouse")
        started = time.perf_counter()
        target = store.new_file("cad-calls-02002", "2024-12")
        source = read_cad(csv, output=target, municipality_code="02002")
        store.publish_if_changed(
            dataset="cad-calls-02002", cut="2024-12", file=target, rows=source.rows, source=csv
        )
        imported = time.perf_counter() - started
        print(f"import of {source.rows:,} calls (checked, written, published): {imported:.1f} s")

        big = folder / "calls_10x.parquet"
        with duckdb.connect() as db:
            parts = " UNION ALL ".join(
                f"SELECT folio || '-{i}' AS folio, received + INTERVAL {i} YEAR AS received, "  # noqa: S608
                "captured, dispatched, arrived, capture_s, dispatch_s, arrival_s, cnie_code, "
                "cnie_version, priority, genuine, sector, cuadrante, outcome, report, "
                f"municipality_code FROM read_parquet('{target}')"
                for i in range(args.repeat)
            )
            db.execute(f"COPY ({parts}) TO '{big}' (FORMAT parquet, COMPRESSION zstd)")
            rows = db.execute("SELECT count(*) FROM read_parquet(?)", [str(big)]).fetchone()[0]
        print(f"percentiles over {rows:,} calls (median of 5 runs):")
        for by in ("all", "sector", "hour", "month"):
            times = []
            for _ in range(5):
                started = time.perf_counter()
                frame = response_times(big, by=by, capture_standard=90, dispatch_standard=120)
                times.append(time.perf_counter() - started)
            print(f"  by {by:6}: {statistics.median(times):.2f} s ({len(frame)} groups)")


if __name__ == "__main__":
    main()
