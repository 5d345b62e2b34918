"""A `civica stats` call as a user meets it, from a fresh process, beside what Python pays
to import pandas (the issue's yardstick: a call in about twice that).

Each case is a new process, measured by ``_measure.child`` (wall, CPU, peak memory); the
cases take turns (A, B, C, …, A, B, C, …) for ``--rounds`` rounds:

* ``civica stats series --crime "Homicidio doloso" --municipality 11020 --by year`` — a
  real query on the workspace's municipal snapshot (needs ``CIVICA_HOME`` with the shared
  data: ``civica demo --data ../shared/data --no-serve``);
* ``civica stats ranking … --state 11 --year 2024`` — the state's municipalities ranked;
* ``civica stats vintages --help`` — Django started, no query;
* ``civica --help`` — the command group alone (does not start Django);
* ``django.setup()`` — Django with every app, nothing else;
* peers: ``python -c "import pandas"`` and ``python -c "pass"`` (the interpreter).

Bytecode: an installed civica (``pip install``) runs from bytecode compiled once; this
development machine sets ``PYTHONDONTWRITEBYTECODE=1``, so a checkout's modules are compiled
from source on every call (about 0.1 s of a `civica stats` call). By default
(``--bytecode cached``) every case runs once unmeasured with bytecode written to
``benchmarks/output/pycache`` (``PYTHONPYCACHEPREFIX``, peers included) and the measured runs
read it, as a user's install would; ``--bytecode source`` measures with
``PYTHONDONTWRITEBYTECODE=1`` and no warm-up, as the figures before 2026-12-06 15:00 UTC were.

Run it with ``PYTHONPATH`` pointing at another checkout to measure that code;
``python -X importtime -c "…django.setup()"`` says which imports the time goes to.

Example::

    CIVICA_HOME=/tmp/bench-demo python benchmarks/bench_startup.py --rounds 5
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys

import _measure

SETUP = (
    "import os; os.environ['DJANGO_SETTINGS_MODULE'] = 'civica.settings'; "
    "import django; django.setup()"
)
CRIME = ["--crime", "Homicidio doloso"]
CASES = {
    "civica stats series (municipality, by year)": [
        *["-m", "civica", "stats", "series", *CRIME, "--municipality", "11020", "--by", "year"]
    ],
    "civica stats ranking (a state's municipalities)": [
        *["-m", "civica", "stats", "ranking", *CRIME, "--state", "11", "--period", "2024"]
    ],
    "civica stats vintages --help": ["-m", "civica", "stats", "vintages", "--help"],
    "civica --help": ["-m", "civica", "--help"],
    "django.setup()": ["-c", SETUP],
    'peer: python -c "import pandas"': ["-c", "import pandas"],
    'peer: python -c "pass"': ["-c", "pass"],
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument(
        "--bytecode",
        choices=["cached", "source"],
        default="cached",
        help="cached: compiled once, as installed (default); source: compiled on every call",
    )
    args = parser.parse_args()
    if "CIVICA_HOME" not in os.environ:
        raise SystemExit("set CIVICA_HOME to a workspace made by `civica demo --data …`")
    print(_measure.machine("Start-up and `civica stats` calls, fresh processes"), flush=True)
    quiet = {**os.environ, "PYTHONWARNINGS": "ignore"}
    if args.bytecode == "cached":
        quiet.pop("PYTHONDONTWRITEBYTECODE", None)
        quiet["PYTHONPYCACHEPREFIX"] = str(_measure.OUTPUT / "pycache")
    else:
        quiet["PYTHONDONTWRITEBYTECODE"] = "1"
    print(f"bytecode: {args.bytecode}", flush=True)
    devnull = open(os.devnull, "w")  # noqa: SIM115  (the commands' own output is not measured)
    saved = os.dup(1)
    try:
        if args.bytecode == "cached":  # one unmeasured run of each case writes its bytecode
            for name in CASES:
                subprocess.run(  # noqa: S603  (the benchmark's own commands)
                    [sys.executable, *CASES[name]], env=quiet, stdout=devnull, check=True
                )

        def one(name: str) -> _measure.Run:
            os.dup2(devnull.fileno(), 1)  # the child inherits it: its output is not shown
            try:
                return _measure.child(name, [sys.executable, *CASES[name]], env=quiet)
            finally:
                os.dup2(saved, 1)

        runs = _measure.interleave(list(CASES), one, args.rounds)
    finally:
        devnull.close()
    pandas = runs['peer: python -c "import pandas"']
    print(
        _measure.table(
            ["what", *_measure.MEASURE_HEADER, "wall ÷ import pandas", "CPU ÷ import pandas"],
            [
                [
                    name,
                    *_measure.summary_row(measured),
                    _measure.ratio(measured, pandas),
                    _measure.ratio(measured, pandas, "cpu"),
                ]
                for name, measured in runs.items()
            ],
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
