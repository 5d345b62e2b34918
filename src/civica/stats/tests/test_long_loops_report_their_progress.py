"""The long loops a background job waits on report how far they are — each placebo fit,
each batch of Knox permutations, each block of Gi* cells — and reporting changes nothing in
the result."""

from __future__ import annotations

import numpy as np
import pandas as pd

from civica.stats import gi_star_grid, knox
from civica.stats.synthetic_control import placebo_in_space


def test_each_placebo_fit_is_reported_and_the_result_is_the_same():
    rng = np.random.default_rng(12)
    counts = rng.poisson(rng.lognormal(2.5, 0.8, (12, 1)) * np.ones((1, 20))).astype(float)
    table = pd.DataFrame(counts, index=[f"u{i}" for i in range(12)])
    seen = []
    reported = placebo_in_space(table, "u0", 14, progress=lambda *a: seen.append(a))
    assert seen == [(done, 11) for done in range(1, 12)]  # 11 donors, one fit each
    quiet = placebo_in_space(table, "u0", 14)
    np.testing.assert_array_equal(reported.placebo_ratios, quiet.placebo_ratios)
    assert (reported.rank, reported.p_value) == (quiet.rank, quiet.p_value)


def test_knox_permutations_are_reported_up_to_their_number():
    rng = np.random.default_rng(4)
    x, y, t = rng.uniform(0, 2000, 300), rng.uniform(0, 2000, 300), rng.integers(0, 200, 300)
    seen = []
    bands = {"distance_bands": (0, 100, 400), "time_bands": (0, 7, 14)}
    reported = knox(x, y, t, **bands, permutations=99, seed=1, progress=lambda *a: seen.append(a))
    assert seen and seen[-1] == (99, 99)
    assert [done for done, _total in seen] == sorted(done for done, _total in seen)
    quiet = knox(x, y, t, **bands, permutations=99, seed=1)
    np.testing.assert_array_equal(reported.p_values, quiet.p_values)


def test_gi_star_permutations_are_reported_up_to_every_cell():
    counts = np.random.default_rng(2).poisson(3, (20, 20)).astype(float)
    seen = []
    reported = gi_star_grid(counts, permutations=99, seed=5, progress=lambda *a: seen.append(a))
    assert seen and seen[-1] == (400, 400)
    quiet = gi_star_grid(counts, permutations=99, seed=5)
    np.testing.assert_array_equal(reported.p_sim, quiet.p_sim)
