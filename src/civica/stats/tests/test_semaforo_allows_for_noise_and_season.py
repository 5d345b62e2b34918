"""The semáforo with a seasonal baseline and an allowance for Poisson noise, and the
baseline it used stated on every row."""

import numpy as np
import pytest
from statsmodels.stats.rates import test_poisson_2indep as poisson_2indep

from civica.stats import semaforo


def _seasonal(years=4, low=10, december=20):
    """Ten crimes a month, twenty every December."""
    return {
        (2020 + y, m): float(december if m == 12 else low)
        for y in range(years)
        for m in range(1, 13)
    }


def test_a_december_like_every_december_is_not_red_against_the_same_month():
    counts = _seasonal()
    rolling = semaforo(counts).loc["2023-12"]
    # The rolling 36-month mean is (33 × 10 + 3 × 20) / 36 = 10.83: December looks 85% up.
    assert rolling["baseline_mean"] == pytest.approx(390 / 36) and rolling["status"] == "red"
    seasonal = semaforo(counts, baseline="same_month").loc["2023-12"]
    assert seasonal["baseline_mean"] == 20 and seasonal["status"] == "yellow"
    assert (seasonal["baseline_first"], seasonal["baseline_last"]) == ("2020-12", "2022-12")
    assert (rolling["baseline_first"], rolling["baseline_last"]) == ("2020-12", "2023-11")


def test_a_change_within_poisson_noise_stays_yellow():
    counts = _seasonal(december=10)
    counts[(2023, 6)] = 14.0  # 40% above a mean of 10 (30 in three Junes)
    counts[(2023, 7)] = 7.0  # 30% below
    counts[(2023, 8)] = 25.0  # far above
    published = semaforo(counts, baseline="same_month")
    noisy = semaforo(counts, baseline="same_month", alpha=0.05)
    assert published.loc["2023-06", "status"] == "red"
    assert published.loc["2023-07", "status"] == "green"
    assert noisy.loc["2023-06", "status"] == "yellow"
    assert noisy.loc["2023-07", "status"] == "yellow"
    assert noisy.loc["2023-08", "status"] == "red"
    # By hand: 14 of 14 + 30 under Binomial(44, 1/4): P(X >= 14) = 0.1900…
    assert noisy.loc["2023-06", "p_value"] == pytest.approx(0.19002, abs=1e-4)


@pytest.mark.parametrize("count", [3, 7, 13, 18, 25])
def test_the_p_value_is_statsmodels_exact_conditional_poisson_test(count):
    counts = _seasonal(december=10)
    counts[(2023, 5)] = float(count)
    row = semaforo(counts, baseline="same_month").loc["2023-05"]
    alternative = "larger" if count > 10 else "smaller"
    reference = poisson_2indep(count, 1, 30, 3, method="exact-cond", alternative=alternative).pvalue
    assert row["p_value"] == pytest.approx(reference, rel=1e-9)


def test_a_same_month_baseline_needs_whole_years():
    with pytest.raises(ValueError, match="whole years"):
        semaforo(_seasonal(), baseline="same_month", baseline_months=30)


def test_a_missing_same_month_leaves_the_history_insufficient():
    counts = _seasonal()
    counts[(2021, 12)] = np.nan
    row = semaforo(counts, baseline="same_month").loc["2023-12"]
    assert row["status"] == "insufficient_history" and row["baseline_months"] == 2
