"""Small simulated panels shared by the panel, staggered and simulation tests."""

from __future__ import annotations

import numpy as np
import pandas as pd


def simulated_panel(
    *,
    units: int = 15,
    periods: int = 8,
    treated_units: int = 5,
    start: int = 4,
    effect: float = -0.3,
    size: float = 2.0,
    seed: int = 1,
) -> pd.DataFrame:
    """Negative-binomial counts with unit and period effects and a multiplicative effect."""
    rng = np.random.default_rng(seed)
    level = rng.normal(1.5, 0.5, units)
    season = rng.normal(0, 0.2, periods)
    treated = np.zeros((units, periods))
    treated[:treated_units, start:] = 1
    mu = np.exp(level[:, None] + season[None, :] + effect * treated)
    counts = rng.negative_binomial(size, size / (size + mu))
    return pd.DataFrame(
        {
            "unit": np.repeat([f"u{i:02d}" for i in range(units)], periods),
            "period": np.tile(np.arange(periods), units),
            "count": counts.ravel(),
            "treated": treated.ravel().astype(int),
        }
    )
