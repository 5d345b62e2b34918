"""Rate ratios with the log-rate-ratio interval, including zero counts."""

from __future__ import annotations

import math

import numpy as np
import pytest

from civica.stats import rate_ratio


def test_240_in_one_year_against_360_in_three_is_a_doubling_with_a_hand_computed_interval():
    result = rate_ratio(240, 1.0, 360, 3.0)
    se = math.sqrt(1 / 240 + 1 / 360)  # 0.08333
    assert result.ratio == pytest.approx(2.0)
    assert result.lower == pytest.approx(2.0 * math.exp(-1.959963985 * se), rel=1e-9)
    assert result.upper == pytest.approx(2.0 * math.exp(1.959963985 * se), rel=1e-9)
    assert round(result.lower, 3) == 1.699
    assert round(result.upper, 3) == 2.355
    assert result.corrected is False


def test_one_zero_count_adds_a_half_to_both_and_says_so():
    result = rate_ratio(20, 1.0, 0, 3.0)
    assert result.corrected is True
    assert result.ratio == pytest.approx((20.5 / 1.0) / (0.5 / 3.0))
    assert result.lower > 1


def test_one_event_against_none_is_not_distinguishable_from_no_change():
    result = rate_ratio(1, 1.0, 0, 3.0)
    assert result.corrected
    assert result.lower < 1 < result.upper


def test_both_counts_zero_has_no_ratio():
    result = rate_ratio(0, 1.0, 0, 3.0)
    assert math.isnan(result.ratio)
    assert math.isnan(result.lower)
    assert result.corrected is False


def test_rate_ratios_are_vectorised():
    result = rate_ratio(np.array([10, 0, 5]), 1.0, np.array([10, 0, np.nan]), 1.0)
    assert result.ratio[0] == 1.0
    assert np.isnan(result.ratio[1:]).all()
    assert result.corrected.tolist() == [False, False, False]


def test_a_missing_person_time_gives_no_ratio():
    assert math.isnan(rate_ratio(3, np.nan, 4, 1.0).ratio)
    assert math.isnan(rate_ratio(3, 0.0, 4, 1.0).ratio)
