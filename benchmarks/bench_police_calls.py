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
   and month, and over all calls: ``--rounds`` runs of each (medians and ranges), wall and
   CPU time of the process (``_measure.call``: DuckDB's threads included), **cold**
   (computed from the file: what the first question on a new import, or a new standard,
   waits) and **warm** (the answer kept for the snapshot: the same question again);
4. the peer: the query as it was before the grouping keys were stored (keys computed from
   the reception time per row), cold only, taking turns with civica's cold run (civica,
   peer, civica, peer, …) so that a change in the machine's load falls on both alike.

The first line says on what machine, at what load; every run's load average is in the
table; the process's peak resident memory is printed at the end.

Example::

    python benchmarks/bench_police_calls.py --calls 1000000 --repeat 10
    python benchmarks/bench_police_calls.py --calls 100000 --repeat 2 --rounds 3
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import _measure
import duckdb


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=5, help="runs of each question")
    args = parser.parse_args()
    print(_measure.machine("Calls for service: import and response-time percentiles"), flush=True)

    from civica.police.synthetic import write_calls
    from civica.sources.cad import read_cad
    from civica.warehouse import calls
    from civica.warehouse.store import Warehouse

    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        made, csv = _measure.call(
            "generate", lambda: write_calls(folder / "cad.csv", args.calls, seed=7)
        )
        print(
            f"generated {args.calls:,} calls ({csv.stat().st_size / 1e6:.0f} MB) "
            f"in {made.wall:.1f} s (not part of the import)"
        )

        store = Warehouse(folder / "warehouse")

        def ingest():
            target = store.new_file("cad-calls-02002", "2024-12")
            source = read_cad(csv, output=target, municipality_code="02002")
            store.publish_if_changed(
                dataset="cad-calls-02002", cut="2024-12", file=target, rows=source.rows, source=csv
            )
            return target, source

        imported, (target, source) = _measure.call("import", ingest)
        print(
            f"import of {source.rows:,} calls (checked, written, published): "
            f"wall {imported.wall:.1f} s, CPU {imported.cpu:.1f} s (load {imported.load:.1f})"
        )

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
        old = folder / "calls_10x_before.parquet"
        with duckdb.connect() as db:
            db.execute(
                "COPY (SELECT * EXCLUDE (hour, weekday, month) REPLACE ("  # noqa: S608
                "capture_s::BIGINT AS capture_s, dispatch_s::BIGINT AS dispatch_s, "
                f"arrival_s::BIGINT AS arrival_s) FROM read_parquet('{big}')) "
                f"TO '{old}' (FORMAT parquet, COMPRESSION zstd)"
            )

        table = []
        for by in ("all", "sector", "hour", "month"):

            def ask(path, by=by):
                return calls.response_times(path, by=by, capture_standard=90, dispatch_standard=120)

            def cold(path, by=by):
                calls._response_times.cache_clear()
                return ask(path)

            questions = {
                f"by {by}, civica cold": lambda cold=cold: cold(big),
                f"by {by}, peer (keys per row, before)": lambda cold=cold: cold(old),
            }
            runs, groups = _measure.alternate(questions, args.rounds)
            ask(big)  # the answer kept for the snapshot
            runs[f"by {by}, civica warm"] = [
                _measure.call("warm", lambda: ask(big))[0] for _ in range(args.rounds)
            ]
            groups[f"by {by}, civica warm"] = ask(big)
            table += [
                [name, len(groups[name]), *_measure.summary_row(measured, 3)]
                for name, measured in runs.items()
            ]
        print(f"percentiles over {rows:,} calls, {args.rounds} runs each:")
        print(_measure.table(["question", "groups", *_measure.MEASURE_HEADER], table))
        print(f"peak RSS of the process (every run): {_measure.peak_mb():,.0f} MB")


if __name__ == "__main__":
    main()
