"""Unique persons reached by fiscal year × municipality × sex × age band, at program scale.

SYNTHETIC data: ``civica.participants.synthetic.generate`` writes 100,000 persons and
1,000,000 services (by default) into a throw-away workspace, over a bare synthetic territory
(12 states, 60 municipalities, no geometry) when none is imported. Then, for each fiscal year
FY2022–FY2024, it times:

* **civica**: ``persons_reached(start, end, by=["municipality_id", "sex", "age_band"])``, one
  SQL statement on the database (SQLite by default, PostgreSQL with ``DATABASE_URL``);
* **pandas** (the peer): the same count from a DataFrame of services already joined with the
  persons' municipality, sex and birth month and held in memory (loading it is timed apart).

The two take turns (civica, pandas, civica, pandas, … ``--repeat`` rounds, in this process):
wall and CPU time of each call (``_measure.call``) and the load average; the process's peak
resident memory is printed at the end (one process holds both). Both results are compared
cell by cell. With ``--caseload`` it also times the caseload page of a case worker with 500
open cases through Django's test client.

    python benchmarks/bench_persons_reached.py
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/civica_bench \
        python benchmarks/bench_persons_reached.py
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import _measure


def setup(home: str) -> None:
    os.environ["CIVICA_HOME"] = home
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civica.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def territory(states: int, per_state: int) -> None:
    from civica.territory.models import Municipality, State

    if Municipality.objects.exists():
        return
    for s in range(1, states + 1):
        state = State.objects.create(
            code=f"{s:02d}", name=f"Estado sintético {s}", abbreviation=f"S{s}"
        )
        Municipality.objects.bulk_create(
            [
                Municipality(cvegeo=f"{s:02d}{m:03d}", state=state, name=f"Municipio sintético {m}")
                for m in range(1, per_state + 1)
            ]
        )


def ensure_data(persons: int, services: int, seed: int) -> None:
    """Synthetic participants in 60 municipalities of 12 states, unless the workspace has some."""
    from civica.participants.models import Person
    from civica.participants.synthetic import generate

    if Person.objects.exists():
        return
    territory(12, 5)
    made, _ = _measure.call(
        "generate",
        lambda: generate(
            persons=persons, services=services, municipalities=60, states=12, seed=seed
        ),
    )
    print(
        f"generated {persons:,} persons and {services:,} services (synthetic) "
        f"in {made.wall:.1f} s wall, {made.cpu:.1f} s CPU"
    )


def frame():
    import pandas as pd
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT s.person_id, s.date, s.attended, p.municipality_id, p.sex, "
            "p.birth_month_index FROM participants_service s "
            "JOIN participants_person p ON p.id = s.person_id"
        )
        rows = cursor.fetchall()
    df = pd.DataFrame(
        rows, columns=["person", "date", "attended", "municipality_id", "sex", "birth"]
    )
    df["date"] = pd.to_datetime(df["date"])
    df["attended"] = df["attended"].astype(bool)
    return df


def pandas_reached(df, start, end):
    import numpy as np
    import pandas as pd

    from civica.participants.identity import AGE_BANDS

    period = df[df.attended & (df.date >= pd.Timestamp(start)) & (df.date <= pd.Timestamp(end))]
    first = period.groupby("person", sort=False).agg(
        date=("date", "min"),
        municipality_id=("municipality_id", "first"),
        sex=("sex", "first"),
        birth=("birth", "first"),
    )
    months = first.date.dt.year * 12 + first.date.dt.month - 1 - first.birth
    edges = [high for _label, _low, high in AGE_BANDS if high]
    labels = np.array([label for label, _low, _high in AGE_BANDS])
    band = labels[np.searchsorted(edges, months.to_numpy(), side="right")]
    first = first.assign(age_band=np.where(months.isna(), "unknown", band))
    counts = first.groupby(["municipality_id", "sex", "age_band"]).size()
    return {key: int(v) for key, v in counts.items()}


def caseload_timing(repeat: int) -> list[_measure.Run]:
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    from civica.accounts.models import User
    from civica.accounts.roles import Role
    from civica.participants.models import Enrollment

    setup_test_environment()
    (org_id,) = Enrollment.objects.values_list("organization_id", flat=True)[:1]
    user, _ = User.objects.get_or_create(
        username="bench-worker", defaults={"role": Role.CASE_WORKER}
    )
    user.organizations.set([org_id])
    ids = list(
        Enrollment.objects.filter(organization_id=org_id, exit_date__isnull=True).values_list(
            "id", flat=True
        )[:500]
    )
    Enrollment.objects.filter(id__in=ids).update(case_worker=user)
    client = Client()
    client.force_login(user)
    url = reverse("participants:caseload")
    client.get(url)  # warm the template cache
    runs = []
    for _ in range(repeat):
        run, response = _measure.call("caseload", lambda: client.get(url))
        runs.append(run)
        assert response.status_code == 200
    print(f"caseload cases: {len(ids)}")
    return runs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--services", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--caseload", action="store_true")
    parser.add_argument(
        "--home", default=None, help="Reuse this workspace (its data is kept); default: a new one."
    )
    args = parser.parse_args()
    print(_measure.machine("Unique persons reached, civica against pandas"), flush=True)
    home = args.home or tempfile.mkdtemp(prefix="civica-bench-reach-")
    setup(home)
    from django.db import connection

    from civica.participants.reach import persons_reached

    print(f"database: {connection.vendor}; workspace {home}")
    ensure_data(args.persons, args.services, args.seed)
    loaded, df = _measure.call("frame", frame)
    print(
        f"pandas: DataFrame of {len(df):,} services loaded in {loaded.wall:.1f} s wall, "
        f"{loaded.cpu:.1f} s CPU (not in the timings below)"
    )
    by = ["municipality_id", "sex", "age_band"]
    rows_out = []
    for fy in (2022, 2023, 2024):
        start, end = dt.date(fy - 1, 10, 1), dt.date(fy, 9, 30)
        runs, answers = _measure.alternate(
            {
                "civica": lambda s=start, e=end: persons_reached(start=s, end=e, by=by),
                "pandas": lambda s=start, e=end: pandas_reached(df, s, e),
            },
            args.repeat,
        )
        rows = answers["civica"]
        got = {(r["municipality_id"], r["sex"], r["age_band"]): r["persons"] for r in rows}
        assert got == answers["pandas"], "civica and pandas disagree"
        civica, pandas = runs["civica"], runs["pandas"]
        rows_out.append(
            [
                f"FY{fy}",
                len(rows),
                f"{sum(got.values()):,}",
                _measure.spread([r.wall for r in civica], 3),
                _measure.spread([r.cpu for r in civica], 3),
                _measure.spread([r.wall for r in pandas], 3),
                _measure.spread([r.cpu for r in pandas], 3),
                _measure.ratio(civica, pandas, "cpu"),
                _measure.spread([r.load for r in civica + pandas], 1),
            ]
        )
    print(
        _measure.table(
            [
                *["fiscal year", "groups", "persons", "civica wall (s)", "civica CPU (s)"],
                *["pandas wall (s)", "pandas CPU (s)", "CPU civica / pandas", "load (1 min)"],
            ],
            rows_out,
        )
    )
    if args.caseload:
        runs = caseload_timing(args.repeat)
        wall = _measure.spread([r.wall * 1000 for r in runs], 0)
        cpu = _measure.spread([r.cpu * 1000 for r in runs], 0)
        load = _measure.spread([r.load for r in runs], 1)
        print(f"caseload page (500 cases): wall {wall} ms, CPU {cpu} ms (load {load})")
    print(f"peak RSS of the process (data, frame and every call): {_measure.peak_mb():,.0f} MB")


if __name__ == "__main__":
    main()
