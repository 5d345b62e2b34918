"""The reinsertion indicators: women served, hours, certificates and the after-release
shares, by facility and age band, with small denominators not shown."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from civica.indicators import Context, registry
from civica.reinsertion import services
from civica.reinsertion.tests.factories import admitted, facility
from civica.testing.fixtures import REPO_ROOT


def _context(label="FY2024"):
    year = int(label[2:])  # US fiscal year: October to September
    period = SimpleNamespace(start=dt.date(year - 1, 10, 1), end=dt.date(year, 9, 30))
    return Context(period=period)


def test_counts_and_shares(personas, territory, settings):
    settings.CIVICA_SUPPRESSION_THRESHOLD = 3
    place = facility(personas, territory)
    stays = [
        admitted(personas, territory, place, n, admission=dt.date(2023, 3, 1)) for n in range(4)
    ]
    cohort = services.create_cohort(
        actor=personas.worker_a,
        facility=place,
        organization=personas.org_a,
        kind="course",
        name="Costura",
        start_date=dt.date(2023, 10, 1),
        required_hours=2,
        certifies=True,
    )
    members = [
        services.add_member(actor=personas.worker_a, cohort=cohort, custody=s) for s in stays
    ]
    services.record_session(
        actor=personas.worker_a,
        cohort=cohort,
        date=dt.date(2023, 10, 2),
        hours=2,
        present=[m.pk for m in members[:3]],
    )
    for m in members[:2]:
        services.complete(actor=personas.worker_a, member=m, on=dt.date(2023, 10, 3))
    for n, stay in enumerate(stays):
        if n < 2:
            services.start_plan(
                actor=personas.worker_a, custody=stay, started_on=dt.date(2023, 11, 1)
            )
        services.record_release(
            actor=personas.worker_a, custody=stay, actual_release=dt.date(2023, 12, 15)
        )
        services.record_follow_up(
            actor=personas.worker_a,
            enrollment=stay.enrollment,
            months=6,
            date=dt.date(2024, 6, 20),
            housing="stable",
            activity="employed" if n else "neither",
        )
    compute = registry.get("reinsertion_women").function
    served = compute(_context(), measure="women_served", by=["facility"])
    assert served.value == 3 and served.cells[0].value == 3
    assert compute(_context(), measure="hours_completed").value == 6
    assert compute(_context(), measure="certificates").value == 2
    plan = compute(_context(), measure="plan_30_days")
    assert plan.value == 50.0 and plan.parts == {"numerator": 2, "denominator": 4}
    assert compute(_context(), measure="working_or_studying_6").value == 75.0
    settings.CIVICA_SUPPRESSION_THRESHOLD = 5
    assert compute(_context(), measure="working_or_studying_6").value is None
    assert compute(_context("FY2020"), measure="women_served").value is None


def test_catalogue_names_the_computation():
    path = REPO_ROOT / "src" / "civica" / "monitoring" / "data" / "indicators.csv"
    text = path.read_text(encoding="utf-8")
    assert text.count("reinsertion_women") == 7 and "Mujeres atendidas" in text
