"""Placebo-in-time: a fake start before the real one sees no effect that is not there."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from civica.stats.synthetic_control import placebo_in_time, synthetic_control

MONTHS = pd.period_range("2020-01", periods=36, freq="M")


def _table(effect_from: int | None = None, drift_from: int | None = None) -> pd.DataFrame:
    rng = np.random.default_rng(4)
    donors = {name: rng.poisson(level, 36).astype(float) for name, level in
              [("a", 15), ("b", 40), ("c", 25), ("d", 60)]}  # fmt: skip
    city = 0.4 * donors["a"] + 0.6 * donors["d"]
    if drift_from is not None:
        city[drift_from:] += np.arange(36 - drift_from) * 2.0  # diverges before the start
    if effect_from is not None:
        city[effect_from:] *= 0.5
    return pd.DataFrame({**donors, "city": city}, index=MONTHS).T


def test_the_real_effect_does_not_leak_into_the_fake_one():
    table = _table(effect_from=30)
    real = synthetic_control(table, "city", MONTHS[30])
    assert real.effect_percent == pytest.approx(-50.0, abs=1e-6)
    fake = placebo_in_time(table, "city", MONTHS[30], MONTHS[20])
    assert fake.fit.months == tuple(MONTHS[:30])
    assert fake.fit.n_pre == 20 and fake.fit.n_post == 10
    assert fake.effect == pytest.approx(0.0, abs=1e-8)
    assert fake.effect_percent == pytest.approx(0.0, abs=1e-8)
    assert fake.fake_start == MONTHS[20] and fake.real_start == MONTHS[30]


def test_a_divergence_before_the_start_shows_as_a_fake_effect():
    fake = placebo_in_time(_table(drift_from=20), "city", MONTHS[30], MONTHS[20])
    assert fake.effect == pytest.approx(2.0 * sum(range(10)), rel=1e-6)
    assert fake.rmspe_ratio == float("inf")


def test_the_fake_start_must_come_before_the_real_one():
    with pytest.raises(ValueError, match="must come before the real start"):
        placebo_in_time(_table(), "city", MONTHS[30], MONTHS[31])


def test_the_fake_start_needs_enough_months_before_it():
    with pytest.raises(ValueError, match="Only 6 month"):
        placebo_in_time(_table(), "city", MONTHS[30], MONTHS[6])
