"""The dashboard's territory summary (``selectors.summary``, every view of ``/``): the
population of the latest year not after this one, else the earliest, read by aggregates over
the years — not the distinct years of every estimate, which the model's ordering (state,
municipality, year) turned into a join and a sort of ~130,000 rows on each view: the
slowest page under load."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from civica.accounts.models import User
from civica.territory import selectors
from civica.territory.models import Municipality, PopulationEstimate, State

pytestmark = pytest.mark.django_db


@pytest.fixture
def root():
    return User.objects.create_superuser("root", password="x" * 12, role="administrator")


def _places():
    state = State.objects.create(code="97", name="Estado de prueba")
    towns = [
        Municipality.objects.create(state=state, cvegeo=f"97{n:03}", name=f"Municipio {n}")
        for n in (1, 2)
    ]
    return state, towns


def _estimate(state, town, year, total):
    PopulationEstimate.objects.create(state=state, municipality=town, year=year, total=total)


def test_the_population_of_the_latest_year_not_after_this_one(root):
    state, (one, two) = _places()
    this_year = timezone.localdate().year
    for year, total in ((this_year - 1, 100), (this_year, 200), (this_year + 3, 900)):
        _estimate(state, one, year, total)
        _estimate(state, two, year, total + 1)
    PopulationEstimate.objects.create(state=state, year=this_year, total=5)  # the state's row
    summary = selectors.summary(root)
    assert (summary.population_year, summary.population_in_scope) == (this_year, 401)


def test_only_future_years_give_the_earliest(root):
    state, (one, _two) = _places()
    this_year = timezone.localdate().year
    _estimate(state, one, this_year + 2, 30)
    _estimate(state, one, this_year + 1, 20)
    summary = selectors.summary(root)
    assert (summary.population_year, summary.population_in_scope) == (this_year + 1, 20)


def test_no_estimate_no_year(root):
    _places()
    summary = selectors.summary(root)
    assert (summary.population_year, summary.population_in_scope) == (None, None)


def test_the_years_are_read_without_joining_or_sorting_every_estimate(root):
    state, (one, two) = _places()
    for year in range(2015, 2031):
        _estimate(state, one, year, 10)
        _estimate(state, two, year, 10)
    with CaptureQueriesContext(connection) as queries:
        selectors.summary(root)
    population = [q["sql"] for q in queries if "territory_populationestimate" in q["sql"]]
    assert population
    for sql in population:
        assert "DISTINCT" not in sql and "JOIN" not in sql and "ORDER BY" not in sql, sql
