"""Time and peak memory of assigning 1,000,000 points to the 847 CDMX cuadrantes.

The points are seeded uniform random positions (lon/lat) within the bounding box of
``cuadrantes_2016.geojson`` from the shared data folder, so about half fall in a cuadrante
and the rest in the box's empty corners, as points near a city's edge do. Three runs, each
in its own child process so that none inherits another's memory:

* **civica**: :func:`civica.territory.assign.assign_points` (points sorted by x, prepared
  polygons tested with ``intersects_xy`` on the points inside their bounding box);
* **shapely STRtree** (peer): ``STRtree(polygons).query(points, predicate="intersects")``
  on shapely Points, lowest polygon index kept where several match;
* **GeoPandas sjoin** (peer, the naive way, if geopandas is installed):
  ``read_file`` + ``points_from_xy`` + ``sjoin(how="left", predicate="intersects")``.

Timed: the assignment alone (making the Point objects included for the peers, which need
them); the polygons are read beforehand. Peak memory is the child's maximum resident set
size (``ru_maxrss`` via ``os.wait4``); "call" is how far the assignment raised the child's
peak above what it had reached just before (0 when it stayed below an earlier peak); CPU
time is the child's user + system time (``_measure.child``). The three take turns (civica,
STRtree, sjoin, civica, … for ``--repeat`` rounds), the first line says on what machine at
what load, and each row the load its runs started at. The answers of the three are
compared point by point.

Example::

    python benchmarks/bench_assign.py            # 1,000,000 points, 3 runs each
    python benchmarks/bench_assign.py --points 200000 --repeat 1
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from pathlib import Path

import _measure
from _measure import shared_data

CUADRANTES = "cdmx_hoyodecrimen/cuadrantes_2016.geojson"


def random_points(bounds, count: int, seed: int):
    import numpy as np

    rng = np.random.default_rng(seed)
    xmin, ymin, xmax, ymax = bounds
    return rng.uniform(xmin, xmax, count), rng.uniform(ymin, ymax, count)


def civica_polygons(path: Path):
    from django.conf import settings

    if not settings.configured:
        settings.configure(USE_I18N=False)
    from civica.sources.boundaries import read_boundaries

    features = read_boundaries(path, code_field="cuadrante", repair_invalid=True)
    return [f.code for f in features], [f.geometry for f in features]


def run_civica(path: Path, count: int, seed: int):
    import shapely

    from civica.territory.assign import assign_points

    ids, polygons = civica_polygons(path)
    x, y = random_points(shapely.total_bounds(polygons), count, seed)
    before = _measure.peak_mb()
    run, index = _measure.call("civica", lambda: assign_points(x, y, polygons, ids=ids))
    return run, before, index


def run_strtree(path: Path, count: int, seed: int):
    import numpy as np
    import shapely

    _ids, polygons = civica_polygons(path)
    x, y = random_points(shapely.total_bounds(polygons), count, seed)
    before = _measure.peak_mb()

    def assign():
        found, polygon = shapely.STRtree(polygons).query(
            shapely.points(x, y), predicate="intersects"
        )
        index = np.full(count, -1)
        order = np.lexsort((polygon, found))[::-1]  # lowest polygon index written last
        index[found[order]] = polygon[order]
        return index

    # Random points almost never fall on an edge, so the lowest position stands in for the
    # lowest id here; the comparison below counts any difference.
    run, index = _measure.call("strtree", assign)
    return run, before, index


def run_geopandas(path: Path, count: int, seed: int):
    import geopandas as gpd
    import numpy as np

    polygons = gpd.read_file(path)
    x, y = random_points(polygons.total_bounds, count, seed)
    before = _measure.peak_mb()

    def join():
        points = gpd.GeoDataFrame(geometry=gpd.points_from_xy(x, y), crs=polygons.crs)
        return gpd.sjoin(points, polygons[["cuadrante", "geometry"]], how="left")

    elapsed, joined = _measure.call("sjoin", join)
    first = joined[~joined.index.duplicated(keep="first")]
    position = {code: i for i, code in enumerate(polygons["cuadrante"])}
    index = np.array([position.get(code, -1) for code in first["cuadrante"]], dtype=np.intp)
    return elapsed, before, index, {"sjoin rows": len(joined)}


CHILDREN = {
    "civica assign_points": run_civica,
    "shapely STRtree.query (peer)": run_strtree,
    "GeoPandas sjoin (peer)": run_geopandas,
}


def measure(name: str, count: int, seed: int, out: Path) -> _measure.Run:
    command = [sys.executable, __file__, "--child", name, "--points", str(count)]
    command += ["--seed", str(seed), "--out", str(out)]
    return _measure.child(name, command, report=out / "result.json")


def child(name: str, count: int, seed: int, out: Path) -> None:
    import numpy as np

    run, before, index, *notes = CHILDREN[name](shared_data() / CUADRANTES, count, seed)
    np.save(out / f"{name.split()[0]}.npy", index)
    result = {"seconds": run.wall, "cpu_in_call": run.cpu, "before_mb": before}
    result["notes"] = notes[0] if notes else {}
    (out / "result.json").write_text(json.dumps(result))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=20161)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child", choices=CHILDREN, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child, args.points, args.seed, args.out)
        return 0
    names = list(CHILDREN)
    print(
        _measure.machine(f"Assigning {args.points:,} points to the 847 CDMX cuadrantes"),
        flush=True,
    )
    try:
        import geopandas

        peer_version = geopandas.__version__
    except ImportError:
        names.remove("GeoPandas sjoin (peer)")
        peer_version = None
    with tempfile.TemporaryDirectory(prefix="bench-assign-") as folder:
        out = Path(folder)
        measured = _measure.interleave(
            names, lambda name: measure(name, args.points, args.seed, out), args.repeat
        )
        runs = {
            name: [r.report | {"peak_mb": r.peak_mb, "cpu": r.cpu, "load": r.load} for r in results]
            for name, results in measured.items()
        }
        agreement = _agreement(out, names)
    report(args, runs, agreement, peer_version)
    return 0


def _agreement(out: Path, names: list[str]) -> dict[str, tuple[int, int]]:
    import numpy as np

    ours = np.load(out / "civica.npy")
    found = {}
    for name in names[1:]:
        theirs = np.load(out / f"{name.split()[0]}.npy")
        found[name] = (int((ours == theirs).sum()), len(ours))
    found["inside a cuadrante"] = (int((ours >= 0).sum()), len(ours))
    return found


def report(args, runs: dict[str, list[dict]], agreement, peer_version) -> None:
    import shapely

    def median(name: str, key: str) -> float:
        return statistics.median(run[key] for run in runs[name])

    ours = "civica assign_points"
    print(
        f"\nseeded random points (seed {args.seed}); shapely {shapely.__version__} "
        f"(GEOS {shapely.geos_version_string}), geopandas {peer_version or 'not installed'}; "
        f"median of {args.repeat} runs"
    )
    print(
        f"{'':34}{'assign (s)':>12}{'range (s)':>13}{'assign CPU (s)':>16}{'child CPU (s)':>15}"
        f"{'peak RSS (MB)':>15}{'call (MB)':>11}{'time ratio':>12}{'load':>7}"
    )
    for name in runs:
        seconds, peak = median(name, "seconds"), median(name, "peak_mb")
        times = [run["seconds"] for run in runs[name]]
        spread = f"{min(times):.2f}–{max(times):.2f}"
        added = median(name, "peak_mb") - median(name, "before_mb")
        ratio = seconds / median(ours, "seconds")
        cpu, load = median(name, "cpu"), median(name, "load")
        print(
            f"{name:34}{seconds:>12.2f}{spread:>13}{median(name, 'cpu_in_call'):>16.2f}"
            f"{cpu:>15.2f}{peak:>15,.0f}{added:>11,.0f}"
            f"{ratio:>11.1f}×{load:>7.1f}"
        )
    for name in runs:
        for note, value in runs[name][-1]["notes"].items():
            print(f"{name}: {note} {value:,} for {args.points:,} points")
    for name, (same, total) in agreement.items():
        print(f"{name}: {same:,} of {total:,} points" + ("" if "inside" in name else " agree"))


if __name__ == "__main__":
    sys.exit(main())
