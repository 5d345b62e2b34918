"""Time and peak memory of the Knox near-repeat test, against pointpats' Knox.

Seeded synthetic events, uniform in a 40 × 50 km box (about the extent of Mexico City) over
one year of whole days, 999 permutations everywhere:

(a) **5,000 events**, against the peer:

* ``pointpats``: ``pointpats.spacetime.Knox(s, t, delta=1000, tau=27, permutations=999)``.
  Its API takes one distance threshold and one time threshold (pairs with distance
  ``<= delta`` and gap ``<= tau``), so it answers one cell;
* ``civica-pair``: :func:`civica.stats.knox` on the same single pair of bands,
  ``distance_bands=(0, 1000)``, ``time_bands=(0, 28)`` (half-open: distance < 1,000 m and
  gap < 28 days, i.e. <= 27 whole days: the same pairs);
* ``civica-bands``: :func:`civica.stats.knox` on the full band set, distance
  ``(0, 1, 200, 400, 600, 800, 1000)`` m × time ``(0, 7, …, 56)`` days (48 cells).

(b) **100,000 events**, civica only, the full band set (``civica-100k``; and
``civica-100k-1`` with ``workers=1``, to show what the second thread brings).

Each run is its own child process (``_measure.child``), the runs taking turns (pointpats,
civica-pair, …, then again for ``--repeat`` rounds). The parent times the child (wall,
including start-up and imports) and reads the child's peak resident memory and CPU time
with ``os.wait4``; the child also reports the seconds spent in the test itself. The first
line says on what machine, at what load, and every row the load its runs started at. The
observed count of ``civica-pair`` must equal pointpats' statistic, and the script fails if
it does not.

Example::

    python benchmarks/bench_knox.py            # everything, once
    python benchmarks/bench_knox.py --repeat 3 --only civica-100k
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from pathlib import Path

import _measure

BOX = (40_000.0, 50_000.0)
DISTANCE = (0, 1, 200, 400, 600, 800, 1000)
TIME = tuple(range(0, 57, 7))
PERMUTATIONS = 999
SEED = 2026


def events(n: int):
    import numpy as np

    rng = np.random.default_rng(SEED)
    x = rng.uniform(0, BOX[0], n)
    y = rng.uniform(0, BOX[1], n)
    t = rng.integers(0, 365, n)
    return x, y, t


def _civica(n: int, distance, time_bands, workers: int | None = None) -> dict:
    from civica.stats import knox

    x, y, t = events(n)
    run, result = _measure.call(
        "civica",
        lambda: knox(
            x,
            y,
            t,
            distance_bands=distance,
            time_bands=time_bands,
            permutations=PERMUTATIONS,
            workers=workers,
        ),
    )
    return {
        "seconds": run.wall,
        "cpu_in_test": run.cpu,
        "observed": int(result.observed.sum()),
        "pairs": result.n_pairs_considered,
        "cells": int(result.observed.size),
    }


def run_pointpats() -> dict:
    import warnings

    import numpy as np

    warnings.simplefilter("ignore")
    from pointpats.spacetime import Knox

    x, y, t = events(5_000)
    np.random.seed(SEED)  # pointpats permutes with numpy's global generator
    run, found = _measure.call(
        "pointpats",
        lambda: Knox(
            np.column_stack((x, y)), t[:, None].astype(float), 1000, 27, permutations=PERMUTATIONS
        ),
    )
    return {
        "seconds": run.wall,
        "cpu_in_test": run.cpu,
        "observed": int(found.statistic_),
        "cells": 1,
    }


CHILDREN = {
    "pointpats": run_pointpats,
    "civica-pair": lambda: _civica(5_000, (0, 1000), (0, 28)),
    "civica-bands": lambda: _civica(5_000, DISTANCE, TIME),
    "civica-100k": lambda: _civica(100_000, DISTANCE, TIME),
    "civica-100k-1": lambda: _civica(100_000, DISTANCE, TIME, workers=1),
}

LABELS = {
    "pointpats": "pointpats Knox, 1 cell (peer)",
    "civica-pair": "civica knox, 1 cell",
    "civica-bands": "civica knox, 6 × 8 cells",
    "civica-100k": "civica knox, 6 × 8 cells",
    "civica-100k-1": "civica knox, 6 × 8 cells, 1 thread",
}


def measure(name: str, out: Path) -> dict:
    """Wall seconds, peak resident MB and CPU seconds of one child, plus what it reported."""
    report_file = out / f"{name}.json"
    command = [sys.executable, __file__, "--child", name, "--out", str(report_file)]
    run = _measure.child(name, command, report=report_file)
    return {**run.report, "wall": run.wall, "rss_mb": run.peak_mb, "cpu": run.cpu, "load": run.load}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", choices=CHILDREN, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--repeat", type=int, default=1, help="runs of each child (medians)")
    parser.add_argument("--only", action="append", choices=CHILDREN, help="run only these")
    parser.add_argument("--skip", action="append", choices=CHILDREN, default=[], help="skip")
    args = parser.parse_args(argv)
    if args.child:
        args.out.write_text(json.dumps(CHILDREN[args.child]()))
        return 0
    names = [name for name in args.only or CHILDREN if name not in args.skip]
    print(_measure.machine(f"Knox near-repeat test, {PERMUTATIONS} permutations"), flush=True)
    runs: dict[str, list[dict]] = {name: [] for name in names}
    with tempfile.TemporaryDirectory(prefix="bench-knox-") as folder:
        for _ in range(args.repeat):
            for name in names:
                runs[name].append(measure(name, Path(folder)))
    report(runs)
    if "pointpats" in runs and "civica-pair" in runs:
        ours, peer = runs["civica-pair"][0]["observed"], runs["pointpats"][0]["observed"]
        print(f"observed pairs < 1,000 m and <= 27 days: civica {ours:,}, pointpats {peer:,}")
        if ours != peer:
            print("COUNTS DIFFER")
            return 1
    return 0


def _median(values: list[float]) -> str:
    middle = statistics.median(values)
    if len(values) == 1:
        return f"{middle:,.2f}"
    return f"{middle:,.2f} ({min(values):,.2f}–{max(values):,.2f})"


def report(runs: dict[str, list[dict]]) -> None:
    header = f"{'run':38}{'events':>8}{'in test (s)':>22}{'in test CPU (s)':>17}"
    print(header + f"{'child wall (s)':>22}{'CPU (s)':>10}{'peak RSS (MB)':>15}{'load':>7}")
    for name, results in runs.items():
        events_n = "100,000" if name.startswith("civica-100k") else "5,000"
        print(
            f"{LABELS[name]:38}{events_n:>8}"
            f"{_median([r['seconds'] for r in results]):>22}"
            f"{statistics.median(r['cpu_in_test'] for r in results):>17.2f}"
            f"{_median([r['wall'] for r in results]):>22}"
            f"{statistics.median(r['cpu'] for r in results):>10.1f}"
            f"{statistics.median(r['rss_mb'] for r in results):>15,.0f}"
            f"{statistics.median(r['load'] for r in results):>7.1f}"
        )
    if "pointpats" in runs:
        peer = statistics.median(r["seconds"] for r in runs["pointpats"])
        peer_cpu = statistics.median(r["cpu_in_test"] for r in runs["pointpats"])
        peer_rss = statistics.median(r["rss_mb"] for r in runs["pointpats"])
        for name in ("civica-pair", "civica-bands"):
            if name in runs:
                ours = statistics.median(r["seconds"] for r in runs[name])
                cpu = statistics.median(r["cpu_in_test"] for r in runs[name])
                rss = statistics.median(r["rss_mb"] for r in runs[name])
                print(
                    f"ratio pointpats / {LABELS[name]}: {peer / ours:,.0f}× time in the test, "
                    f"{peer_cpu / cpu:,.0f}× CPU in the test, {peer_rss / rss:.1f}× peak memory"
                )
    if "civica-100k" in runs:
        pairs = runs["civica-100k"][0]["pairs"]
        print(f"100,000 events: {pairs:,} candidate pairs closer than 1,000 m")


if __name__ == "__main__":
    sys.exit(main())
