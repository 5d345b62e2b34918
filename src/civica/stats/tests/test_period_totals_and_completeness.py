"""Totals over periods never pass off missing months as zeros."""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import pandas as pd
import pytest

from civica.stats import Completeness, Period, period_total


def test_a_complete_quarter_adds_its_three_months():
    total = period_total({(2023, 1): 5, (2023, 2): 0, (2023, 3): 7}, Period.quarter(2023, 1))
    assert total.total == 12
    assert total.complete
    assert total.missing == ()


def test_a_zero_is_reported_but_an_empty_month_is_missing():
    total = period_total(
        {(2023, 1): 0, (2023, 2): None, (2023, 3): np.nan}, Period.quarter(2023, 1)
    )
    assert total.total == 0
    assert not total.complete
    assert total.missing == ((2023, 2), (2023, 3))
    assert total.completeness.reported == ((2023, 1),)


def test_a_month_absent_from_the_series_is_missing():
    total = period_total({(2023, 1): 5, (2023, 3): 7}, Period.quarter(2023, 1))
    assert total.total == 12
    assert total.missing == ((2023, 2),)


def test_a_period_with_nothing_reported_totals_nan_not_zero():
    total = period_total({(2022, 12): 3}, Period.quarter(2023, 1))
    assert math.isnan(total.total)
    assert total.completeness.n_missing == 3


def test_completeness_of_a_fiscal_year_lists_the_missing_months_in_order():
    counts = {(2022, 10): 1, (2022, 11): 1, (2023, 9): 1}
    completeness = Completeness.of(Period.fiscal_year(2023), counts)
    assert completeness.n_reported == 3
    assert completeness.missing[0] == (2022, 12)
    assert completeness.missing[-1] == (2023, 8)
    assert completeness.n_missing == 9


@pytest.mark.parametrize(
    "index",
    [
        pd.period_range("2023-01", periods=3, freq="M"),
        pd.date_range("2023-01-01", periods=3, freq="MS"),
        pd.Index(["2023-01", "2023-02", "2023-03"]),
        pd.Index([Period.month(2023, m) for m in (1, 2, 3)]),
        pd.MultiIndex.from_tuples([(2023, 1), (2023, 2), (2023, 3)]),
        pd.Index([date(2023, 1, 15), date(2023, 2, 15), date(2023, 3, 15)]),
    ],
)
def test_it_reads_the_usual_ways_of_indexing_months(index):
    total = period_total(pd.Series([1, 2, 3], index=index), Period.quarter(2023, 1))
    assert total.total == 6
    assert total.complete


def test_it_reads_a_nullable_integer_series_with_missing_months():
    series = pd.Series(
        pd.array([1, None, 3], dtype="Int64"), index=pd.period_range("2023-01", periods=3, freq="M")
    )
    total = period_total(series, Period.quarter(2023, 1))
    assert total.total == 4
    assert total.missing == ((2023, 2),)


def test_it_rejects_a_month_given_twice():
    series = pd.Series([1, 2], index=["2023-01", "2023-01"])
    with pytest.raises(ValueError, match="twice"):
        period_total(series, Period.quarter(2023, 1))


def test_it_rejects_negative_counts():
    with pytest.raises(ValueError, match="negative"):
        period_total({(2023, 1): -1}, Period.quarter(2023, 1))


def test_it_rejects_a_quarterly_index_for_monthly_counts():
    series = pd.Series([1], index=pd.period_range("2023Q1", periods=1, freq="Q"))
    with pytest.raises(ValueError, match="months"):
        period_total(series, Period.quarter(2023, 1))
