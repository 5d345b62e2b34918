"""The near-repeat page's computation on a city-wide crime of real data, as its job runs it.

Real CDMX incidents (``cdmx_hoyodecrimen/crime_lat_long_2013-2016.csv.gz`` in the shared
data, ``_measure.shared_data()``), projected to EPSG:6372 as the
incident layer stores them: for each of the most frequent crimes over all four years (the
page with no dates chosen), :func:`civica.stats.knox` with the page's bands — distance
``(0, 1, 200, 400, 600, 800, 1000)`` m × time ``(0, 7, …, 56)`` days — and 999 permutations.
CPU time (user + system of this process, every thread) is the figure to compare on a shared
machine; wall time and the load average are printed beside it, the process's peak memory
at the end. ``bench_incidents.py`` times the whole page and job on a demo workspace beside
pointpats; this script times the computation alone, with no workspace. The page never
waits for it: it runs as a background job (``incidents.near_repeat``) with progress per
batch of permutations, and its table is stored by inputs.

    python benchmarks/bench_near_repeat.py
    python benchmarks/bench_near_repeat.py --crimes 1 --repeat 3 --workers 1
"""

from __future__ import annotations

import argparse
import statistics
import sys

import _measure

DISTANCE = (0, 1, 200, 400, 600, 800, 1000)
TIME = tuple(range(0, 57, 7))


def load() -> dict[str, tuple]:
    import pandas as pd
    from pyproj import Transformer

    frame = pd.read_csv(
        _measure.shared_data() / "cdmx_hoyodecrimen" / "crime_lat_long_2013-2016.csv.gz",
        usecols=["crime", "date", "lat", "long"],
    ).dropna(subset=["lat", "long"])
    to_metres = Transformer.from_crs("EPSG:4326", "EPSG:6372", always_xy=True)
    x, y = to_metres.transform(frame["long"].to_numpy(), frame["lat"].to_numpy())
    days = (pd.to_datetime(frame["date"]) - pd.Timestamp("1970-01-01")).dt.days.to_numpy()
    crimes = frame["crime"].to_numpy()
    out = {}
    for crime in frame["crime"].value_counts().index:
        chosen = crimes == crime
        out[crime] = (x[chosen], y[chosen], days[chosen])
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--crimes", type=int, default=2, help="the N most frequent crimes")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workers", type=int, default=None)
    args = parser.parse_args()
    from civica.stats import knox

    events = load()
    print(_measure.machine("Near repeat on a city-wide crime (knox, 999 permutations)"))
    for crime in list(events)[: args.crimes]:
        x, y, t = events[crime]
        cpu, wall, loads = [], [], []
        for _ in range(args.repeat):
            run, result = _measure.call(
                crime,
                lambda x=x, y=y, t=t: knox(
                    x,
                    y,
                    t,
                    distance_bands=DISTANCE,
                    time_bands=TIME,
                    permutations=999,
                    seed=0,
                    workers=args.workers,
                ),
            )
            cpu.append(run.cpu)
            wall.append(run.wall)
            loads.append(_measure.load())
        print(
            f"{crime}: {len(x):,} events, {result.n_pairs_considered:,} pairs < 1 km, "
            f"999 permutations: CPU median {statistics.median(cpu):.2f} s "
            f"(min {min(cpu):.2f}), wall median {statistics.median(wall):.2f} s "
            f"(min {min(wall):.2f}); observed total {int(result.observed.sum()):,}, "
            f"exceedances checksum {int(result.exceedances.sum()):,}; "
            f"load {statistics.median(loads):.1f}"
        )
    print(f"peak RSS of the process (the events included): {_measure.peak_mb():,.0f} MB")


if __name__ == "__main__":
    sys.exit(main())
