"""Start-up time of the ``civica`` command and of Django, in fresh processes.

Times (median and minimum of ``--repeat`` runs) ``civica --help``, ``civica stats vintages
--help`` (which starts Django, as every command does) and a bare ``django.setup()``, and
says which heavy libraries that bare start loaded. Each run is a child process: wall time
around it and its CPU time (user + system, from ``os.wait4``), the figure to compare on a
shared machine; the load average is printed beside them. Run it with ``PYTHONPATH`` pointing
at another checkout to measure that code; ``python -X importtime -c "…django.setup()"``
says which imports the time goes to.

Example::

    python benchmarks/bench_startup.py --repeat 7
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

SETUP = (
    "import os; os.environ['DJANGO_SETTINGS_MODULE'] = 'civica.settings'; "
    "import django; django.setup()"
)
HEAVY = ("pandas", "duckdb", "pyproj", "scipy", "statsmodels", "shapely", "pyarrow")
CASES = {
    "civica --help": ["-m", "civica", "--help"],
    "civica stats vintages --help": ["-m", "civica", "stats", "vintages", "--help"],
    "django.setup()": ["-c", SETUP],
}


def run(arguments: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds of one child run."""
    start = time.perf_counter()
    child = subprocess.Popen(  # noqa: S603  (this interpreter, fixed arguments)
        [sys.executable, *arguments], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    _pid, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{arguments} failed")
    return wall, usage.ru_utime + usage.ru_stime


def loaded_at_setup() -> list[str]:
    found = f"[m for m in {HEAVY!r} if m in sys.modules]"
    code = f"{SETUP}; import json, sys; print(json.dumps({found}))"
    out = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    print(f"load average before: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    for name, arguments in CASES.items():
        runs = [run(arguments) for _ in range(args.repeat)]
        walls, cpus = [w for w, _c in runs], [c for _w, c in runs]
        print(
            f"{name}: CPU median {statistics.median(cpus):.2f} s (min {min(cpus):.2f}); "
            f"wall median {statistics.median(walls):.2f} s (min {min(walls):.2f})"
        )
    print(f"django.setup() loads: {', '.join(loaded_at_setup()) or 'none of ' + ', '.join(HEAVY)}")
    print(f"load average after: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")


if __name__ == "__main__":
    sys.exit(main())
