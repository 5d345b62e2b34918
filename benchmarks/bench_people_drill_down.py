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

The breakdown and pandas take turns (A, B, A, B, … ``--repeat`` rounds, in this process);
every figure is wall and CPU time (``_measure.call``) with the load average, and the
process's peak resident memory is printed at the end. Every unsuppressed group of the
breakdown is checked against pandas.

    python benchmarks/bench_people_drill_down.py
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/civica_bench \\
        python benchmarks/bench_people_drill_down.py
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import _measure
from bench_persons_reached import ensure_data, setup

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
    print(_measure.machine("Behind a people figure: breakdown, ids and page"), flush=True)
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
    loaded, df = _measure.call("frame", frame)
    print(
        f"pandas: DataFrame of {len(df):,} services loaded in {loaded.wall:.1f} s wall, "
        f"{loaded.cpu:.1f} s CPU (not in the timings below)"
    )
    user = supervisor()
    setup_test_environment()
    client = Client()
    client.force_login(user)
    client.get("/monitoring/people/?period=FY2023&kind=persons")  # warm the templates

    def cells(runs) -> list[str]:
        return [
            _measure.spread([r.wall for r in runs], 3),
            _measure.spread([r.cpu for r in runs], 3),
        ]

    rows = []
    for fy in (2022, 2023, 2024):
        context = Context(period=parse_period(f"FY{fy}"))
        url = f"/monitoring/people/?period=FY{fy}&kind=persons"
        pair, answers = _measure.alternate(
            {
                "breakdown": lambda c=context: people.breakdown(SYSTEM, c, kind="persons"),
                "pandas": lambda c=context: pandas_breakdown(df, c.period.start, c.period.end),
            },
            args.repeat,
        )
        groups, expected = answers["breakdown"], answers["pandas"]
        for key in DIMENSIONS:
            for g in groups[key]:
                if not g.suppressed and expected[key].get(g.key) != g.value:
                    raise SystemExit(f"mismatch FY{fy} {key}={g.key}: {g.value} vs pandas")
        alone, answers = _measure.alternate(
            {
                "ids": lambda c=context: people.persons_behind(user, c, kind="persons"),
                "page": lambda u=url: client.get(u),
            },
            args.repeat,
        )
        behind = answers["ids"]
        assert answers["page"].status_code == 200
        every = [run for runs in (*pair.values(), *alone.values()) for run in runs]
        rows.append(
            [
                f"FY{fy}",
                f"{behind.total:,}",
                *cells(pair["breakdown"]),
                *cells(pair["pandas"]),
                _measure.ratio(pair["breakdown"], pair["pandas"], "cpu"),
                *cells(alone["ids"]),
                f"{len(behind.pids):,}",
                f"{behind.outside:,}",
                *cells(alone["page"]),
                _measure.spread([r.load for r in every], 1),
            ]
        )
    header = ["period", "persons", "breakdown wall (s)", "breakdown CPU (s)", "pandas wall (s)"]
    header += ["pandas CPU (s)", "CPU ratio", "ids wall (s)", "ids CPU (s)", "ids", "outside"]
    header += ["page wall (s)", "page CPU (s)", "load (1 min)"]
    print(_measure.table(header, rows))
    print(f"peak RSS of the process (data, frame and every call): {_measure.peak_mb():,.0f} MB")


if __name__ == "__main__":
    main()
