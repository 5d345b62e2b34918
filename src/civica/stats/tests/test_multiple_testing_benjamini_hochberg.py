"""Benjamini–Hochberg rejections and q-values, by hand and against statsmodels."""

from __future__ import annotations

import numpy as np
import pytest

from civica.stats.multiple_testing import benjamini_hochberg

multitest = pytest.importorskip("statsmodels.stats.multitest")


def test_a_short_vector_by_hand():
    # Sorted: 0.001, 0.008, 0.039, 0.041, 0.042, 0.06, 0.074, 0.205; m = 8, alpha = 0.05.
    # i·alpha/m: 0.00625, 0.0125, 0.01875, 0.025, 0.03125, 0.0375, 0.04375, 0.05
    # Largest i with p(i) <= i·alpha/m is i = 2, so the two smallest are rejected.
    p = [0.041, 0.001, 0.205, 0.008, 0.039, 0.06, 0.042, 0.074]
    result = benjamini_hochberg(p)
    assert result.reject.tolist() == [False, True, False, True, False, False, False, False]
    # q(i) = min over j >= i of m·p(j)/j: q for 0.008 is 8·0.008/2 = 0.032; for 0.039
    # to 0.074 it is min(8·0.039/3, 8·0.041/4, ..., 8·0.074/7) = 0.0672 (from 0.042 at i=5).
    assert result.q[3] == pytest.approx(0.032)
    assert result.q[4] == pytest.approx(0.0672)
    assert result.q[0] == pytest.approx(0.0672)
    assert result.q[2] == pytest.approx(0.205)
    assert result.tests == 8


@pytest.mark.parametrize("alpha", [0.01, 0.05, 0.10, 0.2])
@pytest.mark.parametrize("size", [1, 7, 100, 5_000])
def test_it_equals_statsmodels_fdr_bh(alpha, size):
    rng = np.random.default_rng(size)
    p = np.concatenate([rng.uniform(size=size - size // 5), rng.beta(0.3, 8, size // 5)])
    p[: size // 10] = p[size // 10 : 2 * (size // 10)]  # ties
    reject, q, _sidak, _bonferroni = multitest.multipletests(p, alpha=alpha, method="fdr_bh")
    ours = benjamini_hochberg(p, alpha)
    np.testing.assert_array_equal(ours.reject, reject)
    np.testing.assert_allclose(ours.q, q, rtol=1e-12, atol=0)


def test_missing_p_values_are_not_tests():
    with_missing = benjamini_hochberg([0.01, np.nan, 0.04, 0.03, np.nan])
    without = benjamini_hochberg([0.01, 0.04, 0.03])
    assert with_missing.tests == 3
    np.testing.assert_array_equal(with_missing.q[[0, 2, 3]], without.q)
    assert np.isnan(with_missing.q[[1, 4]]).all()
    assert not with_missing.reject[[1, 4]].any()


def test_the_shape_of_the_input_is_kept():
    p = np.random.default_rng(1).uniform(size=(4, 5))
    result = benjamini_hochberg(p)
    assert result.q.shape == (4, 5)
    np.testing.assert_array_equal(result.q.ravel(), benjamini_hochberg(p.ravel()).q)


def test_q_values_never_exceed_one_and_never_fall_below_p():
    p = np.random.default_rng(3).uniform(size=500)
    q = benjamini_hochberg(p).q
    assert (q <= 1).all() and (q >= p).all()


def test_no_tests_at_all_is_an_empty_result():
    result = benjamini_hochberg([])
    assert result.tests == 0 and result.q.size == 0


@pytest.mark.parametrize(("p", "alpha"), [([0.5, 1.2], 0.05), ([-0.1], 0.05), ([0.5], 0.0)])
def test_it_rejects_impossible_p_values_and_levels(p, alpha):
    with pytest.raises(ValueError, match="between 0 and 1"):
        benjamini_hochberg(p, alpha)
