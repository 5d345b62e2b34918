"""What stands behind a people figure: breakdown, in-scope ids and the page, at program scale.

SYNTHETIC data: ``civica.participants.synthetic.generate`` writes 20,000 persons and 200,000
services (by default) into a throw-away workspace over a bare synthetic territory (12 states,
60 municipalities). For FY2022–FY2024 it times, median of ``--repeat``:

* **civica breakdown**: ``monitoring.reports.people.breakdown`` — the figure by municipality, state,
  track, sex and age band (five SQL statements of ``participants.reach``, labels, suppression);
* **pandas** (the peer): the same five groupings from a DataFrame of the services already
  joined with track, municipality, state, sex and birth month and held in memory (loading it
  is timed apart);
* **civica ids**: ``monitoring.reports.people.persons_behind`` for a supervisor of one organization;
* **page**: ``GET /monitoring/people/`` as that supervisor (breakdown + first page of ids).

Every unsuppressed group of the breakdown is checked against pandas.

    python benchmarks/bench_people_drill_down.py
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/civica_bench \\
        python benchmarks/bench_people_drill_down.py
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_persons_reached import ensure_data, setup, timed

DIMENSIONS = ("municipality_id", "state_id", "track", "sex", "age_band")


def frame():
    import pandas as pd
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT s.person_id, s.date, s.attended, e.track, p.municipality_id, m.state_id, "
            "p.sex, p.birth_month_index FROM participants_service s "
            "JOIN participants_enrollment e ON e.id = s.enrollment_id "
            "JOIN participants_person p ON p.id = s.person_id "
            "JOIN territory_municipality m ON m.id = p.municipality_id"
        )
        rows = cursor.fetchall()
    df = pd.DataFrame(
        rows,
        columns=[
            "person",
            "date",
            "attended",
            "track",
            "municipality_id",
            "state_id",
            "sex",
            "birth",
        ],
    )
    df["date"] = pd.to_datetime(df["date"])
    df["attended"] = df["attended"].astype(bool)
    return df


def pandas_breakdown(df, start, end) -> dict:
    import numpy as np
    import pandas as pd

    from civica.participants.identity import AGE_BANDS

    period = df[df.attended & (df.date >= pd.Timestamp(start)) & (df.date <= pd.Timestamp(end))]
    first = period.groupby("person", sort=False).agg(
        date=("date", "min"),
        municipality_id=("municipality_id", "first"),
        state_id=("state_id", "first"),
        sex=("sex", "first"),
        birth=("birth", "first"),
    )
    months = first.date.dt.year * 12 + first.date.dt.month - 1 - first.birth
    edges = [high for _label, _low, high in AGE_BANDS if high]
    labels = np.array([label for label, _low, _high in AGE_BANDS])
    band = labels[np.searchsorted(edges, months.to_numpy(), side="right")]
    first = first.assign(age_band=np.where(months.isna(), "unknown", band))
    out = {}
    for key in ("municipality_id", "state_id", "sex", "age_band"):
        out[key] = {str(k): int(v) for k, v in first.groupby(key).size().items()}
    tracks = period[["person", "track"]].drop_duplicates().groupby("track").size()
    out["track"] = {str(k): int(v) for k, v in tracks.items()}
    return out


def supervisor():
    from civica.accounts.models import User
    from civica.accounts.roles import Role
    from civica.participants.models import Enrollment

    (org_id,) = Enrollment.objects.values_list("organization_id", flat=True)[:1]
    user, _ = User.objects.get_or_create(
        username="bench-supervisor", defaults={"role": Role.SUPERVISOR, "nationwide": True}
    )
    user.organizations.set([org_id])
    return user


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=20_000)
    parser.add_argument("--services", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--home", default=None, help="Reuse this workspace (its data is kept); default: a new one."
    )
    args = parser.parse_args()
    home = args.home or tempfile.mkdtemp(prefix="civica-bench-people-")
    setup(home)
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    from civica.accounts.access import SYSTEM
    from civica.indicators import Context
    from civica.monitoring.periods import parse_period
    from civica.monitoring.reports import people

    print(f"database: {connection.vendor}; workspace {home}")
    ensure_data(args.persons, args.services, args.seed)
    t0 = time.perf_counter()
    df = frame()
    print(f"pandas: DataFrame of {len(df):,} services loaded in {time.perf_counter() - t0:.1f} s")
    user = supervisor()
    setup_test_environment()
    client = Client()
    client.force_login(user)
    client.get("/monitoring/people/?period=FY2023&kind=persons")  # warm the templates
    print(
        f"{'period':7} {'persons':>8} {'breakdown s':>12} {'pandas s':>9} {'ratio':>6} "
        f"{'ids s':>6} {'ids':>6} {'outside':>8} {'page s':>7}"
    )
    for fy in (2022, 2023, 2024):
        context = Context(period=parse_period(f"FY{fy}"))
        b_med, _lo, _hi, groups = timed(
            lambda c=context: people.breakdown(SYSTEM, c, kind="persons"), args.repeat
        )
        p_med, _lo, _hi, expected = timed(
            lambda c=context: pandas_breakdown(df, c.period.start, c.period.end), args.repeat
        )
        for key in DIMENSIONS:
            for g in groups[key]:
                if not g.suppressed and expected[key].get(g.key) != g.value:
                    raise SystemExit(f"mismatch FY{fy} {key}={g.key}: {g.value} vs pandas")
        i_med, _lo, _hi, behind = timed(
            lambda c=context: people.persons_behind(user, c, kind="persons"), args.repeat
        )
        url = f"/monitoring/people/?period=FY{fy}&kind=persons"
        g_med, _lo, _hi, response = timed(lambda u=url: client.get(u), args.repeat)
        assert response.status_code == 200
        print(
            f"FY{fy:<5} {behind.total:>8,} {b_med:>12.3f} {p_med:>9.3f} {b_med / p_med:>6.1f} "
            f"{i_med:>6.3f} {len(behind.pids):>6,} {behind.outside:>8,} {g_med:>7.3f}"
        )


if __name__ == "__main__":
    main()
