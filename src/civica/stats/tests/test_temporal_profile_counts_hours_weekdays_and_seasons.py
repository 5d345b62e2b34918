"""The temporal profile counts each incident once in its weekday × hour cell, keeps unknown
times apart, and tests each margin against an even spread."""

import numpy as np
import pytest
from scipy import stats

from civica.stats.temporal import temporal_profile


def test_cells_margins_and_the_peak():
    weekdays = [0, 0, 4, 4, 4, 6]
    hours = [8, 8, 21, 21, -1, 3]
    months = [1, 1, 6, 6, 6, 12]
    profile = temporal_profile(weekdays, hours, months)
    assert profile.hour_weekday[0][8] == 2
    assert profile.hour_weekday[4][21] == 2
    assert profile.unknown_hour == 1
    assert profile.weekday == (2, 0, 0, 0, 3, 0, 1)  # the unknown hour still has its day
    assert profile.month[5] == 3 and sum(profile.month) == 6
    assert (profile.peak_weekday, profile.peak_hour) == (0, 8)  # the first of the ties
    assert profile.total == 6


def test_the_hour_test_is_pearsons_chi_square_against_an_even_spread():
    rng = np.random.default_rng(1)
    hours = rng.choice(24, size=500, p=np.r_[np.full(12, 1 / 48), np.full(12, 3 / 48)])
    profile = temporal_profile(np.zeros(500, int), hours, np.ones(500, int))
    counts = np.bincount(hours, minlength=24)
    assert profile.hour_p == pytest.approx(stats.chisquare(counts).pvalue)
    assert profile.hour_p < 1e-6


def test_the_season_test_weights_months_by_how_often_the_period_holds_them():
    # 13 months: January twice. Twice the Januaries is no excess.
    months = [1] * 40 + [m for m in range(2, 13) for _ in range(20)]
    exposure = [2] + [1] * 11
    profile = temporal_profile(
        [0] * len(months), [0] * len(months), months, month_exposure=exposure
    )
    assert profile.month_p == pytest.approx(1.0)


def test_bad_values_are_refused():
    with pytest.raises(ValueError):
        temporal_profile([7], [0], [1])
    with pytest.raises(ValueError):
        temporal_profile([0], [0], [13])
