"""CSV imports at program scale: rows per second of every importer that takes large files.

SYNTHETIC data in a throw-away workspace: a bare territory (12 states × 5 municipalities, one
one organization, and generated files — persons with random syllable names
(half with a CURP-shaped code), interventions and activities with unique names. Each import
goes through ``civica.core.imports.import_records`` as the commands do; the figure is rows
read, checked and written per second, wall and CPU time around the call
(``_measure.call``: CPU time is the figure that the machine's load does not inflate), the
load average when each import started, and the process's peak resident memory at the end.
No peer: the figures are this code's rows per second.

    python benchmarks/bench_imports.py --persons 10000
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/civica_bench \\
        python benchmarks/bench_imports.py --persons 10000
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import _measure
from bench_persons_reached import setup, territory

SYLLABLES = [c + v for c in "bcdfgjlmnprstvz" for v in "aeiou"]
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def word(rng: random.Random, syllables: int = 3) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(syllables)).capitalize()


def curp(rng: random.Random, n: int) -> str:
    """CURP-shaped and unique by ``n`` (not a real person's)."""
    return (
        rng.choice(LETTERS)
        + rng.choice("AEIOUX")
        + "".join(rng.choice(LETTERS) for _ in range(2))
        + f"{n:06d}"
        + rng.choice("HM")
        + "".join(rng.choice(LETTERS) for _ in range(5))
        + rng.choice(LETTERS)
        + str(n % 10)
    )


def persons_csv(rows: int, cvegeos: list[str], seed: int = 1) -> bytes:
    rng = random.Random(seed)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "given_names",
            "family_names",
            "birth_date",
            "sex",
            "curp",
            "municipality",
            "consent_given_by",
            "guardian_name",
            "consent_date",
            "follow_up",
            "track",
            "referral_source",
            "start_date",
        ]
    )
    for n in range(rows):
        year = rng.randint(1996, 2012)
        writer.writerow(
            [
                f"{word(rng)} {word(rng, 2)}",
                f"{word(rng)} {word(rng)}",
                f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                rng.choice("FM"),
                curp(rng, n) if n % 2 else "",
                rng.choice(cvegeos),
                "guardian",
                f"{word(rng)} {word(rng)}",
                "2023-01-02",
                rng.choice(["sí", ""]),
                rng.choice(["prevention", "secondary"]),
                "school",
                "2023-01-05",
            ]
        )
    return out.getvalue().encode("utf-8")


def interventions_csv(rows: int, cvegeos: list[str]) -> Path:
    path = Path(tempfile.mkdtemp()) / "intervenciones.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["name", "kind", "municipality", "sectors", "crimes", "start"])
        for n in range(rows):
            cvegeo = cvegeos[n % len(cvegeos)]
            writer.writerow(
                [f"Intervención {n}", "youth_program", cvegeo, "", "Robo", "2024-01-01"]
            )
    return path


def activities_csv(rows: int) -> Path:
    path = Path(tempfile.mkdtemp()) / "actividades.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["code", "name", "implementer", "start", "end", "goals"])
        for n in range(rows):
            writer.writerow(
                [
                    f"A{n}",
                    f"Actividad {n}",
                    "Organización de prueba",
                    "2023-01-01",
                    "2024-12-31",
                    "community_prevention",
                ]
            )
    return path


def timed(label: str, rows: int, fn) -> float:
    """Wall and CPU time of one import (``_measure.call``), as rows per second."""
    run, _value = _measure.call(label, fn)
    print(
        f"| {label} | {rows:,} | {run.wall:.2f} | {rows / run.wall:,.0f} | {run.cpu:.2f} "
        f"| {rows / run.cpu:,.0f} | {run.load:.1f} |",
        flush=True,
    )
    return rows / run.wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--persons", type=int, default=10_000)
    parser.add_argument("--interventions", type=int, default=2_000)
    parser.add_argument("--activities", type=int, default=2_000)
    args = parser.parse_args()
    print(_measure.machine("CSV imports at program scale (synthetic data)"), flush=True)
    setup(tempfile.mkdtemp(prefix="civica-bench-imports-"))
    territory(12, 5)
    from django.db import connection

    from civica.accounts.access import SYSTEM
    from civica.interventions.services import import_interventions_csv
    from civica.monitoring.services import import_activities_csv
    from civica.organizations.models import Organization, OrganizationKind
    from civica.participants.imports import import_persons_csv
    from civica.participants.models import Person
    from civica.territory.models import Municipality

    print(f"database: {connection.vendor}")
    print(
        _measure.table(
            ["import", "rows", "wall (s)", "rows/s wall", "CPU (s)", "rows/s CPU", "load (1 min)"],
            [],
        ),
        flush=True,
    )
    organization = Organization.objects.create(
        name="Organización de prueba", kind=OrganizationKind.IMPLEMENTER
    )
    municipalities = list(Municipality.objects.all())
    cvegeos = [m.cvegeo for m in municipalities]
    data = persons_csv(args.persons, cvegeos)

    def persons():
        try:
            summary = import_persons_csv(actor=SYSTEM, organization=organization, data=data)
        except TypeError:  # the importer before the one reader took text only
            summary = import_persons_csv(
                actor=SYSTEM, organization=organization, text=data.decode("utf-8")
            )
        assert len(summary.pids) == args.persons, summary

    timed("persons (+consent, enrollment)", args.persons, persons)
    assert Person.objects.count() == args.persons
    path = interventions_csv(args.interventions, cvegeos)
    timed(
        "interventions",
        args.interventions,
        lambda: import_interventions_csv(path=path, actor=SYSTEM),
    )
    timed(
        "interventions, again (skipped)",
        args.interventions,
        lambda: import_interventions_csv(path=path, actor=SYSTEM),
    )
    path = activities_csv(args.activities)
    timed("activities", args.activities, lambda: import_activities_csv(path=path, actor=SYSTEM))
    print(f"peak RSS of the process (every import): {_measure.peak_mb():,.0f} MB")


if __name__ == "__main__":
    main()
