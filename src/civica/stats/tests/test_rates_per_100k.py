"""Rates per 100,000: plain, annualised monthly, and over longer periods."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from civica.stats import (
    Annualisation,
    Period,
    annualised_monthly_rate,
    period_rate,
    rate_per_100k,
)


def test_31_crimes_in_a_january_in_100000_people_is_365_per_100k_a_year():
    assert annualised_monthly_rate(31, 100_000, 2023, 1) == pytest.approx(365.0)


def test_a_28_day_february_with_28_crimes_gives_the_same_annual_rate():
    assert annualised_monthly_rate(28, 100_000, 2023, 2) == pytest.approx(365.0)
    assert annualised_monthly_rate(29, 100_000, 2024, 2) == pytest.approx(365.0)


def test_the_months_rule_multiplies_by_twelve_instead():
    assert annualised_monthly_rate(31, 100_000, 2023, 1, rule="months") == pytest.approx(372.0)


def test_annualised_rates_are_vectorised_and_keep_missing_months_missing():
    rates = annualised_monthly_rate(
        np.array([31, 28, np.nan, 30]),
        np.array([100_000, 100_000, 100_000, 0]),
        np.array([2023, 2023, 2023, 2023]),
        np.array([1, 2, 3, 4]),
    )
    assert rates[:2] == pytest.approx([365.0, 365.0])
    assert math.isnan(rates[2])
    assert math.isnan(rates[3])


def test_a_plain_rate_divides_by_population_per_100000():
    assert rate_per_100k(25, 50_000) == 50.0
    assert isinstance(rate_per_100k(25, 50_000), float)


def test_a_missing_or_zero_population_gives_nan_not_infinity():
    rates = rate_per_100k([10, 10, 10, None], [0, np.nan, None, 1_000])
    assert np.isnan(rates).all()


def test_a_plain_rate_broadcasts_one_population_over_many_counts():
    assert rate_per_100k(np.array([1, 2, 3]), 100_000).tolist() == [1.0, 2.0, 3.0]


def test_results_are_read_only():
    rates = rate_per_100k(np.array([1.0, 2.0]), 100_000)
    with pytest.raises(ValueError):
        rates[0] = 5


def test_a_negative_population_is_an_error():
    with pytest.raises(ValueError, match="negative"):
        rate_per_100k(1, -5)


def _year(value, year=2023):
    return {(year, month): value for month in range(1, 13)}


def test_a_complete_calendar_year_gives_the_plain_annual_rate():
    result = period_rate(_year(10), 100_000, Period.calendar_year(2023))
    assert result.total == 120
    assert result.rate == pytest.approx(120.0)
    assert result.rule is Annualisation.MONTHS
    assert result.complete
    assert result.months_counted == 12
    assert "× 12" in result.formula


def test_a_quarter_is_annualised_by_twelve_over_three():
    counts = {(2023, 4): 5, (2023, 5): 6, (2023, 6): 4}
    result = period_rate(counts, 50_000, Period.quarter(2023, 2))
    assert result.rate == pytest.approx(15 * 12 / 3 / 50_000 * 100_000)  # 120.0


def test_a_single_month_period_uses_the_days_rule_by_default():
    result = period_rate({(2023, 1): 31}, 100_000, Period.month(2023, 1))
    assert result.rule is Annualisation.DAYS
    assert result.rate == pytest.approx(365.0)


def test_the_rule_can_be_chosen_and_is_recorded():
    result = period_rate(_year(10, 2024), 100_000, Period.calendar_year(2024), rule="days")
    assert result.rule is Annualisation.DAYS
    assert result.rate == pytest.approx(120 / 366 * 365)


def test_a_fiscal_year_uses_the_population_of_each_months_year():
    counts = {**_year(10, 2022), **_year(10, 2023)}
    result = period_rate(counts, {2022: 90_000, 2023: 100_000}, Period.fiscal_year(2023))
    # 3 months at 90,000 and 9 at 100,000: 97,500 person-years.
    assert result.person_years == pytest.approx(97_500)
    assert result.rate == pytest.approx(120 / 97_500 * 100_000)


def test_a_missing_population_year_gives_a_nan_rate():
    result = period_rate(_year(10), {2022: 90_000}, Period.calendar_year(2023))
    assert math.isnan(result.rate)
    assert result.total == 120


def test_an_incomplete_year_is_annualised_over_the_months_reported_and_flagged():
    counts = _year(10)
    counts[(2023, 11)] = None
    del counts[(2023, 12)]
    result = period_rate(counts, 100_000, Period.calendar_year(2023))
    assert not result.complete
    assert result.missing == ((2023, 11), (2023, 12))
    assert result.total == 100
    assert result.months_counted == 10
    assert result.rate == pytest.approx(100 * 12 / 10)


def test_a_period_rate_carries_an_exact_interval():
    result = period_rate(
        pd.Series(10.0, index=pd.period_range("2023-01", periods=1, freq="M")),
        100_000,
        Period.calendar_year(2023),
    )
    assert not result.complete
    assert result.lower < result.rate < result.upper
    # 10 events in 1/12 of a year of 100,000 people: the Garwood limits × 12.
    assert result.lower == pytest.approx(4.795389 * 12, rel=1e-6)
    assert result.upper == pytest.approx(18.390356 * 12, rel=1e-6)


def test_a_period_with_no_month_reported_has_nan_total_and_rate():
    result = period_rate({(2022, 1): 4}, 100_000, Period.calendar_year(2023))
    assert math.isnan(result.total)
    assert math.isnan(result.rate)
    assert len(result.missing) == 12
