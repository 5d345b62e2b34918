"""Monte Carlo inference of the Knox test: a direct reference, exact moments, determinism.

The reference below recounts every pair of events for every permutation, with the
documented random stream: the times in the KD-tree's order, shuffled in place by
``Generator(PCG64(seed)).shuffle`` once per permutation.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.spatial import cKDTree

from civica.stats import knox

DISTANCE = (0, 1, 100, 250, 500)
TIME = (0, 3, 7, 14, 30)


def _reference(x, y, t, distance, time, permutations, seed):
    """Every permuted count of every cell, by brute force over all pairs ``i < j``."""
    x, y, t = (np.asarray(v, dtype=float) for v in (x, y, t))
    i, j = np.triu_indices(x.size, 1)
    d_band = np.searchsorted(distance, np.hypot(x[i] - x[j], y[i] - y[j]), side="right") - 1
    n_d, n_t = len(distance) - 1, len(time) - 1

    def cells(times):
        t_band = np.searchsorted(time, np.abs(times[i] - times[j]), side="right") - 1
        inside = (d_band < n_d) & (t_band < n_t)
        flat = np.bincount(d_band[inside] * n_t + t_band[inside], minlength=n_d * n_t)
        return flat.reshape(n_d, n_t)

    order = cKDTree(np.column_stack((x, y))).indices
    rng = np.random.Generator(np.random.PCG64(seed))
    shuffled = t[order].copy()
    permuted = []
    for _ in range(permutations):
        rng.shuffle(shuffled)
        times = np.empty_like(t)
        times[order] = shuffled
        permuted.append(cells(times))
    return cells(t), np.array(permuted)


def _clustered_events(seed, n=300):
    """Events in a 3 × 3 km square over a year, with some repeats close in space and time."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(0, 3_000, n)
    y = rng.uniform(0, 3_000, n)
    t = rng.integers(0, 365, n).astype(float)
    repeats = rng.choice(n, n // 4, replace=False)
    x[repeats[: n // 8]] = x[repeats[n // 8 :][: n // 8]] + rng.normal(0, 40, n // 8)
    y[repeats[: n // 8]] = y[repeats[n // 8 :][: n // 8]] + rng.normal(0, 40, n // 8)
    t[repeats[: n // 8]] = t[repeats[n // 8 :][: n // 8]] + rng.integers(0, 6, n // 8)
    return x, y, t


@pytest.mark.parametrize("workers", [1, 2])
@pytest.mark.parametrize("whole_days", [True, False])
def test_every_figure_matches_a_brute_force_recount(workers, whole_days):
    x, y, t = _clustered_events(1)
    if not whole_days:
        t = t + np.random.default_rng(5).uniform(0, 1, t.size)
    m = 150
    result = knox(
        x, y, t, distance_bands=DISTANCE, time_bands=TIME, permutations=m, seed=42,
        workers=workers,
    )  # fmt: skip
    observed, permuted = _reference(x, y, t, DISTANCE, TIME, m, 42)
    np.testing.assert_array_equal(result.observed, observed)
    np.testing.assert_allclose(result.expected, permuted.mean(axis=0), rtol=1e-12)
    np.testing.assert_allclose(result.permuted_std, permuted.std(axis=0, ddof=1), rtol=1e-9)
    np.testing.assert_array_equal(result.permuted_min, permuted.min(axis=0))
    np.testing.assert_array_equal(result.permuted_max, permuted.max(axis=0))
    exceed = (permuted >= observed).sum(axis=0)
    np.testing.assert_array_equal(result.exceedances, exceed)
    # A cell no pair ever reaches, observed or permuted, has no test and no p-value.
    tested = (observed > 0) | (permuted.max(axis=0) > 0)
    np.testing.assert_array_equal(result.tested, tested)
    np.testing.assert_allclose(
        result.p_values, np.where(tested, (exceed + 1) / (m + 1), np.nan), rtol=1e-15
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(permuted.mean(axis=0) > 0, observed / permuted.mean(axis=0), np.nan)
    np.testing.assert_allclose(result.ratio, ratio, rtol=1e-12)


def test_the_repeats_show_as_more_pairs_than_chance_in_the_first_cells():
    x, y, t = _clustered_events(2, n=600)
    result = knox(x, y, t, distance_bands=DISTANCE, time_bands=TIME, permutations=199)
    assert result.ratio[1, 0] > 2
    assert result.p_values[1, 0] == pytest.approx(1 / 200)
    assert result.significant()[1, 0]
    assert result.z_scores[1, 0] > 3
    assert not result.significant()[3, 3]


def test_p_values_lie_between_one_over_m_plus_one_and_one():
    x, y, t = _clustered_events(3)
    m = 49
    result = knox(x, y, t, distance_bands=DISTANCE, time_bands=TIME, permutations=m)
    tested = result.p_values[result.tested]
    assert (tested >= 1 / (m + 1)).all()
    assert (tested <= 1).all()
    assert np.nanmin(result.p_values) == pytest.approx(1 / (m + 1))


def test_a_cell_never_reached_has_no_test_no_p_value_and_no_ratio():
    result = knox(
        [0, 0, 5_000], [0, 0, 0], [0, 1, 2],
        distance_bands=(0, 1, 200), time_bands=(0, 7, 14), permutations=19,
    )  # fmt: skip
    assert result.observed[1, 1] == 0
    assert result.expected[1, 1] == 0
    assert np.isnan(result.ratio[1, 1])
    assert np.isnan(result.z_scores[1, 1])
    # Not p = 1: with no pair in the cell there was nothing to test ("—" on the page).
    assert not result.tested[1, 1] and np.isnan(result.p_values[1, 1])
    assert np.isnan(result.q_values[1, 1]) and not result.significant()[1, 1]
    assert np.isnan(result.to_frame()["p_value"].iloc[3])


def test_the_mean_permuted_count_approaches_the_exact_expectation():
    # Under a random permutation the times of a pair are a random pair of distinct event
    # times, so E[count] = (pairs in the distance band) × (share of time pairs in the band).
    x, y, t = _clustered_events(4, n=400)
    m = 2_000
    result = knox(x, y, t, distance_bands=DISTANCE, time_bands=TIME, permutations=m, seed=9)
    i, j = np.triu_indices(x.size, 1)
    d_band = np.searchsorted(DISTANCE, np.hypot(x[i] - x[j], y[i] - y[j]), side="right") - 1
    pairs = np.bincount(d_band, minlength=len(DISTANCE))[: len(DISTANCE) - 1]
    t_band = np.searchsorted(TIME, np.abs(t[i] - t[j]), side="right") - 1
    share = np.bincount(t_band, minlength=len(TIME))[: len(TIME) - 1] / i.size
    exact = pairs[:, None] * share[None, :]
    standard_error = result.permuted_std / np.sqrt(m)
    assert (np.abs(result.expected - exact) <= 4 * standard_error + 1e-9).all()


def test_the_same_seed_gives_the_same_result():
    x, y, t = _clustered_events(5)
    first = knox(x, y, t, distance_bands=DISTANCE, time_bands=TIME, permutations=99, seed=7)
    again = knox(x, y, t, distance_bands=DISTANCE, time_bands=TIME, permutations=99, seed=7)
    threads = knox(
        x, y, t, distance_bands=DISTANCE, time_bands=TIME, permutations=99, seed=7, workers=3
    )
    for other in (again, threads):
        np.testing.assert_array_equal(first.expected, other.expected)
        np.testing.assert_array_equal(first.p_values, other.p_values)
    assert (first.seed, first.permutations) == (7, 99)


def test_different_seeds_give_different_permutations():
    x, y, t = _clustered_events(6)
    a = knox(x, y, t, distance_bands=DISTANCE, time_bands=TIME, permutations=99, seed=1)
    b = knox(x, y, t, distance_bands=DISTANCE, time_bands=TIME, permutations=99, seed=2)
    np.testing.assert_array_equal(a.observed, b.observed)
    assert not np.array_equal(a.expected, b.expected)


def test_more_permutations_than_a_batch_match_the_reference():
    # 64 permutations make a batch; 130 spans three, the last one short.
    x, y, t = _clustered_events(7, n=120)
    result = knox(x, y, t, distance_bands=DISTANCE, time_bands=TIME, permutations=130, seed=3)
    _, permuted = _reference(x, y, t, DISTANCE, TIME, 130, 3)
    np.testing.assert_allclose(result.expected, permuted.mean(axis=0), rtol=1e-12)


def test_significant_uses_p_at_most_alpha():
    x, y, t = _clustered_events(8)
    result = knox(x, y, t, distance_bands=DISTANCE, time_bands=TIME, permutations=99)
    np.testing.assert_array_equal(result.significant(0.1), result.p_values <= 0.1)
    with pytest.raises(ValueError, match="alpha"):
        result.significant(1.5)


@pytest.mark.parametrize(
    "time_bands",
    [
        (0, 1),  # one band of same-day pairs
        tuple(range(0, 29)),  # daily bands: four counting words
        tuple(range(0, 57, 7)),  # weekly bands, the page's: one word, a division
        (0, 2, 5, 9, 14, 30, 60, 90, 120),  # eight uneven bands
        (0, *np.cumsum(range(1, 13)).tolist()),  # 12 uneven bands: two counting words
        (0, *np.cumsum(range(1, 20)).tolist()),  # 19 uneven bands: a sorted search
        (0, 7.5, 15, 22.5),  # whole days, fractional edges
        (0, 40_000),  # an edge beyond the int16 span
    ],
)
def test_permuted_counts_match_the_reference_for_any_time_bands(time_bands):
    x, y, t = _clustered_events(9, n=150)
    result = knox(x, y, t, distance_bands=DISTANCE, time_bands=time_bands, permutations=70)
    observed, permuted = _reference(x, y, t, DISTANCE, time_bands, 70, 0)
    np.testing.assert_array_equal(result.observed, observed)
    np.testing.assert_allclose(result.expected, permuted.mean(axis=0), rtol=1e-12)
    np.testing.assert_array_equal(result.permuted_max, permuted.max(axis=0))


def test_times_spanning_more_than_the_int16_range_are_counted_exactly():
    x, y, t = _clustered_events(10, n=100)
    t[0] = 50_000  # a century and more after the others
    result = knox(x, y, t, distance_bands=DISTANCE, time_bands=TIME, permutations=20)
    observed, permuted = _reference(x, y, t, DISTANCE, TIME, 20, 0)
    np.testing.assert_array_equal(result.observed, observed)
    np.testing.assert_allclose(result.expected, permuted.mean(axis=0), rtol=1e-12)


def test_the_same_events_in_seconds_give_the_same_result_as_in_days():
    # Seconds over a year do not fit the fast whole-day path: the float path must agree,
    # permutation for permutation.
    x, y, t = _clustered_events(11)
    days = knox(x, y, t, distance_bands=DISTANCE, time_bands=TIME, permutations=40)
    seconds = knox(
        x, y, t * 86_400, distance_bands=DISTANCE,
        time_bands=tuple(edge * 86_400 for edge in TIME), permutations=40,
    )  # fmt: skip
    np.testing.assert_array_equal(days.observed, seconds.observed)
    np.testing.assert_array_equal(days.expected, seconds.expected)
    np.testing.assert_array_equal(days.p_values, seconds.p_values)


def test_a_long_span_with_daily_bands_is_counted_exactly():
    # 4 × 9,000 days / 1 day would not fit the int16 shift of the division path.
    x, y, t = _clustered_events(12, n=120)
    t[0] = 9_000
    bands = tuple(range(0, 10))
    result = knox(x, y, t, distance_bands=DISTANCE, time_bands=bands, permutations=30)
    observed, permuted = _reference(x, y, t, DISTANCE, bands, 30, 0)
    np.testing.assert_array_equal(result.observed, observed)
    np.testing.assert_allclose(result.expected, permuted.mean(axis=0), rtol=1e-12)
