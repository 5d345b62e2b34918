"""Exact (Garwood) Poisson intervals match published table values."""

from __future__ import annotations

import math

import numpy as np
import pytest

from civica.stats import poisson_interval, rate_interval

# Exact two-sided 95% limits for a Poisson mean, as printed in standard tables of
# Garwood's limits (e.g. Ulm 1990; the values follow from the chi-square quantiles).
TABLE_95 = {
    0: (0.0000, 3.6889),
    1: (0.0253, 5.5716),
    2: (0.2422, 7.2247),
    5: (1.6235, 11.6683),
    10: (4.7954, 18.3904),
}


@pytest.mark.parametrize(("count", "limits"), TABLE_95.items())
def test_the_95_percent_interval_matches_the_published_table_to_4_decimals(count, limits):
    interval = poisson_interval(count)
    assert round(interval.lower, 4) == limits[0]
    assert round(interval.upper, 4) == limits[1]


def test_zero_events_has_a_lower_limit_of_exactly_zero_and_upper_minus_log_alpha_half():
    interval = poisson_interval(0)
    assert interval.lower == 0.0
    # With no events the upper limit solves exp(-U) = α/2.
    assert interval.upper == pytest.approx(-math.log(0.025), abs=1e-12)


def test_one_event_has_lower_limit_minus_log_of_one_minus_alpha_half():
    # P(X ≥ 1 | L) = 1 - exp(-L) = α/2.
    assert poisson_interval(1).lower == pytest.approx(-math.log(1 - 0.025), abs=1e-12)


def test_it_is_vectorised_and_missing_counts_stay_missing():
    interval = poisson_interval(np.array([0, 1, 10, np.nan]))
    assert np.round(interval.lower[:3], 4).tolist() == [0.0, 0.0253, 4.7954]
    assert np.round(interval.upper[:3], 4).tolist() == [3.6889, 5.5716, 18.3904]
    assert math.isnan(interval.lower[3])
    assert math.isnan(interval.upper[3])


def test_a_wider_level_gives_a_wider_interval():
    narrow, wide = poisson_interval(10, level=0.90), poisson_interval(10, level=0.99)
    assert wide.lower < narrow.lower < 10 < narrow.upper < wide.upper


@pytest.mark.parametrize("bad", [-1, 2.5, np.inf])
def test_it_rejects_counts_that_are_not_whole_non_negative_numbers(bad):
    with pytest.raises(ValueError):
        poisson_interval(bad)


@pytest.mark.parametrize("level", [0, 1, 95])
def test_it_rejects_a_level_outside_zero_and_one(level):
    with pytest.raises(ValueError, match="level"):
        poisson_interval(3, level=level)


def test_a_rate_interval_divides_the_count_interval_by_person_time():
    result = rate_interval(10, 100_000)
    assert result.rate == 10.0
    assert round(result.lower, 4) == 4.7954
    assert round(result.upper, 4) == 18.3904


def test_a_monthly_rate_interval_uses_the_fraction_of_the_year():
    result = rate_interval(31, 100_000, years=31 / 365)
    assert result.rate == pytest.approx(365.0)
    assert result.lower == pytest.approx(poisson_interval(31).lower * 365 / 31)


def test_a_rate_interval_with_no_population_is_nan():
    result = rate_interval([5, 5], [0, np.nan])
    assert np.isnan(result.rate).all()
    assert np.isnan(result.lower).all()
    assert np.isnan(result.upper).all()
