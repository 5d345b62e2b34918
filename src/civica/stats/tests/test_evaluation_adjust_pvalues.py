"""Holm and Benjamini–Hochberg adjustment of several sectors' p-values, against statsmodels."""

from __future__ import annotations

import math

import numpy as np
import pytest
from statsmodels.stats.multitest import multipletests

from civica.stats import adjust_pvalues


@pytest.mark.parametrize("method", ["holm", "fdr_bh"])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_it_matches_statsmodels_multipletests(method, seed):
    p = np.random.default_rng(seed).uniform(0, 0.2, size=12)
    p[3] = p[7]  # a tie
    reject, expected, _, _ = multipletests(p, alpha=0.05, method=method)
    result = adjust_pvalues(p, method)
    np.testing.assert_allclose(result.adjusted, expected, rtol=0, atol=1e-12)
    np.testing.assert_array_equal(result.reject, reject)
    assert result.tests == 12 and result.method == method


def test_holm_by_hand():
    result = adjust_pvalues([0.01, 0.04, 0.03, 0.005], "holm")
    # Sorted 0.005, 0.01, 0.03, 0.04 times 4, 3, 2, 1, then running maximum.
    assert result.adjusted.tolist() == pytest.approx([0.03, 0.06, 0.06, 0.02])
    assert result.reject.tolist() == [True, False, False, True]


def test_missing_p_values_are_left_out():
    result = adjust_pvalues([0.01, float("nan"), 0.04], "holm")
    assert result.tests == 2
    assert result.adjusted[0] == pytest.approx(0.02)
    assert math.isnan(result.adjusted[1]) and not result.reject[1]
    bh = adjust_pvalues([0.01, float("nan"), 0.04], "fdr_bh")
    assert bh.tests == 2 and math.isnan(bh.adjusted[1])


def test_an_unknown_method_or_a_p_value_outside_0_1_is_refused():
    with pytest.raises(ValueError, match="holm"):
        adjust_pvalues([0.1], "bonferroni")
    with pytest.raises(ValueError, match="between 0 and 1"):
        adjust_pvalues([1.2], "holm")


def test_the_arrays_are_read_only():
    result = adjust_pvalues([0.01, 0.2])
    with pytest.raises(ValueError):
        result.adjusted[0] = 0.5
