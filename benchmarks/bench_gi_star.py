"""Time and peak memory of Getis–Ord Gi* on a large grid, against esda.

A ``size × size`` grid (1,000 × 1,000 by default) of seeded Poisson counts, and two runs,
each in its own child process so that neither inherits the other's memory:

* **civica**: :func:`civica.stats.gi_star_grid` (queen window of radius 1, analytic
  z-scores, Benjamini–Hochberg correction and confidence bins included);
* **esda** (the peer): ``libpysal.weights.lat2W(size, size, rook=False)`` and
  ``esda.G_Local(y, w, star=True, transform="B", permutations=0)``, the same statistic on
  the same binary queen weights with the self weight esda adds for ``star=True``.

Wall time is measured around each child (interpreter start and imports included) and
inside it around the computation alone; peak memory is the child's maximum resident set
size as the kernel accounts it for ``resource.getrusage(RUSAGE_CHILDREN)``, read per child
with ``os.wait4``. Each child writes its z-scores to a temporary ``.npy`` file, and a last
step checks that they agree to 1e-9.

The peer gets ``--peer-timeout`` seconds (600) and ``--peer-memory`` GB of address space
(16); when it fails at full size, it is run again at smaller sizes and the table says at
which size it finished.

Example::

    python benchmarks/bench_gi_star.py
    # options: --size 1000 --seed 1 --mean 3 --peer-timeout 600 --peer-memory 16
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import resource
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np


def run_civica(counts_path: Path, out: Path) -> None:
    from civica.stats import gi_star_grid

    counts = np.load(counts_path)
    started = time.perf_counter()
    result = gi_star_grid(counts)
    elapsed = time.perf_counter() - started
    np.save(out / "civica_z.npy", np.asarray(result.z).ravel())
    (out / "civica.json").write_text(json.dumps({"compute": elapsed}))


def run_esda(counts_path: Path, out: Path) -> None:
    import warnings

    import esda
    import libpysal

    counts = np.load(counts_path)
    rows, cols = counts.shape
    started = time.perf_counter()
    w = libpysal.weights.lat2W(rows, cols, rook=False)
    weights_built = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = esda.G_Local(counts.ravel(), w, star=True, transform="B", permutations=0)
    finished = time.perf_counter()
    np.save(out / "esda_z.npy", np.asarray(result.Zs))
    timing = {"compute": finished - started, "weights": weights_built - started}
    (out / "esda.json").write_text(json.dumps(timing))


CHILDREN = {"civica": run_civica, "esda": run_esda}


def measure(
    name: str, counts_path: Path, out: Path, *, timeout: float | None, memory_gb: float | None
) -> tuple[float, float] | str:
    """Wall seconds and peak resident MB of one child, or why it did not finish."""
    command = [sys.executable, __file__, "--child", name, str(counts_path), str(out)]

    def limit_memory() -> None:
        if memory_gb:
            limit = int(memory_gb * 1024**3)
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    started = time.perf_counter()
    child = subprocess.Popen(command, preexec_fn=limit_memory)  # noqa: S603  (our own script, fixed arguments)
    while True:
        pid, status, usage = os.wait4(child.pid, os.WNOHANG)
        if pid:
            break
        if timeout and time.perf_counter() - started > timeout:
            os.kill(child.pid, signal.SIGKILL)
            os.wait4(child.pid, 0)
            return f"stopped after {timeout:.0f} s"
        time.sleep(0.05)
    elapsed = time.perf_counter() - started
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        return f"failed (exit code {code}, peak {usage.ru_maxrss / 1024:,.0f} MB)"
    return elapsed, usage.ru_maxrss / 1024  # Linux reports kilobytes


def write_counts(folder: Path, size: int, mean: float, seed: int) -> Path:
    counts = np.random.default_rng(seed).poisson(mean, (size, size)).astype(float)
    path = folder / f"counts_{size}.npy"
    np.save(path, counts)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1000, help="grid side in cells")
    parser.add_argument("--mean", type=float, default=3.0, help="Poisson mean per cell")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--peer-timeout", type=float, default=600.0, help="seconds")
    parser.add_argument("--peer-memory", type=float, default=16.0, help="GB of address space")
    parser.add_argument("--child", choices=CHILDREN, help=argparse.SUPPRESS)
    parser.add_argument("paths", nargs="*", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        CHILDREN[args.child](*args.paths)
        return 0
    with tempfile.TemporaryDirectory(prefix="bench-gi-star-") as folder:
        out = Path(folder)
        counts_path = write_counts(out, args.size, args.mean, args.seed)
        civica = measure("civica", counts_path, out, timeout=None, memory_gb=None)
        if isinstance(civica, str):
            raise SystemExit(f"the civica run {civica}")
        peer_size, peer = args.size, None
        while peer_size >= 100:
            peer_path = write_counts(out, peer_size, args.mean, args.seed)
            peer = measure(
                "esda", peer_path, out, timeout=args.peer_timeout, memory_gb=args.peer_memory
            )
            if not isinstance(peer, str):
                break
            print(f"esda at {peer_size} × {peer_size}: {peer}", file=sys.stderr)
            peer_size = int(peer_size * 0.7)
        if peer is None or isinstance(peer, str):
            raise SystemExit("esda did not finish at any size")
        timings = {
            name: json.loads((out / f"{name}.json").read_text()) for name in ("civica", "esda")
        }
        difference = None
        if peer_size == args.size:
            ours = np.load(out / "civica_z.npy")
            theirs = np.load(out / "esda_z.npy")
            difference = float(np.max(np.abs(ours - theirs)))
    report(args, civica, peer, peer_size, timings, difference)
    return 0 if difference is not None and difference <= 1e-9 else 1


def report(
    args: argparse.Namespace,
    civica: tuple[float, float],
    peer: tuple[float, float],
    peer_size: int,
    timings: dict[str, dict[str, float]],
    difference: float | None,
) -> None:
    import esda
    import libpysal

    cells = args.size * args.size
    print(
        f"\nGetis–Ord Gi* on a {args.size:,} × {args.size:,} grid ({cells:,} cells, Poisson "
        f"mean {args.mean:g}, seed {args.seed}); {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, numpy {np.__version__}, esda {esda.__version__}, "
        f"libpysal {libpysal.__version__}, {datetime.date.today().isoformat()}"
    )
    peer_label = "esda lat2W + G_Local (peer)"
    if peer_size != args.size:
        peer_label = f"esda at {peer_size:,} × {peer_size:,} (peer)"
    print(f"{'':40}{'compute (s)':>12}{'child wall (s)':>16}{'peak RSS (MB)':>15}")
    rows = [
        ("civica gi_star_grid", timings["civica"]["compute"], *civica),
        (peer_label, timings["esda"]["compute"], *peer),
    ]
    for label, compute, wall, rss in rows:
        print(f"{label:40}{compute:>12.2f}{wall:>16.1f}{rss:>15,.0f}")
    ratio_compute = timings["esda"]["compute"] / timings["civica"]["compute"]
    print(
        f"{'ratio esda / civica':40}{ratio_compute:>11.0f}×{peer[0] / civica[0]:>15.1f}×"
        f"{peer[1] / civica[1]:>14.1f}×"
    )
    print(f"(esda: {timings['esda']['weights']:.1f} s of its compute building lat2W)")
    if difference is None:
        print("z-scores not compared: esda ran on a smaller grid")
    else:
        verdict = "agree" if difference <= 1e-9 else "DIFFER"
        print(f"z-scores {verdict}: largest absolute difference {difference:.1e}")


if __name__ == "__main__":
    sys.exit(main())
