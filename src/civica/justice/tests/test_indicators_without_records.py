"""The indicator table, its breakdowns, the monthly trend and reincidence answer (with no
figure) when there are no cases, or cases none of them resolved yet."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from civica.accounts.access import SYSTEM
from civica.justice import analysis
from civica.justice.tests.factories import cdmx_world, offence, open_case

pytestmark = pytest.mark.django_db


def _everything(ids, start, end) -> list:
    tables = [analysis.table(ids, start=start, end=end, by=by) for by in (None, *analysis.BY)]
    analysis.monthly(ids, start=start, end=end)
    assert analysis.reincidence(ids, start=start, end=end) is None
    return tables


def test_no_cases_no_figures(territory):
    for ids in (None, {territory.cuauhtemoc.id}, set()):
        for table in _everything(ids, dt.date(2025, 1, 1), dt.date(2025, 12, 31)):
            assert len(table) == len(analysis.DASHBOARD_MEASURES)
            assert all(f.total.value is None and not f.rows for f in table)


def test_cases_none_resolved(territory, shared_data):
    juzgado, *_ = cdmx_world(territory, shared_data)
    open_case(SYSTEM, juzgado, offences=[offence(territory)])
    today = timezone.localdate()
    for ids in (None, {territory.cuauhtemoc.id}):
        table = _everything(ids, today - dt.timedelta(days=365), today)[0]
        assert table[1].total.denominator == 0 or table[1].total.hidden  # one presentation
        hours = next(f for f in table if f.measure.name == "hours_to_resolution")
        assert hours.total.value is None and hours.total.denominator == 0
