"""The weight solver's answer satisfies the optimality conditions and beats SciPy's SLSQP."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import minimize

from civica.stats._simplex import KKT_TOLERANCE, kkt_violation, simplex_least_squares


def _problem(rng, months, donors):
    level = rng.lognormal(2.5, 1.0, donors)
    shape = 1 + 0.3 * np.sin(2 * np.pi * np.arange(months) / 12)
    a = rng.poisson(level[None, :] * shape[:, None]).astype(float)
    b = rng.poisson(rng.choice(level) * shape).astype(float)
    return a, b


@pytest.mark.parametrize(("months", "donors"), [(48, 2400), (48, 100), (12, 300), (24, 5)])
def test_the_weights_satisfy_the_kkt_conditions(months, donors):
    rng = np.random.default_rng(months * donors)
    for _ in range(3):
        a, b = _problem(rng, months, donors)
        fit = simplex_least_squares(a, b)
        w = fit.weights
        assert (w >= 0).all() and w.sum() == pytest.approx(1.0, abs=1e-12)
        assert (w > 0).sum() <= months + 1  # Carathéodory: at most months + 1 donors
        assert fit.kkt_violation <= KKT_TOLERANCE
        # Checked by hand from the conditions: every donor's gradient is at least the
        # multiplier, with equality on the support.
        c = a - b[:, None]
        g = 2 * c.T @ (c @ w)
        mu = w @ g
        scale = 2 * (c * c).sum(axis=0).max()
        assert (g - mu).min() >= -1e-9 * scale
        assert np.abs(g[w > 0] - mu).max() <= 1e-9 * scale


def test_a_perturbed_answer_fails_the_check():
    rng = np.random.default_rng(3)
    a, b = _problem(rng, 24, 40)
    w = simplex_least_squares(a, b).weights.copy()
    donor = int(np.argmin(w))  # move weight to a donor the optimum leaves out
    w *= 0.9
    w[donor] += 0.1
    assert kkt_violation(a, b, w) > 1000 * KKT_TOLERANCE


@pytest.mark.parametrize("seed", range(5))
def test_slsqp_never_finds_a_smaller_error(seed):
    rng = np.random.default_rng(seed)
    a, b = _problem(rng, 15, 12)
    ours = simplex_least_squares(a, b)
    n = a.shape[1]
    # SLSQP's tolerance is absolute: scale the problem to order one so it can converge.
    unit = float(np.abs(b).mean())
    sa, sb = a / unit, b / unit
    slsqp = minimize(
        lambda w: float(((sa @ w - sb) ** 2).sum()),
        np.full(n, 1 / n),
        jac=lambda w: 2 * sa.T @ (sa @ w - sb),
        method="SLSQP",
        bounds=[(0, 1)] * n,
        constraints=[{"type": "eq", "fun": lambda w: w.sum() - 1, "jac": lambda w: np.ones(n)}],
        options={"ftol": 1e-12, "maxiter": 1000},
    )
    assert slsqp.success
    assert ours.sse / unit**2 <= slsqp.fun * (1 + 1e-9)
    # The problem is strictly convex on these donors (more months than donors), so the
    # minimiser is unique and SLSQP converges to the same weights.
    np.testing.assert_allclose(ours.weights, slsqp.x, atol=1e-5)


def test_a_single_donor_gets_all_the_weight():
    a = np.array([[1.0], [2.0], [3.0]])
    fit = simplex_least_squares(a, np.array([1.0, 1.0, 1.0]))
    assert fit.weights.tolist() == [1.0] and fit.sse == pytest.approx(5.0)


def test_identical_donors_equal_to_the_treated_share_the_weight():
    a = np.ones((4, 3))
    fit = simplex_least_squares(a, np.ones(4))
    assert fit.weights.tolist() == pytest.approx([1 / 3] * 3) and fit.sse == 0.0
