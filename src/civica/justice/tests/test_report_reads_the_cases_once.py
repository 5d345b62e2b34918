"""A report asks for every civic-justice indicator of the catalogue at once: they are answered
from one ``justice.analysis.figures`` call for the context (the cases counted once over every
breakdown), not one call per indicator, and each result is the one the indicator alone
gives."""

from __future__ import annotations

import datetime as dt

import pytest

from civica.indicators import Context, registry
from civica.justice import analysis
from civica.justice.synthetic import load
from civica.justice.synthetic_book import MunicipalityBook
from civica.monitoring.catalogue import default_catalogue_path, load_indicators_csv
from civica.monitoring.models import Indicator
from civica.monitoring.periods import parse_period

pytestmark = pytest.mark.django_db


def test_every_justice_indicator_of_a_report_comes_from_one_figures_call(
    personas, monkeypatch, settings
):
    settings.CIVICA_SUPPRESSION_THRESHOLD = 1
    load(end=dt.datetime(2026, 11, 30, 4, 0), seed=11, books=(MunicipalityBook("09015", 300),))
    load_indicators_csv(path=default_catalogue_path())
    justice = list(Indicator.objects.filter(code__startswith="JC-").order_by("code"))
    context = Context(period=parse_period("2025"))
    asked = [(i.computation, context, i.parameters) for i in justice]
    alone = [registry.compute(*item) for item in asked]

    calls = []
    figures = analysis.figures

    def counting(wanted, **kwargs):
        calls.append(len(wanted))
        return figures(wanted, **kwargs)

    monkeypatch.setattr(analysis, "figures", counting)
    together = registry.compute_many(asked)
    assert len(calls) == 1
    assert together == alone
    assert sum(r.value is not None for r in together) >= 10
