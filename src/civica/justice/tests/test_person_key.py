"""``Case.person_key`` — the linking key reincidence reads from the cases alone — is the
first person with the same link index on every write path (intake, a duplicate record, an
edit that joins or leaves a group, the migration's fill), and reincidence read through it
keeps the rules of docs/justice.md on a hand-made case set: an adolescent's return is a new
contact, a return on the last day of the window counts, a person whose window is not over
is under observation."""

from __future__ import annotations

import datetime as dt
import importlib
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from civica.accounts.access import SYSTEM
from civica.justice import analysis, services
from civica.justice.models import Case, Juzgado, PresentedPerson

pytestmark = pytest.mark.django_db

LOCAL = ZoneInfo("America/Mexico_City")


@pytest.fixture
def juzgado(territory):
    return Juzgado.objects.create(municipality=territory.cuauhtemoc, name="Juzgado CUH-1")


def _intake(juzgado, given, when, birth="1990-04-02"):
    return services.open_case(
        actor=SYSTEM,
        juzgado=juzgado,
        person={"given_names": given, "family_names": "Pérez", "birth_date": birth, "sex": "M"},
        presented_at=when,
    )


def _duplicate(of: PresentedPerson) -> PresentedPerson:
    """A second record of the same person (same names and birth date), as an old import
    could leave it."""
    twin = PresentedPerson(
        pid="J-TWIN" + str(PresentedPerson.objects.count()),
        given_names=of.given_names,
        family_names=of.family_names,
        birth_date=of.birth_date,
        sex=of.sex,
    )
    twin.refresh_derived()
    twin.save()
    return twin


def _case(juzgado, person, when, n, **fields) -> Case:
    return Case.objects.create(
        juzgado=juzgado, folio=f"K-{n}", person=person, presented_at=when, **fields
    )


def _keys() -> dict[str, int]:
    return dict(Case.objects.values_list("folio", "person_key"))


def test_intake_duplicates_and_edits_keep_the_first_person_of_the_link_index(juzgado):
    now = dt.datetime(2025, 3, 1, 22, 0, tzinfo=LOCAL)
    first = _intake(juzgado, "Juan", now)
    again = _intake(juzgado, "Juan", now + dt.timedelta(days=3))
    assert again.person_id == first.person_id  # found again by link index
    assert first.person_key == again.person_key == first.person_id

    typo = _intake(juzgado, "Jaun", now + dt.timedelta(days=5)).person
    twin = _duplicate(typo)
    _case(juzgado, twin, now + dt.timedelta(days=6), 1)
    assert _keys()["K-1"] == typo.pk  # the duplicate record links to the first one

    # The typo is corrected: its cases join Juan's group; the duplicate it leaves behind
    # is now the first (and only) record of "Jaun".
    typo.given_names = "Juan"
    typo.refresh_derived()
    typo.save()
    keys = _keys()
    assert set(Case.objects.filter(person=typo).values_list("person_key", flat=True)) == {
        first.person_id
    }
    assert keys["K-1"] == twin.pk

    # The migration's fill writes the same keys as the writers.
    stored = _keys()
    Case.objects.update(person_key=None)
    from django.apps import apps
    from django.db import connection

    migration = importlib.import_module("civica.justice.migrations.0006_case_person_key")
    migration.fill_person_keys(apps, SimpleNamespace(connection=connection))
    assert _keys() == stored


def test_a_person_without_link_index_is_their_own_key(juzgado):
    person = PresentedPerson.objects.create(pid="J-NOKEY1", given_names="X", family_names="Y")
    assert person.link_index == ""
    case = _case(juzgado, person, dt.datetime(2025, 1, 5, tzinfo=LOCAL), 2)
    assert case.person_key == person.pk


def test_reincidence_read_from_the_cases_keeps_the_rules(juzgado, settings):
    settings.CIVICA_SUPPRESSION_THRESHOLD = 1

    def at(y, m, d, h=23):
        return dt.datetime(y, m, d, h, 30, tzinfo=LOCAL)  # late evening: next day in UTC

    n = iter(range(100))

    def person(given, birth="1990-01-01"):
        p = PresentedPerson(pid=f"J-R{next(n):05d}", given_names=given, family_names="Z")
        p.birth_date = birth
        p.refresh_derived()
        p.save()
        return p

    def resolved(p, presented, done, **fields):
        return _case(juzgado, p, presented, next(n), resolved_at=done, sanction="multa", **fields)

    # Returns on the last day of the 6-month window (31 Jan → 31 Jul): counts at 6 months.
    a = person("A")
    resolved(a, at(2025, 1, 31, 20), at(2025, 1, 31))
    _case(juzgado, a, at(2025, 7, 31), next(n))
    # Returns one day after the 6-month window: counts at 12 months only.
    b = person("B")
    resolved(b, at(2025, 1, 31, 20), at(2025, 1, 31))
    _case(juzgado, b, at(2025, 8, 1), next(n))
    # Never returns.
    c = person("C")
    resolved(c, at(2025, 2, 10, 20), at(2025, 2, 10))
    # A duplicate record of C returns: the same person by link index.
    c2 = _duplicate(c)
    _case(juzgado, c2, at(2025, 4, 1), next(n))
    # An adolescent who returns: a new contact, never reincidence.
    m = person("M", birth="2009-06-01")
    resolved(m, at(2025, 2, 1, 20), at(2025, 2, 1), minor=True)
    _case(juzgado, m, at(2025, 3, 1), next(n), minor=True)
    # Resolved late: the records end before the window does (under observation).
    d = person("D")
    resolved(d, at(2025, 12, 1, 20), at(2025, 12, 1))
    _case(juzgado, d, at(2025, 12, 20), next(n))
    _case(juzgado, person("E"), at(2026, 3, 31), next(n))  # the last presentation recorded

    result = analysis.reincidence(None, start=dt.date(2025, 1, 1), end=dt.date(2025, 12, 31))
    six, twelve = result.row(window_months=6), result.row(window_months=12)
    assert (six.persons, six.observed, six.events, six.under_observation) == (4, 3, 2, 1)
    assert six.returned_so_far == 1  # D came back, still under observation
    assert (twelve.observed, twelve.events) == (3, 3)
    kid = result.row(window_months=6, population="adolescent")
    assert (kid.measure, kid.persons, kid.events) == ("new_contact", 1, 1)
    assert result.adolescents == 1

    # The dashboard's figures read the same table without the curves.
    figures = analysis.figures(
        [("reincidence", "6", None), ("reincidence", "12", None)],
        municipality_ids=None,
        start=dt.date(2025, 1, 1),
        end=dt.date(2025, 12, 31),
    )
    assert [f.total.numerator for f in figures] == [2.0, 3.0]
    assert [f.total.denominator for f in figures] == [3.0, 3.0]
    assert "1" in figures[0].note  # D is still under observation at 6 months
