"""A small run of benchmarks/bench_lottery_simulation.py's chain: stratified draw, take-up
with crossovers, lost outcomes; the intervals cover the planted effect near 95%."""

from __future__ import annotations

import numpy as np

from civica.stats.lottery import draw_lottery
from civica.stats.randomized import intention_to_treat, treatment_on_treated


def test_itt_and_tot_intervals_cover_the_planted_effect():
    rng = np.random.default_rng(3)
    covered = {"itt": 0, "tot": 0}
    runs = 200
    for _ in range(runs):
        strata = rng.choice(["a", "b", "c"], size=240, p=[0.5, 0.3, 0.2])
        draw = draw_lottery(list(strata), 90, seed=int(rng.integers(2**31)))
        z = draw.assigned
        took = np.where(z == 1, rng.random(240) < 0.8, rng.random(240) < 0.05)
        base = np.select([strata == "a", strata == "b"], [0.3, 0.5], 0.4)
        y = (rng.random(240) < base + 0.2 * took).astype(float)
        y[rng.random(240) < 0.1] = np.nan
        itt = intention_to_treat(y, z, list(strata), draw.probability())
        tot = treatment_on_treated(y, took.astype(int), z, list(strata), draw.probability())
        covered["itt"] += itt.lower <= 0.2 * 0.75 <= itt.upper
        covered["tot"] += tot.lower <= 0.2 <= tot.upper
    assert 0.9 <= covered["itt"] / runs <= 0.99
    assert 0.9 <= covered["tot"] / runs <= 0.99
