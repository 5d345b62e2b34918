"""Indicator values are kept by their inputs (``civica.monitoring.kept``): a second view
computes nothing, and a change to a record a figure reads — an insert, an edit through the
ORM or a bulk ``update()`` that sends no signal — computes that figure again, while the
figures that do not read it are reused. The counting happens at the registry: each
computation is wrapped so the test sees how often it really ran."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io

import pytest
from django.urls import reverse

from civica.accounts.models import User
from civica.indicators import Context, registry
from civica.monitoring.catalogue import default_catalogue_path, load_indicators_csv
from civica.monitoring.models import Indicator, KeptResult
from civica.monitoring.periods import parse_period
from civica.monitoring.reports.report import indicator_rows
from civica.monitoring.tests.factories import cover, make_activity
from civica.participants import casework
from civica.participants.models import Person, Service, Track
from civica.participants.tests.factories import consent, enrolled, register

pytestmark = pytest.mark.django_db

PERIOD = "FY2023"


@pytest.fixture
def calls():
    """How many times each computation ran (the registry's functions, wrapped)."""
    counted: dict[str, int] = {}
    saved = dict(registry._items)
    batches = {}  # one wrapper per batch, so the computations sharing one stay together

    def counting_batch(batch):
        def run(asked):
            for name, _context, _parameters in asked:
                counted[name] = counted.get(name, 0) + 1
            return batch(asked)

        return batches.setdefault(batch, run)

    for name, computation in saved.items():

        def counting(context, _name=name, _function=computation.function, **parameters):
            counted[_name] = counted.get(_name, 0) + 1
            return _function(context, **parameters)

        batch = computation.batch and counting_batch(computation.batch)
        registry._items[name] = dataclasses.replace(computation, function=counting, batch=batch)
    yield counted
    registry._items.clear()
    registry._items.update(saved)


def _serve(personas, territory, n, date=dt.date(2023, 2, 1)):
    person = register(
        personas,
        territory,
        not_duplicate_of=[p.pid for p in Person.objects.all()],
        given_names=f"Persona {n}",
        family_names=f"Prueba {n}",
        birth_date="2006-06-01",
        sex="F",
    )
    consent(person)
    enrollment = enrolled(personas, person, track=Track.REINSERTION)
    casework.record_service(
        actor=personas.worker_a, enrollment=enrollment, kind="mentoring", date=date
    )
    return enrollment


def _values(context) -> dict[str, float | None]:
    return {row.code: row.result.value for row in indicator_rows(context)}


@pytest.fixture
def program(personas, territory, settings):
    settings.CIVICA_SUPPRESSION_THRESHOLD = 1
    load_indicators_csv(path=default_catalogue_path())
    for n in range(3):
        _serve(personas, territory, n)
    activity = make_activity()
    cover(activity, territory.cuauhtemoc)
    return Context(period=parse_period(PERIOD))


def test_a_second_view_computes_nothing_and_reads_the_same_values(program, calls):
    first = _values(program)
    assert first["YOUTH-REACHED"] == 3 and first["CJ-MUN"] == 1
    ran = dict(calls)
    assert ran["persons_reached"] == 1 and ran["municipalities_covered"] == 3
    assert _values(program) == first
    # Only the evaluation figure, which keeps its own result in the job store, ran again.
    assert {name: n - ran[name] for name, n in calls.items() if n != ran[name]} == {
        "priority_crime_change": 1
    }


def test_a_new_service_changes_the_people_figures_and_reuses_the_others(
    program, calls, personas, territory
):
    before = _values(program)
    _serve(personas, territory, 9)
    ran = dict(calls)
    after = _values(program)
    assert after["YOUTH-REACHED"] == before["YOUTH-REACHED"] + 1
    assert after["SERVICES"] == before["SERVICES"] + 1
    assert calls["persons_reached"] == ran["persons_reached"] + 1
    assert calls["services_delivered"] == ran["services_delivered"] + 1
    # Coverage, activities and the civic-justice figures do not read participants.
    for name in ("municipalities_covered", "activities", "justice_screened"):
        assert calls[name] == ran[name], name


def test_a_bulk_update_that_sends_no_signal_is_seen(program, calls):
    before = _values(program)
    # Move one service out of the period with a queryset update (no save(), no signal): the
    # database trigger still counts the change.
    Service.objects.filter(pk=Service.objects.order_by("pk").first().pk).update(
        date=dt.date(2020, 1, 1)
    )
    assert _values(program)["SERVICES"] == before["SERVICES"] - 1


def test_an_enrollment_edit_changes_the_figure_that_reads_it(program, calls):
    before = _values(program)
    enrollment = Service.objects.order_by("pk").first().enrollment
    enrollment.track = Track.WOMEN_DETENTION  # not one of the youth tracks the figure counts
    enrollment.save()
    ran = dict(calls)
    row = indicator_rows(program, indicators=[Indicator.objects.get(code="YOUTH-REACHED")])[0]
    assert calls["persons_reached"] == ran["persons_reached"] + 1
    assert row.result.value == before["YOUTH-REACHED"] - 1


def test_a_new_activity_changes_the_coverage_figures_and_reuses_the_people_ones(
    program, calls, territory
):
    before = _values(program)
    ran = dict(calls)
    cover(make_activity(code="otra"), territory.coyoacan, support_type="collaborative")
    after = _values(program)
    assert after["CJ-MUN"] == before["CJ-MUN"] + 1
    assert after["CJ-COLLAB"] == (before["CJ-COLLAB"] or 0) + 1
    assert after["ACTIVITIES"] == before["ACTIVITIES"] + 1
    assert calls["persons_reached"] == ran["persons_reached"]
    assert calls["services_delivered"] == ran["services_delivered"]


def test_each_selection_and_language_is_kept_apart(program, calls, territory):
    whole = _values(program)
    scoped = dataclasses.replace(program, municipality_ids=frozenset({territory.coyoacan.pk}))
    assert _values(scoped)["CJ-MUN"] is not None
    assert _values(scoped)["CJ-MUN"] != whole["CJ-MUN"]
    assert KeptResult.objects.filter(computation="municipalities_covered").count() == 6


@pytest.fixture
def officer(client):
    user = User.objects.create_superuser("root", password="x" * 12, role="administrator")
    client.force_login(user)
    return user


def test_page_exports_and_api_hold_the_same_kept_values(program, calls, client, officer):
    page = client.get(reverse("monitoring:dashboard"), {"period": PERIOD})
    assert page.status_code == 200
    ran = dict(calls)
    text = client.get(
        reverse("monitoring:indicators-export", args=["csv"]), {"period": PERIOD}
    ).content.decode()
    exported = {
        r["indicator"]: r["value"]
        for r in csv.DictReader(io.StringIO(text))
        if not r["disaggregation"]
    }
    api = client.get(reverse("api:monitoring-indicators"), {"period": PERIOD}).json()
    from_api = {r["indicator"]: r["value"] for r in api["rows"] if not r.get("disaggregation")}
    assert exported["YOUTH-REACHED"] == "3"
    assert from_api["YOUTH-REACHED"] in (3, "3", 3.0)
    # Neither export nor API computed a kept figure again: they read the page's values.
    assert {name: n - ran[name] for name, n in calls.items() if n != ran[name]} == {
        "priority_crime_change": 2
    }


def test_a_new_case_changes_the_justice_figures_at_once(
    personas, territory, shared_data, settings, calls
):
    """The civic-justice analysis keeps frames of its own, by a version it asks at most once
    a second: the figure computed again after a new case must not read the frame of before
    (the computation's ``refresh`` drops it)."""
    from civica.justice.tests.factories import cdmx_world, open_case

    settings.CIVICA_SUPPRESSION_THRESHOLD = 1
    load_indicators_csv(path=default_catalogue_path())
    juzgado, _other, judge, _staff = cdmx_world(territory, shared_data)
    open_case(judge, juzgado, hours_ago=5)
    wanted = list(Indicator.objects.filter(code__in=["JC-SCREENED", "YOUTH-REACHED"]))
    context = Context(period=parse_period(str(dt.date.today().year)))

    def screened():
        rows = {r.code: r for r in indicator_rows(context, indicators=wanted)}
        return rows["JC-SCREENED"].result.parts["denominator"]

    assert screened() == 1
    assert screened() == 1
    ran = dict(calls)
    open_case(judge, juzgado, hours_ago=4, person={**_PERSON, "given_names": "Pedro"})
    assert screened() == 2
    assert calls["justice_screened"] == ran["justice_screened"] + 1
    assert calls.get("persons_reached", 0) == ran.get("persons_reached", 0)


_PERSON = {"family_names": "Gómez Ruiz", "birth_date": "1991-05-03", "sex": "M"}


def test_the_coverage_map_is_drawn_again_when_coverage_changes(program, territory):
    from civica.monitoring.reports.maps import coverage_map

    first = coverage_map(program)
    assert coverage_map(program) == first
    cover(make_activity(code="mapa"), territory.coyoacan, support_type="collaborative")
    again = coverage_map(program)
    assert len(again["paths"]) > len(first["paths"])
    assert any(p["cls"] == "support-collaborative" for p in again["paths"])


def _version(app: str) -> int:
    from civica.monitoring import kept

    return int(kept.input_versions([app])[app])


def test_an_upsert_of_a_read_table_counts_as_a_change_and_succeeds():
    """``bulk_create(update_conflicts=True)`` (the CONAPO import's upsert) fires the counting
    triggers under the statement's own conflict policy; the count must still go up once per
    statement or row, and the upsert must not fail on the count's row (SQLite once refused
    it: the trigger body's ``INSERT OR IGNORE`` took the upsert's policy)."""
    from civica.monitoring.models import InputChange
    from civica.territory.models import PopulationEstimate, State

    state = State.objects.create(code="99", name="Estado de prueba")
    estimate = PopulationEstimate.objects.create(state=state, year=2020, total=10)
    before = _version("territory")
    estimate.total = 11
    PopulationEstimate.objects.bulk_create(
        [estimate], update_conflicts=True, unique_fields=["id"], update_fields=["total"]
    )
    assert _version("territory") > before
    InputChange.objects.filter(app="territory").delete()  # the count's rows gone: made again
    PopulationEstimate.objects.bulk_create(
        [PopulationEstimate(id=estimate.pk, state=state, year=2020, total=12)],
        update_conflicts=True,
        unique_fields=["id"],
        update_fields=["total"],
    )
    assert PopulationEstimate.objects.get(pk=estimate.pk).total == 12
    assert _version("territory") >= 1
