"""Poor pre-period fits, treated units outside the donors' range, undefined percents: flagged."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from civica.stats.synthetic_control import POOR_FIT_FRACTION, synthetic_control

MONTHS = pd.period_range("2021-01", periods=15, freq="M")
LEVELS = [("a", 10), ("b", 20), ("c", 30)]


def _donors() -> pd.DataFrame:
    rng = np.random.default_rng(9)
    return pd.DataFrame(
        {name: rng.poisson(level, 15).astype(float) for name, level in LEVELS},
        index=MONTHS,
    ).T


def test_a_city_far_above_every_donor_is_a_poor_fit_outside_the_range():
    donors = _donors()
    city = donors.loc["c"] * 3 + 50
    fit = synthetic_control(pd.concat([donors, city.to_frame("city").T]), "city", MONTHS[12])
    assert dict(fit.weights) == {"c": 1.0}
    assert fit.poor_pre_fit and fit.outside_convex_hull
    mean = city.iloc[:12].mean()
    assert fit.pre_fit_threshold == pytest.approx(max(POOR_FIT_FRACTION * mean, 2 * np.sqrt(mean)))
    assert fit.months_outside_donor_range == tuple(MONTHS[:12])
    assert {"poor_pre_fit", "outside_donor_range"} <= {note.code for note in fit.notes}


def test_a_close_fit_within_poisson_noise_is_not_flagged():
    donors = _donors()
    city = 0.5 * donors.loc["a"] + 0.5 * donors.loc["c"]
    city.iloc[:12] += np.tile([2.0, -2.0], 6)  # noise well below 2 √20
    fit = synthetic_control(pd.concat([donors, city.to_frame("city").T]), "city", MONTHS[12])
    assert fit.outside_convex_hull
    assert 0 < fit.pre_rmspe <= fit.pre_fit_threshold
    assert not fit.poor_pre_fit
    assert "poor_pre_fit" not in {note.code for note in fit.notes}


def test_rates_use_only_the_share_of_the_level():
    donors = _donors() / 7.0
    city = 0.5 * donors.loc["a"] + 0.5 * donors.loc["c"]
    city.iloc[:12] += np.tile([0.6, -0.6], 6)
    table = pd.concat([donors, city.to_frame("city").T])
    as_counts = synthetic_control(table, "city", MONTHS[12])
    as_rates = synthetic_control(table, "city", MONTHS[12], counts=False)
    assert not as_counts.poor_pre_fit and as_rates.poor_pre_fit
    assert as_rates.pre_fit_threshold == pytest.approx(0.1 * city.iloc[:12].mean())


def test_a_synthetic_unit_without_crimes_after_the_start_has_no_percent():
    donors = _donors()
    donors.loc["z"] = [3.0, 0, 1, 0, 2, 0, 1, 0, 4, 0, 1, 0, 0, 0, 0]
    city = donors.loc["z"].copy()
    city.iloc[12:] = [2.0, 1.0, 3.0]
    fit = synthetic_control(pd.concat([donors, city.to_frame("city").T]), "city", MONTHS[12])
    assert fit.synthetic_post_total == 0.0
    assert fit.effect == pytest.approx(6.0)
    assert fit.effect_percent is None
    assert "percent_undefined" in {note.code for note in fit.notes}
