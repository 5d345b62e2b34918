"""A treated unit that is a convex combination of donors gets exactly those weights."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from civica.stats.synthetic_control import synthetic_control

MONTHS = pd.period_range("2021-01", periods=18, freq="M")
START = MONTHS[14]  # 14 months before, 4 after


def _donors(seed=7):
    rng = np.random.default_rng(seed)
    season = 5 * np.sin(2 * np.pi * np.arange(18) / 12)
    rows = {
        "a": 20 + season + rng.normal(0, 2, 18),
        "b": 60 - season + rng.normal(0, 2, 18),
        "c": 35 + rng.normal(0, 4, 18),
        "d": 90 + 2 * season + rng.normal(0, 3, 18),
        "e": 5 + rng.normal(0, 1, 18).cumsum().clip(-4, 4),
    }
    return pd.DataFrame(rows, index=MONTHS).T


def test_it_finds_the_two_donors_and_their_weights():
    donors = _donors()
    city = 0.3 * donors.loc["a"] + 0.7 * donors.loc["b"]
    table = pd.concat([donors, city.to_frame("city").T])
    fit = synthetic_control(table, "city", START)
    assert [label for label, _ in fit.weights] == ["b", "a"]
    assert fit.weights[0][1] == pytest.approx(0.7, abs=1e-9)
    assert fit.weights[1][1] == pytest.approx(0.3, abs=1e-9)
    assert fit.donor_weights.sum() == pytest.approx(1.0, abs=1e-12)
    assert fit.pre_rmspe == 0.0
    assert not fit.outside_convex_hull
    np.testing.assert_allclose(fit.gaps, 0.0, atol=1e-9)
    assert fit.donors == ("a", "b", "c", "d", "e")
    assert fit.n_pre == 14 and fit.n_post == 4 and fit.start == START


def test_a_planted_effect_is_recovered_in_counts_and_percent():
    donors = _donors()
    city = 0.3 * donors.loc["a"] + 0.7 * donors.loc["b"]
    counterfactual_total = float(city.iloc[14:].sum())
    city.iloc[14:] -= 6.0  # six fewer crimes a month from the start on
    table = pd.concat([donors, city.to_frame("city").T])
    fit = synthetic_control(table, "city", START)
    assert fit.synthetic_post_total == pytest.approx(counterfactual_total, rel=1e-9)
    assert fit.effect == pytest.approx(-24.0, abs=1e-8)
    assert fit.effect_percent == pytest.approx(-2400.0 / counterfactual_total, rel=1e-9)
    np.testing.assert_allclose(fit.gaps[14:], -6.0, atol=1e-8)
    assert fit.post_rmspe == pytest.approx(6.0, abs=1e-8)
    assert fit.rmspe_ratio == float("inf")  # exact pre-period fit, real post-period gap
    paths = fit.paths()
    assert list(paths.columns) == ["observed", "synthetic", "gap", "post"]
    assert paths["post"].sum() == 4 and paths.index[0] == MONTHS[0]


def test_a_plain_array_gets_positions_as_labels():
    donors = _donors().to_numpy()
    city = 0.5 * donors[2] + 0.5 * donors[3]
    fit = synthetic_control(np.vstack([donors, city]), 5, 14)
    assert dict(fit.weights) == pytest.approx({2: 0.5, 3: 0.5}, abs=1e-9)


def test_the_donor_pool_can_be_restricted():
    donors = _donors()
    city = 0.3 * donors.loc["a"] + 0.7 * donors.loc["b"]
    table = pd.concat([donors, city.to_frame("city").T])
    fit = synthetic_control(table, "city", START, donors=["a", "c", "d"])
    assert fit.donors == ("a", "c", "d")
    assert "b" not in dict(fit.weights)
    assert fit.pre_rmspe > 0 and fit.outside_convex_hull


def test_results_are_read_only():
    donors = _donors()
    table = pd.concat([donors, (0.5 * donors.loc["c"] + 0.5 * donors.loc["d"]).to_frame("x").T])
    fit = synthetic_control(table, "x", START)
    with pytest.raises(ValueError, match="read-only"):
        fit.gaps[0] = 1.0
