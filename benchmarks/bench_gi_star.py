"""Time and peak memory of Getis–Ord Gi* on a large grid, against esda.

A ``size × size`` grid (1,000 × 1,000 by default) of seeded Poisson counts, and two runs,
each in its own child process so that neither inherits the other's memory:

* **civica**: :func:`civica.stats.gi_star_grid` (queen window of radius 1, analytic
  z-scores, Benjamini–Hochberg correction and confidence bins included);
* **esda** (the peer): ``libpysal.weights.lat2W(size, size, rook=False)`` and
  ``esda.G_Local(y, w, star=True, transform="B", permutations=0)``, the same statistic on
  the same binary queen weights with the self weight esda adds for ``star=True``.

The two take turns (civica, esda, civica, esda, … for ``--repeat`` rounds) through
``_measure``: wall time, CPU time and peak resident memory of each child process
(``os.wait4``), and inside the child, wall and CPU time of the computation alone
(``_measure.call``). Each child writes its z-scores to a temporary ``.npy`` file, and a
last step checks that they agree to 1e-9. The first line says on what machine, at what
load.

The peer gets ``--peer-timeout`` seconds (600) and ``--peer-memory`` GB of address space
(16, set by the child on itself); when it fails at full size, it is run again at smaller
sizes and the table says at which size it finished.

Example::

    python benchmarks/bench_gi_star.py
    # options: --size 1000 --mean 3 --seed 1 --repeat 1 --peer-timeout 600 --peer-memory 16
"""

from __future__ import annotations

import argparse
import resource
import sys
from pathlib import Path

import _measure
import numpy as np


def run_civica(counts_path: str, out: str, _memory_gb: str) -> dict:
    from civica.stats import gi_star_grid

    counts = np.load(counts_path)
    run, result = _measure.call("civica", lambda: gi_star_grid(counts))
    np.save(Path(out) / "civica_z.npy", np.asarray(result.z).ravel())
    return {"compute": run.wall, "compute_cpu": run.cpu}


def run_esda(counts_path: str, out: str, memory_gb: str) -> dict:
    limit = int(float(memory_gb) * 1024**3)
    if limit:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    import warnings

    import esda
    import libpysal

    counts = np.load(counts_path)
    rows, cols = counts.shape

    def compute():
        weights_run, w = _measure.call(
            "lat2W", lambda: libpysal.weights.lat2W(rows, cols, rook=False)
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            found = esda.G_Local(counts.ravel(), w, star=True, transform="B", permutations=0)
        return weights_run, found

    run, (weights_run, result) = _measure.call("esda", compute)
    np.save(Path(out) / "esda_z.npy", np.asarray(result.Zs))
    return {"compute": run.wall, "compute_cpu": run.cpu, "weights": weights_run.wall}


CHILDREN = {"civica": run_civica, "esda": run_esda}


def write_counts(folder: Path, size: int, mean: float, seed: int) -> Path:
    path = folder / f"counts_{size}.npy"
    if not path.exists():
        np.save(path, np.random.default_rng(seed).poisson(mean, (size, size)).astype(float))
    return path


def main(argv: list[str] | None = None) -> int:
    if _measure.child_main(CHILDREN):
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1000, help="grid side in cells")
    parser.add_argument("--mean", type=float, default=3.0, help="Poisson mean per cell")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=1, help="rounds of civica, esda")
    parser.add_argument("--peer-timeout", type=float, default=600.0, help="seconds")
    parser.add_argument("--peer-memory", type=float, default=16.0, help="GB of address space")
    args = parser.parse_args(argv)
    cells = args.size * args.size
    print(
        _measure.machine(
            f"Getis–Ord Gi* on a {args.size:,} × {args.size:,} grid ({cells:,} cells, Poisson "
            f"mean {args.mean:g}, seed {args.seed}), civica against esda"
        ),
        flush=True,
    )
    sizes = {"civica": args.size, "esda": args.size}
    with _measure.temporary_folder("bench-gi-star-") as folder:
        out = Path(folder)

        def one(name: str) -> _measure.Run:
            while True:
                counts = write_counts(out, sizes[name], args.mean, args.seed)
                memory = "0" if name == "civica" else str(args.peer_memory)
                timeout = None if name == "civica" else args.peer_timeout
                try:
                    run = _measure.self_child(
                        __file__, name, str(counts), str(out), memory, folder=out, timeout=timeout
                    )
                except SystemExit as failed:  # the peer ran out of its address space
                    if name == "civica":
                        raise
                    why = str(failed)
                else:
                    if not run.report.get("timed_out"):
                        return run
                    why = f"stopped after {args.peer_timeout:.0f} s"
                print(f"esda at {sizes[name]:,} × {sizes[name]:,}: {why}", file=sys.stderr)
                sizes[name] = int(sizes[name] * 0.7)
                if sizes[name] < 100:
                    raise SystemExit("esda did not finish at any size")

        runs = _measure.interleave(list(CHILDREN), one, args.repeat)
        difference = None
        if sizes["esda"] == args.size:
            ours, theirs = np.load(out / "civica_z.npy"), np.load(out / "esda_z.npy")
            difference = float(np.max(np.abs(ours - theirs)))
    report(runs, sizes, args.size, difference)
    return 0 if difference is not None and difference <= 1e-9 else 1


def report(runs: dict, sizes: dict, size: int, difference: float | None) -> None:
    import esda
    import libpysal

    print(f"numpy {np.__version__}, esda {esda.__version__}, libpysal {libpysal.__version__}")
    labels = {
        "civica": "civica gi_star_grid",
        "esda": "esda lat2W + G_Local (peer)"
        if sizes["esda"] == size
        else f"esda at {sizes['esda']:,} × {sizes['esda']:,} (peer)",
    }
    rows = [
        [
            labels[name],
            _measure.spread([r.report["compute"] for r in measured]),
            _measure.spread([r.report["compute_cpu"] for r in measured]),
            *_measure.summary_row(measured),
        ]
        for name, measured in runs.items()
    ]
    civica, peer = runs["civica"], runs["esda"]

    def in_call(key: str) -> str:
        theirs = np.median([r.report[key] for r in peer])
        ours = np.median([r.report[key] for r in civica])
        return f"{theirs / ours:,.0f}×" if ours else "–"

    rows.append(
        [
            "ratio esda / civica",
            in_call("compute"),
            in_call("compute_cpu"),
            _measure.ratio(peer, civica),
            _measure.ratio(peer, civica, "cpu"),
            _measure.ratio(peer, civica, "peak_mb"),
            "",
        ]
    )
    header = ["run", "in call wall (s)", "in call CPU (s)", "process wall (s)", "process CPU (s)"]
    print(_measure.table([*header, "peak RSS (MB)", "load (1 min)"], rows))
    weights = np.median([r.report["weights"] for r in peer])
    print(f"(esda: {weights:.1f} s of its call building lat2W)")
    if difference is None:
        print("z-scores not compared: esda ran on a smaller grid")
    else:
        verdict = "agree" if difference <= 1e-9 else "DIFFER"
        print(f"z-scores {verdict}: largest absolute difference {difference:.1e}")


if __name__ == "__main__":
    sys.exit(main())
