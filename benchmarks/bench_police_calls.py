"""Calls for service at city scale: import 1,000,000 CAD records, then response-time
percentiles over 10,000,000 calls.

1. ``civica.police.synthetic.write_calls`` writes 1,000,000 **synthetic** calls (a year, 12
   sectors, the ``civica`` preset) — generation is not timed;
2. the import is timed as Cívica runs it: ``civica.sources.cad.read_cad`` (every cell checked:
   folios unique, date-times, CNIE codes, genuine, times in order; Parquet written) and the
   warehouse's atomic ``publish_if_changed``;
3. the 1,000,000-call snapshot is repeated ten times (folios made unique, a year apart, the
   stored month recomputed) into a 10,000,000-call Parquet file, and
   ``civica.warehouse.calls.response_times`` (median and 90th percentile of capture and
   dispatch, shares within 90 s and 120 s, median arrival) is timed grouped by sector, hour
   and month, and over all calls: the median of five runs of each, wall-clock and CPU time
   of the process (DuckDB's threads included), **cold** (computed from the file: what the
   first question on a new import, or a new standard, waits) and **warm** (the answer kept
   for the snapshot: the same question again);
4. the peer: the query as it was before the grouping keys were stored (keys computed from
   the reception time per row), cold only.

The machine's load average is printed before and after: the figures are only comparable
under similar load.

Example::

    python benchmarks/bench_police_calls.py --calls 1000000 --repeat 10
"""

from __future__ import annotations

import argparse
import os
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
    from civica.warehouse import calls
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
                f"SELECT * REPLACE (folio || '-{i}' AS folio, "  # noqa: S608
                f"received + INTERVAL {i} YEAR AS received, "
                f"strftime(received + INTERVAL {i} YEAR, '%Y-%m') AS month) "
                f"FROM read_parquet('{target}')"
                for i in range(args.repeat)
            )
            db.execute(f"COPY ({parts}) TO '{big}' (FORMAT parquet, COMPRESSION zstd)")
            rows = db.execute("SELECT count(*) FROM read_parquet(?)", [str(big)]).fetchone()[0]

        def timed(run) -> tuple[float, float, object]:
            wall, cpu = time.perf_counter(), time.process_time()
            value = run()
            return time.perf_counter() - wall, time.process_time() - cpu, value

        def report(label, runs):
            walls = [w for w, _c, _v in runs]
            cpus = [c for _w, c, _v in runs]
            print(
                f"  {label:22}: {statistics.median(walls):.2f} s wall, "
                f"{statistics.median(cpus):.2f} s CPU ({len(runs[-1][2])} groups)"
            )

        print(f"percentiles over {rows:,} calls (median of 5 runs), load {os.getloadavg()}:")
        for by in ("all", "sector", "hour", "month"):

            def ask(by=by):
                return calls.response_times(big, by=by, capture_standard=90, dispatch_standard=120)

            cold = []
            for _ in range(5):
                calls._response_times.cache_clear()
                cold.append(timed(ask))
            warm = [timed(ask) for _ in range(5)]
            report(f"by {by} cold", cold)
            report(f"by {by} warm", warm)
        print(f"peer: keys computed per row, 64-bit intervals (before), load {os.getloadavg()}:")
        old = folder / "calls_10x_before.parquet"
        with duckdb.connect() as db:
            db.execute(
                "COPY (SELECT * EXCLUDE (hour, weekday, month) REPLACE ("  # noqa: S608
                "capture_s::BIGINT AS capture_s, dispatch_s::BIGINT AS dispatch_s, "
                f"arrival_s::BIGINT AS arrival_s) FROM read_parquet('{big}')) "
                f"TO '{old}' (FORMAT parquet, COMPRESSION zstd)"
            )
        for by in ("all", "sector", "hour", "month"):

            def before(by=by):
                calls._response_times.cache_clear()
                return calls.response_times(old, by=by, capture_standard=90, dispatch_standard=120)

            report(f"by {by} before", [timed(before) for _ in range(5)])
        print(f"load after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
