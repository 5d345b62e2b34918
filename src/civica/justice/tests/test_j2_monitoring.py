"""The civic-justice indicators appear in the monitoring catalogue with their Spanish and
English names and link to their breakdown page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from civica.indicators import Context
from civica.justice.synthetic import load
from civica.justice.synthetic_book import MunicipalityBook
from civica.monitoring.catalogue import default_catalogue_path, load_indicators_csv
from civica.monitoring.models import Indicator
from civica.monitoring.periods import parse_period
from civica.monitoring.reports.report import indicator_rows

pytestmark = pytest.mark.django_db


def test_the_catalogue_carries_the_justice_indicators_with_drill_down(personas):
    load(end=dt.datetime(2026, 11, 30, 4, 0), seed=11, books=(MunicipalityBook("09015", 300),))
    load_indicators_csv(path=default_catalogue_path())
    justice = Indicator.objects.filter(code__startswith="JC-").order_by("code")
    assert justice.count() == 15
    screened = Indicator.objects.get(code="JC-SCREENED")
    assert screened.localized("name", "es") == "Presentaciones con tamizaje"
    assert screened.localized("name", "en") == "Presentations screened (tamizaje)"
    context = Context(
        period=parse_period("2025"),
        municipality_ids=frozenset({personas.analyst_cuauhtemoc.municipalities.first().id}),
    )
    rows = {
        r.indicator.code: r
        for r in indicator_rows(context, can_view_aggregates=True, indicators=justice)
    }
    row = rows["JC-SCREENED"]
    assert row.value is not None and 0 < row.value <= 100
    assert {k for c in row.cells for k, _v in c.categories} == {
        "sex",
        "age_band",
        "juzgado",
        "family",
    }
    assert row.records_url.startswith(reverse("justice:indicator"))
    assert "indicator=JC-SCREENED" in row.records_url
    assert rows["JC-REINCIDENCE-12"].value is not None
    assert rows["JC-RATE"].value is not None or rows["JC-RATE"].result.unavailable
