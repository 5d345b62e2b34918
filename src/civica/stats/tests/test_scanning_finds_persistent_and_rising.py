"""Scanning statistics: a cluster that is a Gi* hot spot in enough periods is persistent; a
one-off is not; a rising count is tested exactly, conditional on the total."""

import numpy as np
import pytest
from scipy import stats

from civica.stats.scanning import persistent_hot_spots, rising_counts


def _line(n):
    """n areas in a row, each touching the next."""
    return [[j for j in (i - 1, i, i + 1) if 0 <= j < n] for i in range(n)]


def test_a_cluster_hot_in_three_of_four_periods_is_persistent_and_a_one_off_is_not():
    rng = np.random.default_rng(0)
    counts = rng.poisson(5, size=(40, 4)).astype(float)
    counts[10:13, :3] = 60  # a cluster hot in periods 0–2
    counts[30:33, 3] = 60  # another, hot only in period 3
    result = persistent_hot_spots(counts, _line(40), min_periods=3)
    assert result.persistent[10:13].all()
    assert not result.persistent[30:33].any()
    assert result.hot[30:33, 3].all()
    assert result.hot_periods[11] == 3


def test_a_period_without_variation_has_no_hot_spot():
    result = persistent_hot_spots(np.full((5, 2), 4.0), _line(5), min_periods=1)
    assert not result.hot.any()


def test_rising_is_the_exact_conditional_binomial_test():
    recent, baseline = np.array([30, 10, 12]), np.array([30, 30, 36])
    result = rising_counts(recent, baseline, recent_share=0.25)
    assert result.p[0] == pytest.approx(stats.binomtest(30, 60, 0.25, "greater").pvalue)
    assert result.ratio[1] == pytest.approx(1.0)
    assert result.rising.tolist() == [True, False, False]


def test_min_periods_must_fit():
    with pytest.raises(ValueError):
        persistent_hot_spots(np.ones((3, 2)), _line(3), min_periods=3)
