"""Persons reached, read from real participant records, with disclosure control.

43 persons reached in FY2023 in the reinsertion track: 3 young women aged 15–17, and 40 young
men of whom 22 are 15–17 and 18 are 18–19 at their first service of the year.
"""

import datetime as dt

import pytest

from civica.indicators import Context, registry
from civica.monitoring.catalogue import default_catalogue_path, load_indicators_csv
from civica.monitoring.periods import parse_period
from civica.monitoring.reports.report import indicator_rows
from civica.participants import casework
from civica.participants.models import Person, Sex, Track
from civica.participants.tests.factories import consent, enrolled, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def participants(personas, territory):
    people = (
        [(Sex.FEMALE, dt.date(2006, 6, 1))] * 3
        + [(Sex.MALE, dt.date(2006, 6, 1))] * 22
        + [(Sex.MALE, dt.date(2004, 6, 1))] * 18
    )
    for n, (sex, born) in enumerate(people):
        person = register(
            personas,
            territory,
            not_duplicate_of=[p.pid for p in Person.objects.all()],
            given_names=f"Persona {n}",
            family_names=f"Prueba {n}",
            birth_date=(born + dt.timedelta(days=n)).isoformat(),
            sex=sex,
        )
        consent(person)
        enrollment = enrolled(personas, person, track=Track.REINSERTION)
        casework.record_service(
            actor=personas.worker_a,
            enrollment=enrollment,
            kind="mentoring",
            date=dt.date(2023, 2, 1),
        )


def test_unique_persons_are_counted_once_for_the_period(participants):
    context = Context(period=parse_period("FY2023"))
    result = registry.compute(
        "persons_reached", context, {"by": ["sex"], "tracks": ["reinsertion"]}
    )
    assert result.value == 43
    other_track = registry.compute("persons_reached", context, {"tracks": ["prevention"]})
    assert other_track.value is None  # no record of that track in the period: not zero
    earlier = registry.compute("persons_reached", Context(period=parse_period("FY2021")), {})
    assert earlier.value is None


def test_a_small_cell_and_its_complement_are_suppressed_in_the_table(participants):
    load_indicators_csv(path=default_catalogue_path())
    rows = {r.code: r for r in indicator_rows(Context(period=parse_period("FY2023")))}
    youth = rows["YOUTH-REACHED"]
    assert youth.value == 43
    by_sex = {dict(c.categories)["sex"]: c for c in youth.cells if "sex" in dict(c.categories)}
    assert by_sex["F"].suppressed and by_sex["F"].value is None
    assert by_sex["M"].suppressed  # else 43 − 40 gives the hidden 3 back
    ages = [c for c in youth.cells if "age_band" in dict(c.categories)]
    assert [c.value for c in ages] == [25, 18]
    assert rows["SERVICES"].value == 43  # one mentoring session each


def test_a_total_below_the_threshold_is_shown_as_suppressed(participants, settings):
    settings.CIVICA_SUPPRESSION_THRESHOLD = 50
    load_indicators_csv(path=default_catalogue_path())
    youth = {r.code: r for r in indicator_rows(Context(period=parse_period("FY2023")))}[
        "YOUTH-REACHED"
    ]
    assert youth.value is None and youth.suppressed and youth.display("es") == "<50"
    assert youth.status == "not_available"


def test_a_stored_indicator_that_no_longer_fits_is_not_available_not_an_error(participants):
    from civica.monitoring.models import Indicator

    load_indicators_csv(path=default_catalogue_path())
    Indicator.objects.filter(code="YOUTH-REACHED").update(
        parameters={"tracks": ["secondary_prevention"]}  # an older catalogue's track name
    )
    youth = {r.code: r for r in indicator_rows(Context(period=parse_period("FY2023")))}[
        "YOUTH-REACHED"
    ]
    assert youth.value is None
    assert "secondary_prevention" in youth.display("en")
    assert "load-indicators" in youth.display("en")
