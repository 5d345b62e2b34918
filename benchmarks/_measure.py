"""What every benchmark shares: where the shared data is, how a run is measured, the order
in which a project run and its peer take turns, and the line that says on what machine.

* :func:`shared_data` — ``CIVICA_SHARED_DATA``, default ``../shared/data`` beside the
  repository (``/work/shared/data`` for a checkout in ``/work``).
* :func:`child` — one run in its own process: wall time around it, its CPU time (user +
  system, which the machine's load does not inflate the way it inflates wall time) and its
  peak resident memory, read with ``os.wait4`` so that one run's peak cannot hide another's,
  plus what the child wrote to its JSON report (e.g. the seconds inside the call).
* :func:`call` — one in-process call: wall and CPU time (``time.process_time`` counts every
  thread of the process, DuckDB's included).
* :func:`interleave` — runs named alternatives in turns (A, B, A, B, …) so that a change in
  the machine's load falls on both sides alike; :func:`alternate` does it for in-process
  calls and keeps what they returned.
* :func:`machine` — date, cores, memory, Python and the load average; printed first by every
  script, and :func:`load` beside each run, since the development machine is shared.

Child processes of a script call the script itself with ``--child NAME --report FILE``;
:func:`child_main` answers that, so a script needs one dictionary of child functions.
"""

from __future__ import annotations

import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUTPUT = REPO / "benchmarks" / "output"  # git ignores it


def shared_data() -> Path:
    """The shared real-data folder: ``CIVICA_SHARED_DATA``, default ``../shared/data``."""
    configured = os.environ.get("CIVICA_SHARED_DATA")
    path = Path(configured) if configured else REPO.parent / "shared" / "data"
    if not path.is_dir():
        raise SystemExit(f"no shared data folder at {path}: set CIVICA_SHARED_DATA")
    return path


def load() -> float:
    """The 1-minute load average now (how many processes wanted a core)."""
    return os.getloadavg()[0]


def machine(title: str) -> str:
    """One line naming what ran where: printed at the top of every report."""
    one, five, fifteen = os.getloadavg()
    try:
        pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        memory = f", {pages / 2**30:.0f} GB RAM"
    except (ValueError, OSError):
        memory = ""
    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    return (
        f"{title}\n{now}, {os.cpu_count()} cores{memory}, Python {platform.python_version()}, "
        f"load average {one:.1f} / {five:.1f} / {fifteen:.1f} (1 / 5 / 15 min)"
    )


@dataclass
class Run:
    """One measured run. ``peak_mb`` is None for in-process calls."""

    name: str
    wall: float
    cpu: float
    peak_mb: float | None
    load: float
    report: dict = field(default_factory=dict)


def child(
    name: str,
    argv: Sequence[str],
    *,
    env: dict | None = None,
    report: Path | None = None,
    timeout: float | None = None,
) -> Run:
    """Run ``argv`` in a new process; raise ``SystemExit`` if it fails.

    With ``timeout`` (seconds) a slower process is killed and its run reports
    ``{"timed_out": True}``: a peer that takes hours is bounded, and says so.
    """
    if report is not None:
        report.unlink(missing_ok=True)
    started_load = load()
    started = time.perf_counter()
    process = subprocess.Popen(argv, env=env)  # noqa: S603  (the benchmark's own commands)
    timer = threading.Timer(timeout, process.kill) if timeout else None
    if timer:
        timer.start()
    _pid, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    if timer:
        timer.cancel()
    code = os.waitstatus_to_exitcode(status)
    if timeout and code == -9 and wall >= timeout:
        reported = {"timed_out": True}
    elif code != 0:
        raise SystemExit(f"the {name} run failed with exit code {code}")
    else:
        reported = json.loads(report.read_text()) if report and report.exists() else {}
    return Run(
        name=name,
        wall=wall,
        cpu=usage.ru_utime + usage.ru_stime,
        peak_mb=usage.ru_maxrss / 1024,  # Linux reports kilobytes
        load=started_load,
        report=reported,
    )


def self_child(
    script: str,
    name: str,
    *args: str,
    folder: Path,
    env: dict | None = None,
    timeout: float | None = None,
) -> Run:
    """Run ``script --child name --report … args`` (answered by :func:`child_main`)."""
    report = folder / f"{name}.json"
    argv = [sys.executable, script, "--child", name, "--report", str(report), *args]
    return child(name, argv, env=env, report=report, timeout=timeout)


def child_main(children: dict[str, Callable[..., dict | None]]) -> bool:
    """In a child process: run ``--child NAME`` with the other arguments and write its report.

    Returns False when this process is not a child (the script then runs as the parent).
    """
    if sys.argv[1:2] != ["--child"]:
        return False
    name, report, rest = sys.argv[2], Path(sys.argv[4]), sys.argv[5:]  # see self_child
    result = children[name](*rest) or {}
    report.write_text(json.dumps(result))
    return True


def call(name: str, func: Callable[[], object]) -> tuple[Run, object]:
    """Wall and CPU seconds of one in-process call, and what it returned."""
    started_load = load()
    cpu = time.process_time()
    started = time.perf_counter()
    value = func()
    wall = time.perf_counter() - started
    return Run(name, wall, time.process_time() - cpu, None, started_load), value


def interleave(
    names: Sequence[str], run: Callable[[str], Run], rounds: int
) -> dict[str, list[Run]]:
    """``rounds`` turns of every name in order (A, B, A, B, …), printing each run as it ends."""
    runs: dict[str, list[Run]] = {name: [] for name in names}
    for turn in range(rounds):
        for name in names:
            result = run(name)
            runs[name].append(result)
            peak = f", peak {result.peak_mb:,.0f} MB" if result.peak_mb is not None else ""
            print(
                f"  round {turn + 1} {name}: wall {result.wall:.3f} s, CPU {result.cpu:.3f} s"
                f"{peak} (load {result.load:.1f})",
                file=sys.stderr,
                flush=True,
            )
    return runs


def alternate(
    calls: dict[str, Callable[[], object]], rounds: int
) -> tuple[dict[str, list[Run]], dict[str, object]]:
    """In-process calls in turns (:func:`interleave` of :func:`call`): their runs and what each
    returned the last time."""
    answers: dict[str, object] = {}

    def one(name: str) -> Run:
        run, answers[name] = call(name, calls[name])
        return run

    return interleave(list(calls), one, rounds), answers


def spread(values: Iterable[float], digits: int = 2) -> str:
    """``median (min–max)``, or the value alone for one run."""
    values = sorted(values)
    if not values:
        return "–"
    middle = f"{statistics.median(values):,.{digits}f}"
    if len(values) == 1:
        return middle
    return f"{middle} ({values[0]:,.{digits}f}–{values[-1]:,.{digits}f})"


def summary_row(runs: Sequence[Run], digits: int = 2) -> list[str]:
    """Wall, CPU, peak memory and load cells for one alternative's runs."""
    peaks = [r.peak_mb for r in runs if r.peak_mb is not None]
    return [
        spread([r.wall for r in runs], digits),
        spread([r.cpu for r in runs], digits),
        spread(peaks, 0) if peaks else "–",
        spread([r.load for r in runs], 1),
    ]


def ratio(numerator: Sequence[Run], denominator: Sequence[Run], attribute: str = "wall") -> str:
    """Median of ``numerator`` over median of ``denominator``, e.g. ``3.4×``."""
    top = statistics.median(getattr(r, attribute) for r in numerator)
    bottom = statistics.median(getattr(r, attribute) for r in denominator)
    return f"{top / bottom:,.1f}×" if bottom else "–"


def paired(numerator: Sequence[Run], denominator: Sequence[Run], attribute: str = "wall") -> str:
    """The ratio of each round's two runs (taken one after the other, see :func:`interleave`)
    and their median, e.g. ``1.30, 1.42, 1.35 (median 1.35×)``: on a shared machine whose
    speed drifts from minute to minute, a round's two runs meet the same neighbours, so the
    median of the rounds' ratios is steadier than the ratio of the medians (:func:`ratio`)."""
    ratios = [
        getattr(top, attribute) / getattr(bottom, attribute)
        for top, bottom in zip(numerator, denominator, strict=True)
        if getattr(bottom, attribute)
    ]
    if not ratios:
        return "–"
    listed = ", ".join(f"{value:.2f}" for value in ratios)
    return f"{listed} (median {statistics.median(ratios):.2f}×)"


def table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """A Markdown table, ready for benchmarks/README.md."""
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


MEASURE_HEADER = ["wall (s)", "CPU (s)", "peak RSS (MB)", "load (1 min)"]


def temporary_folder(prefix: str) -> tempfile.TemporaryDirectory:
    """A scratch folder under benchmarks/output (on the same disk as the generated files)."""
    OUTPUT.mkdir(parents=True, exist_ok=True)
    return tempfile.TemporaryDirectory(prefix=prefix, dir=OUTPUT)


def peak_mb() -> float:
    """This process's peak resident memory so far, in MB: for in-process runs (:func:`call`),
    whose peaks one process shares; a run in its own process has its own (:func:`child`)."""
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes
