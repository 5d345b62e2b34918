"""Conditional permutation p-values: the documented scheme, stable for a seed, bounded."""

from __future__ import annotations

import itertools
import time

import numpy as np
import pytest
from scipy import stats

from civica.stats._conditional import _floyd
from civica.stats.hotspots import DEFAULT_MAX_DRAWS, gi_star, gi_star_grid


@pytest.fixture(scope="module")
def counts() -> np.ndarray:
    return np.random.default_rng(11).poisson(2.0, (20, 25)).astype(float)


def test_the_same_seed_gives_the_same_pseudo_p_values(counts):
    first = gi_star_grid(counts, permutations=99, seed=42)
    second = gi_star_grid(counts, permutations=99, seed=42)
    np.testing.assert_array_equal(first.p_sim, second.p_sim)
    other = gi_star_grid(counts, permutations=99, seed=43)
    assert not np.array_equal(first.p_sim, other.p_sim)
    assert first.inference == "permutation"
    assert first.seed == 42


def test_pseudo_p_values_are_whole_counts_over_permutations_plus_one(counts):
    result = gi_star_grid(counts, permutations=99, seed=1)
    exceed = result.p_sim * 100 - 1
    np.testing.assert_allclose(exceed, np.round(exceed), atol=1e-9)
    assert result.p_sim.min() >= 0.01
    assert result.p_sim.max() <= 1.0
    # The analytic p-values are kept next to them.
    np.testing.assert_array_equal(result.p, gi_star_grid(counts).p)


def _exact_permutation_p(values: np.ndarray, i: int, neighbours: list[int]) -> float:
    """Share of all (k)-subsets of the other units at least as extreme as observed."""
    n = values.size
    others = np.delete(np.arange(n), i)
    w = len(neighbours) + 1
    centre = values.mean() * w
    observed = abs(values[i] + values[neighbours].sum() - centre)
    subsets = itertools.combinations(values[others], len(neighbours))
    sums = np.array([sum(s) for s in subsets]) + values[i]
    return float(np.mean(np.abs(sums - centre) >= observed - 1e-9))


@pytest.mark.parametrize("cell", [(0, 0), (0, 2), (2, 2)])
def test_pseudo_p_values_converge_to_the_exact_conditional_permutation_p(cell):
    values = np.array([[6, 0, 1, 2], [5, 3, 0, 0], [2, 1, 1, 0], [0, 0, 4, 1]], dtype=float)
    i, j = cell
    flat = values.ravel()
    neighbours = [
        a * 4 + b
        for a in range(4)
        for b in range(4)
        if max(abs(a - i), abs(b - j)) <= 1 and (a, b) != (i, j)
    ]
    exact = _exact_permutation_p(flat, i * 4 + j, neighbours)
    permutations = 20_000
    result = gi_star_grid(values, permutations=permutations, seed=5, fdr=False)
    estimate = result.p_sim[i, j] * (permutations + 1) - 1
    standard_error = np.sqrt(exact * (1 - exact) / permutations)
    assert estimate / permutations == pytest.approx(exact, abs=4 * standard_error + 1e-4)


def test_floyds_sampler_draws_every_subset_equally_often():
    rng = np.random.default_rng(0)
    rows = 60_000
    # Rows needing 2 of 5 and rows needing 3 of 5, drawn together as in a grid's edges.
    k = np.where(np.arange(rows) % 2 == 0, 2, 3)
    picks = _floyd(k, 3, 5, rng)
    for size in (2, 3):
        chosen = picks[k == size]
        assert (chosen[:, : 3 - size] == -1).all()
        subsets = [tuple(sorted(row[3 - size :])) for row in chosen]
        assert all(len(set(s)) == size for s in subsets)
        observed = np.array([subsets.count(c) for c in itertools.combinations(range(5), size)])
        assert stats.chisquare(observed).pvalue > 0.001


def test_a_strong_hot_spot_reaches_the_smallest_pseudo_p_value():
    values = np.random.default_rng(2).poisson(1.0, (30, 30)).astype(float)
    values[10:13, 10:13] = 12
    result = gi_star_grid(values, permutations=199, seed=9, fdr=False)
    assert result.p_sim[11, 11] == pytest.approx(1 / 200)
    assert result.classes[11, 11] == 3


def test_area_version_takes_permutations_too():
    values = [10, 8, 1, 0, 1, 3, 2]
    lists = [[1], [0, 2], [1, 3], [2, 4], [3, 5], [4, 6], [5]]
    first = gi_star(values, lists, permutations=999, seed=3)
    again = gi_star(values, lists, permutations=999, seed=3)
    np.testing.assert_array_equal(first.p_sim, again.p_sim)


def test_a_seed_is_required():
    with pytest.raises(ValueError, match="seed"):
        gi_star_grid(np.ones((3, 3)), permutations=99)


def test_a_job_over_the_budget_is_refused_with_its_numbers():
    counts = np.zeros((1000, 1000))
    counts[0, 0] = 1
    with pytest.raises(ValueError) as error:
        gi_star_grid(counts, permutations=999, seed=1)
    message = str(error.value)
    assert "1,000,000 units × 999 permutations × 8 neighbours" in message
    assert f"{DEFAULT_MAX_DRAWS:,}" in message


def test_negative_permutations_are_refused():
    with pytest.raises(ValueError, match="0 or more"):
        gi_star_grid(np.ones((3, 3)), permutations=-1, seed=1)


def test_a_hundred_thousand_cells_take_ninety_nine_permutations_in_reasonable_time():
    values = np.random.default_rng(4).poisson(2.0, (316, 316)).astype(float)
    started = time.perf_counter()
    result = gi_star_grid(values, permutations=99, seed=1)
    elapsed = time.perf_counter() - started
    assert elapsed < 60
    assert result.p_sim.shape == values.shape


def test_many_cells_with_few_permutations_warn_that_nothing_can_pass_the_fdr(counts):
    result = gi_star_grid(counts, permutations=99, seed=1)
    assert "permutation_floor" in [note.code for note in result.notes]
    plenty = gi_star_grid(counts[:3, :3], permutations=999, seed=1)
    assert "permutation_floor" not in [note.code for note in plenty.notes]
