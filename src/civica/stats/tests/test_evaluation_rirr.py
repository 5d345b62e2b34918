"""The relative incidence rate ratio: hand-worked case, zero counts, and a Poisson GLM."""

from __future__ import annotations

import math

import numpy as np
import pytest
import statsmodels.api as sm

from civica.stats import rirr

Z95 = 1.959963984540054


def test_80_against_100_with_190_against_200_is_a_fall_of_15_8_percent_with_a_hand_interval():
    result = rirr(80, 100, 190, 200)
    assert result.rirr == pytest.approx(0.8 / 0.95, rel=1e-12)  # 0.842105...
    assert round(result.percent_change, 1) == -15.8
    se = math.sqrt(1 / 80 + 1 / 100 + 1 / 190 + 1 / 200)  # 0.18101
    assert result.se_log == pytest.approx(se, rel=1e-12)
    assert result.lower == pytest.approx(0.8 / 0.95 * math.exp(-Z95 * se), rel=1e-9)
    assert result.upper == pytest.approx(0.8 / 0.95 * math.exp(Z95 * se), rel=1e-9)
    assert round(result.lower, 3) == 0.591
    assert round(result.upper, 3) == 1.201
    assert result.percent_lower == pytest.approx((result.lower - 1) * 100)
    assert result.percent_upper == pytest.approx((result.upper - 1) * 100)
    assert (result.target_after, result.target_before) == (80, 100)
    assert (result.comparison_after, result.comparison_before) == (190, 200)
    assert result.small_counts is False


# A saturated model fits the table exactly: statsmodels warns about the zero residual df.
@pytest.mark.filterwarnings("ignore::RuntimeWarning", "ignore::UserWarning")
def test_the_interval_equals_the_interaction_of_a_poisson_glm_on_the_two_by_two_table():
    ra, rb, ca, cb = 37, 61, 412, 398
    counts = np.array([rb, ra, cb, ca], dtype=float)
    target = np.array([1, 1, 0, 0])
    after = np.array([0, 1, 0, 1])
    design = sm.add_constant(np.column_stack([target, after, target * after]))
    fit = sm.GLM(counts, design, family=sm.families.Poisson()).fit(tol=1e-14)
    low, high = fit.conf_int(alpha=0.05)[3]
    result = rirr(ra, rb, ca, cb)
    assert result.rirr == pytest.approx(math.exp(fit.params[3]), abs=1e-8)
    assert result.se_log == pytest.approx(fit.bse[3], abs=1e-8)
    assert result.lower == pytest.approx(math.exp(low), abs=1e-8)
    assert result.upper == pytest.approx(math.exp(high), abs=1e-8)


@pytest.mark.parametrize("position", range(4))
def test_a_zero_count_is_refused_with_an_explanation(position):
    counts = [80, 100, 190, 200]
    counts[position] = 0
    with pytest.raises(ValueError, match=r"undefined.*zero.*longer windows, larger areas"):
        rirr(*counts)


def test_any_count_under_30_is_flagged_as_small():
    assert rirr(12, 20, 300, 310).small_counts is True
    assert rirr(30, 30, 30, 30).small_counts is False


def test_unequal_windows_cancel_from_the_rirr_and_rescale_each_areas_change():
    equal = rirr(40, 100, 90, 200)
    half = rirr(40, 100, 90, 200, windows_unequal_ratio=6 / 12)
    assert half.rirr == pytest.approx(equal.rirr)
    assert (half.lower, half.upper) == pytest.approx((equal.lower, equal.upper))
    assert half.windows_ratio == 0.5
    assert equal.target_change.ratio == pytest.approx(0.4)
    assert half.target_change.ratio == pytest.approx(0.8)  # per month: 40/6 against 100/12
    assert half.comparison_change.ratio == pytest.approx(0.9)


def test_a_level_of_90_percent_narrows_the_interval():
    wide, narrow = rirr(80, 100, 190, 200), rirr(80, 100, 190, 200, level=0.90)
    assert wide.lower < narrow.lower < narrow.upper < wide.upper


@pytest.mark.parametrize(
    "counts", [(-1, 100, 190, 200), (80.5, 100, 190, 200), (float("nan"), 100, 190, 200)]
)
def test_negative_fractional_or_missing_counts_are_refused(counts):
    with pytest.raises(ValueError):
        rirr(*counts)


def test_a_nonpositive_window_ratio_is_refused():
    with pytest.raises(ValueError, match="windows_unequal_ratio"):
        rirr(80, 100, 190, 200, windows_unequal_ratio=0)


def test_the_result_is_frozen():
    result = rirr(80, 100, 190, 200)
    with pytest.raises(AttributeError):
        result.rirr = 1.0
