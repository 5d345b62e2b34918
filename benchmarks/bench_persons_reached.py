"""Unique persons reached by fiscal year × municipality × sex × age band, at program scale.

SYNTHETIC data: ``civica.participants.synthetic.generate`` writes 100,000 persons and
1,000,000 services (by default) into a throw-away workspace, over a bare synthetic territory
(12 states, 60 municipalities, no geometry) when none is imported. Then, for each fiscal year
FY2022–FY2024, it times:

* **civica**: ``persons_reached(start, end, by=["municipality_id", "sex", "age_band"])``, one
  SQL statement on the database (SQLite by default, PostgreSQL with ``DATABASE_URL``);
* **pandas** (the peer): the same count from a DataFrame of services already joined with the
  persons' municipality, sex and birth month and held in memory (loading it is timed apart).

Both results are compared cell by cell. With ``--caseload`` it also times the caseload page of
a case worker with 500 open cases through Django's test client.

    python benchmarks/bench_persons_reached.py
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/civica_bench \
        python benchmarks/bench_persons_reached.py
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))


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
    t0 = time.perf_counter()
    generate(persons=persons, services=services, municipalities=60, states=12, seed=seed)
    print(
        f"generated {persons:,} persons and {services:,} services (synthetic) "
        f"in {time.perf_counter() - t0:.1f} s"
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


def timed(fn, repeat):
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), min(times), max(times), result


def caseload_timing(repeat: int) -> tuple[float, float, float]:
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
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - t0)
        assert response.status_code == 200
    print(f"caseload cases: {len(ids)}")
    return statistics.median(times), min(times), max(times)


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
    home = args.home or tempfile.mkdtemp(prefix="civica-bench-reach-")
    setup(home)
    from django.db import connection

    from civica.participants.reach import persons_reached

    print(f"database: {connection.vendor}; workspace {home}")
    ensure_data(args.persons, args.services, args.seed)
    t0 = time.perf_counter()
    df = frame()
    print(
        f"pandas: DataFrame of {len(df):,} services loaded in {time.perf_counter() - t0:.1f} s "
        "(not in the timings below)"
    )
    by = ["municipality_id", "sex", "age_band"]
    print(
        f"{'fiscal year':12} {'groups':>7} {'persons':>8} {'civica s':>9} {'pandas s':>9} "
        f"{'ratio':>6}"
    )
    for fy in (2022, 2023, 2024):
        start, end = dt.date(fy - 1, 10, 1), dt.date(fy, 9, 30)
        c_med, _c_lo, _c_hi, rows = timed(
            lambda s=start, e=end: persons_reached(start=s, end=e, by=by), args.repeat
        )
        p_med, _p_lo, _p_hi, expected = timed(
            lambda s=start, e=end: pandas_reached(df, s, e), args.repeat
        )
        got = {(r["municipality_id"], r["sex"], r["age_band"]): r["persons"] for r in rows}
        assert got == expected, "civica and pandas disagree"
        print(
            f"FY{fy:<10} {len(rows):>7} {sum(got.values()):>8,} {c_med:>9.3f} {p_med:>9.3f} "
            f"{p_med / c_med:>5.2f}x"
        )
    if args.caseload:
        med, lo, hi = caseload_timing(args.repeat)
        print(
            f"caseload page (500 cases): median {med * 1000:.0f} ms "
            f"({lo * 1000:.0f}–{hi * 1000:.0f})"
        )


if __name__ == "__main__":
    main()
