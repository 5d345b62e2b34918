"""Civic-justice indicators agree with the synthetic book's own records, hide small groups,
and plug into the monitoring registry."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from civica.indicators import Context, registry
from civica.justice import analysis
from civica.justice.synthetic import load
from civica.justice.synthetic_book import MunicipalityBook, generate_book
from civica.stats.reincidence import reincidence

pytestmark = pytest.mark.django_db

END = dt.datetime(2026, 11, 30, 4, 0)
BOOKS = (MunicipalityBook("02004", 400, juzgados=2), MunicipalityBook("09015", 150))
START, STOP = dt.date(2025, 1, 1), dt.date(2025, 12, 31)


@pytest.fixture
def book(territory):
    load(end=END, seed=4, books=BOOKS)
    cases = generate_book(list(BOOKS), end=END, seed=4).cases
    local = cases["presented_at"].dt.date
    return cases[(local >= START) & (local <= STOP)]


def _figure(name, **kw):
    return analysis.figure(name, municipality_ids=None, start=START, end=STOP, **kw)


def test_shares_of_presentations_equal_the_records_drawn(book):
    got = _figure("medical_certificate")
    assert got.total.denominator == len(book)
    assert got.total.numerator == book["medical_at"].notna().sum()
    assert got.total.value == pytest.approx(100 * book["medical_at"].notna().mean())
    assert _figure("rnd_folio").total.numerator == (book["rnd_folio"] != "").sum()
    assert _figure("screened").total.numerator == book["screened_at"].notna().sum()


def test_hours_to_resolution_is_the_median_of_the_records(book):
    done = book[book["resolved_at"].notna()]
    hours = (done["resolved_at"] - done["presented_at"]).dt.total_seconds() / 3600
    assert _figure("hours_to_resolution").total.value == pytest.approx(hours.median())


def test_breakdowns_add_up_and_hide_small_groups(book, settings):
    settings.CIVICA_SUPPRESSION_THRESHOLD = 5
    got = _figure("screened", by="sex")
    shown = [r for r in got.rows if not r.hidden]
    assert sum(r.denominator for r in shown) <= got.total.denominator
    assert {r.key for r in got.rows} <= {"M", "F", "—"}
    settings.CIVICA_SUPPRESSION_THRESHOLD = 10_000
    hidden = _figure("screened", by="juzgado")
    assert hidden.total.hidden and all(r.hidden for r in hidden.rows)
    assert hidden.total.value is None and hidden.total.numerator is None


def test_rate_per_100000_uses_conapo_population(book, territory):
    from civica.territory.models import PopulationEstimate

    ids = {territory.tijuana.id, territory.cuauhtemoc.id}
    people = sum(
        PopulationEstimate.objects.filter(municipality_id=i)
        .order_by("-year")
        .values_list("total", flat=True)
        .first()
        or 0
        for i in ids
    )
    got = _figure("presentations_rate")
    if people:
        assert got.total.value == pytest.approx(len(book) * 365 / 365 / people * 1e5)
    else:
        assert got.total.value is None and got.note


def test_reincidence_equals_the_statistics_on_the_records(book):
    result = analysis.reincidence(None, start=START, end=STOP)
    resolutions, presentations = analysis.reincidence_frames(None, start=START, end=STOP)
    again = reincidence(resolutions, presentations)
    assert result.row(window_months=6) == again.row(window_months=6)
    adults = result.row(window_months=6)
    assert adults.persons + result.adolescents == len(resolutions["person"].unique())
    assert adults.observed > 0 and adults.under_observation >= 0
    figure = _figure("reincidence", parameter="6")
    assert figure.total.value == pytest.approx(100 * adults.share)


def test_the_registry_answers_with_cells_and_a_drill_down(book):
    class Period:
        start, end, label = START, STOP, "2025"

    result = registry.compute(
        "justice_screened", Context(period=Period()), {"by": ["sex", "family"]}
    )
    assert result.value is not None
    assert {k for c in result.cells for k, _v in c.categories} == {"sex", "family"}
    assert result.records[0] == "justice:indicator"
    empty = registry.compute(
        "justice_reincidence",
        Context(period=Period(), municipality_ids=frozenset({-1})),
        {"months": "12"},
    )
    assert empty.value is None and empty.unavailable
    assert np.isfinite(pd.Series([result.value])).all()
