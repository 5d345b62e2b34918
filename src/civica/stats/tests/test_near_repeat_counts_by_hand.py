"""Observed Knox counts of a few events, counted pair by pair by hand."""

from __future__ import annotations

import numpy as np
import pytest

from civica.stats import knox

DISTANCE = (0, 1, 200, 400)
TIME = (0, 7, 14)


def _observed(x, y, t, distance=DISTANCE, time=TIME):
    return knox(x, y, t, distance_bands=distance, time_bands=time, permutations=9, seed=3)


def test_five_events_fall_in_the_cells_counted_by_hand():
    # Pairs (distance m, gap days): 0-1 (0, 3); 0-2 (150, 10); 1-2 (150, 7); 0-3 (300, 1);
    # 1-3 (300, 2); 2-3 (335.4, 9); event 4 is 5 km from all the others.
    result = _observed([0, 0, 150, 0, 5000], [0, 0, 0, 300, 0], [0, 3, 10, 1, 2])
    np.testing.assert_array_equal(result.observed, [[1, 0], [0, 2], [2, 1]])
    assert result.n_pairs_considered == 6
    assert result.n_events == 5
    assert result.observed.dtype.kind == "i"


def test_two_events_at_one_place_on_one_day_are_one_pair():
    result = _observed([10.0, 10.0], [20.0, 20.0], [5, 5])
    np.testing.assert_array_equal(result.observed, [[1, 0], [0, 0], [0, 0]])
    assert result.n_pairs_considered == 1


def test_three_events_at_one_place_on_one_day_are_three_pairs_not_six_or_nine():
    result = _observed([1.0, 1.0, 1.0], [1.0, 1.0, 1.0], [0, 0, 0])
    assert result.observed[0, 0] == 3
    assert result.observed.sum() == 3


def test_the_same_location_band_holds_pairs_under_a_metre_apart():
    # 0.6 m apart: same address within rounding; exactly 1 m: the next band.
    result = _observed([0.0, 0.6, 100.0, 101.0], [0.0, 0.0, 0.0, 0.0], [0, 1, 50, 51])
    assert result.observed[0, 0] == 1
    assert result.observed[1, 0] == 1


def test_band_edges_are_half_open_in_distance_and_time():
    # 200 m exactly is in [200, 400); a gap of exactly 7 days is in [7, 14).
    result = _observed([0.0, 200.0], [0.0, 0.0], [0, 7])
    np.testing.assert_array_equal(result.observed, [[0, 0], [0, 0], [0, 1]])


def test_pairs_at_the_last_edges_are_not_reported():
    # 400 m apart is beyond the last distance edge: not a candidate pair at all.
    result = _observed([0.0, 400.0], [0.0, 0.0], [0, 1])
    assert result.n_pairs_considered == 0
    assert result.observed.sum() == 0
    # Close in space but 14 days apart: a candidate pair, in no reported cell.
    result = _observed([0.0, 50.0], [0.0, 0.0], [0, 14])
    assert result.n_pairs_considered == 1
    assert result.observed.sum() == 0


def test_fractional_days_use_the_same_half_open_bands():
    result = _observed([0.0, 0.0, 0.0], [0.0, 100.0, 150.0], [0.25, 6.75, 7.25])
    # Gaps: 6.5 (100 m), 7.0 (150 m), 0.5 (50 m).
    np.testing.assert_array_equal(result.observed, [[0, 0], [2, 1], [0, 0]])


def test_uneven_time_bands_are_counted_by_their_edges():
    t = [0, 1, 3, 10, 30]
    result = knox(
        [0.0] * 5, [0.0, 1.5, 3.0, 4.5, 6.0], t,
        distance_bands=(0, 100), time_bands=(0, 1, 3, 10, 30), permutations=9,
    )  # fmt: skip
    # Gaps of the 10 pairs: 1 3 10 30 | 2 9 29 | 7 27 | 20; 30 is beyond the last edge.
    np.testing.assert_array_equal(result.observed, [[0, 2, 3, 4]])


@pytest.mark.parametrize("n_bands", [9, 17, 40])
def test_many_time_bands_count_like_a_direct_tally(n_bands):
    rng = np.random.default_rng(n_bands)
    x, y = rng.uniform(0, 300, (2, 60))
    t = rng.integers(0, 3 * n_bands, 60)
    time = tuple(range(0, 2 * n_bands + 1, 2))
    result = knox(x, y, t, distance_bands=(0, 150, 450), time_bands=time, permutations=5)
    i, j = np.triu_indices(60, 1)
    distance = np.hypot(x[i] - x[j], y[i] - y[j])
    gap = np.abs(t[i] - t[j])
    # histogram2d closes its last bins on the right: leave out gaps on the last edge.
    inside = gap < time[-1]
    expected, _, _ = np.histogram2d(distance[inside], gap[inside], bins=[(0, 150, 450), time])
    np.testing.assert_array_equal(result.observed, expected.astype(int))


def test_the_frame_has_one_row_per_cell_with_its_edges():
    result = _observed([0, 0, 150, 0, 5000], [0, 0, 0, 300, 0], [0, 3, 10, 1, 2])
    frame = result.to_frame()
    assert list(frame.columns) == [
        "distance_from",
        "distance_to",
        "time_from",
        "time_to",
        "observed",
        "expected",
        "ratio",
        "p_value",
        "q_value",
        "z_score",
    ]
    assert len(frame) == 6
    row = frame.iloc[3]
    assert (row["distance_from"], row["distance_to"]) == (1.0, 200.0)
    assert (row["time_from"], row["time_to"]) == (7.0, 14.0)
    assert row["observed"] == 2
    np.testing.assert_array_equal(frame["observed"].to_numpy(), result.observed.ravel())


def test_the_result_is_read_only():
    result = _observed([0, 0, 150], [0, 0, 0], [0, 3, 10])
    with pytest.raises(ValueError, match="read-only"):
        result.observed[0, 0] = 5
    assert result.distance_bands == (0.0, 1.0, 200.0, 400.0)
    assert result.time_bands == (0.0, 7.0, 14.0)
