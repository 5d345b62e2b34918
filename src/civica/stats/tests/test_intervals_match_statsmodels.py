"""The intervals agree with independent implementations to 1e-10."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from civica.stats import poisson_interval, rate_interval, rate_ratio

rates = pytest.importorskip("statsmodels.stats.rates")

COUNTS = np.array([0, 1, 2, 3, 5, 10, 17, 50, 123, 1_000, 29_675])


@pytest.mark.parametrize("level", [0.80, 0.90, 0.95, 0.99, 0.999])
def test_garwood_limits_match_statsmodels_exact_central_interval(level):
    ours = poisson_interval(COUNTS, level=level)
    lower, upper = rates.confint_poisson(COUNTS, 1.0, method="exact-c", alpha=1 - level)
    np.testing.assert_allclose(ours.lower, lower, rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(ours.upper, upper, rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize("level", [0.90, 0.95, 0.99])
def test_garwood_limits_match_the_gamma_quantile_formulation(level):
    alpha = 1 - level
    ours = poisson_interval(COUNTS, level=level)
    lower = np.where(COUNTS > 0, stats.gamma.ppf(alpha / 2, np.maximum(COUNTS, 1)), 0.0)
    upper = stats.gamma.ppf(1 - alpha / 2, COUNTS + 1)
    np.testing.assert_allclose(ours.lower, lower, rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(ours.upper, upper, rtol=1e-10, atol=1e-10)


def test_rate_limits_match_statsmodels_with_exposure_in_person_years():
    populations = np.full(COUNTS.shape, 250_000.0)
    ours = rate_interval(COUNTS, populations, years=0.5)
    lower, upper = rates.confint_poisson(COUNTS, 125_000.0, method="exact-c", alpha=0.05)
    np.testing.assert_allclose(ours.lower, lower * 100_000, rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(ours.upper, upper * 100_000, rtol=1e-10, atol=1e-10)


def test_rate_ratio_limits_match_statsmodels_wald_log_interval():
    a = np.array([1, 5, 12, 240, 3_000])
    b = np.array([2, 9, 36, 360, 2_500])
    ta = np.array([1.0, 1.0, 0.5, 1.0, 3.0])
    tb = np.array([3.0, 2.0, 1.5, 3.0, 3.0])
    ours = rate_ratio(a, ta, b, tb)
    for i in range(a.size):
        lower, upper = rates.confint_poisson_2indep(
            a[i], ta[i], b[i], tb[i], method="wald-log", compare="ratio", alpha=0.05
        )
        assert ours.lower[i] == pytest.approx(lower, rel=1e-10)
        assert ours.upper[i] == pytest.approx(upper, rel=1e-10)
