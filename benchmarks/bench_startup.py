"""Start-up time of the ``civica`` command and of Django, in fresh processes.

Times (median and minimum of ``--repeat`` runs) ``civica --help``, ``civica stats vintages
--help`` (which starts Django, as every command does) and a bare ``django.setup()``. Run it
with ``PYTHONPATH`` pointing at another checkout to measure that code; ``python -X importtime
-c "…django.setup()"`` says which imports the time goes to.

Example::

    python benchmarks/bench_startup.py --repeat 7
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

SETUP = (
    "import os; os.environ['DJANGO_SETTINGS_MODULE'] = 'civica.settings'; "
    "import django; django.setup()"
)
CASES = {
    "civica --help": ["-m", "civica", "--help"],
    "civica stats vintages --help": ["-m", "civica", "stats", "vintages", "--help"],
    "django.setup()": ["-c", SETUP],
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    for name, arguments in CASES.items():
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            subprocess.run([sys.executable, *arguments], check=True, capture_output=True)  # noqa: S603
            times.append(time.perf_counter() - start)
        print(f"{name}: median {statistics.median(times):.2f} s, min {min(times):.2f} s")


if __name__ == "__main__":
    sys.exit(main())
