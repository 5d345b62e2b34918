"""Cells are labelled new, persistent, intensifying, diminishing, sporadic or historical."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from civica.stats.emerging import (
    HotSpotTrend,
    emerging_hot_spots,
    hot_spot_trends,
    mann_kendall,
)
from civica.stats.hotspots import gi_star_grid


def _history(pattern: str) -> list[bool]:
    return [c == "H" for c in pattern]


CASES = {
    # pattern of hot periods, oldest first; z-scores over the ten periods
    "new": ("..........H", None),
    "intensifying": (".HHHHHHHHHH", np.linspace(2, 6, 11)),
    "diminishing": ("HHHHHHHHHHH", [6, 5.5, 5, 4.5, 4, 3.5, 3, 2.5, 2, 1.8, 1.6]),
    "persistent": ("HHHHHHHHHHH", [3, 4, 3, 4, 3, 4, 3, 4, 3, 4, 3]),
    "sporadic": ("H...H....HH", None),
    "historical": ("HHHHHHHHHH.", None),
    "none": ("...........", None),
}


def test_mann_kendall_s_and_variance_by_hand():
    # 1, 3, 2: pairs (1,3) +, (1,2) +, (3,2) −  →  S = 1; Var = 3·2·11/18 = 11/3.
    result = mann_kendall([1.0, 3.0, 2.0])
    assert float(result.s) == 1.0
    assert float(result.variance) == pytest.approx(11 / 3)
    assert float(result.z) == 0.0  # (S − 1) / sd with the continuity correction
    # Ties: 1, 1, 2, 2 → S = 4, Var = (4·3·13 − 2·(2·1·9)) / 18 = 120 / 18.
    tied = mann_kendall([1.0, 1.0, 2.0, 2.0])
    assert float(tied.s) == 4.0
    assert float(tied.variance) == pytest.approx(120 / 18)


def test_mann_kendall_without_continuity_matches_scipys_kendall_tau():
    rng = np.random.default_rng(5)
    series = np.round(rng.normal(size=(12, 40)) + np.linspace(0, 1, 12)[:, None], 1)
    ours = mann_kendall(series, continuity=False)
    time = np.arange(12)
    for cell in range(40):
        reference = stats.kendalltau(time, series[:, cell], method="asymptotic")
        assert ours.p[cell] == pytest.approx(reference.pvalue, rel=1e-9)


def test_mann_kendall_of_constant_or_missing_series():
    result = mann_kendall(np.array([[2.0, 1.0], [2.0, np.nan], [2.0, 3.0]]))
    assert result.z[0] == 0.0 and result.p[0] == 1.0
    assert np.isnan(result.p[1])


def test_each_history_gets_its_label():
    patterns, z_rows = [], []
    for pattern, z in CASES.values():
        patterns.append(_history(pattern))
        z_rows.append([3.0] * len(pattern) if z is None else z)
    hot = np.array(patterns).T
    z = np.array(z_rows, dtype=float).T
    result = hot_spot_trends(hot, z)
    expected = list(CASES)
    assert result.category.tolist() == expected
    assert result.hot_periods.tolist() == [1, 10, 11, 11, 4, 10, 0]
    assert result.periods == 11
    assert result.notes == ()
    assert result.counts()["intensifying"] == 1


def test_persistent_means_ninety_percent_of_the_periods_rounded_up():
    nine_of_ten = np.array(_history("H.HHHHHHHH"))[:, None]
    eight_of_ten = np.array(_history("H..HHHHHHH"))[:, None]
    flat = np.full((10, 1), 3.0)
    assert hot_spot_trends(nine_of_ten, flat).category[0] == HotSpotTrend.PERSISTENT
    assert hot_spot_trends(eight_of_ten, flat).category[0] == HotSpotTrend.SPORADIC


def test_few_periods_leave_a_note_and_make_trends_impossible():
    hot = np.ones((4, 2), dtype=bool)
    z = np.array([[1.0, 4.0], [2.0, 3.0], [3.0, 2.0], [4.0, 1.0]])
    result = hot_spot_trends(hot, z)
    assert result.category.tolist() == ["persistent", "persistent"]
    assert [note.code for note in result.notes] == ["no_trend_possible", "few_periods"]


def test_it_works_straight_from_gi_star_results_of_each_period():
    rng = np.random.default_rng(12)
    periods = []
    for year in range(10):
        counts = rng.poisson(1.0, (15, 15)).astype(float)
        counts[2:4, 2:4] += 8  # a persistent hot spot
        if year == 9:
            counts[10:12, 10:12] += 10  # a new one
        periods.append(gi_star_grid(counts))
    result = emerging_hot_spots(periods)
    assert result.category.shape == (15, 15)
    assert result.category[2, 2] in {"persistent", "intensifying", "diminishing"}
    assert result.category[10, 10] == "new"


@pytest.mark.parametrize(
    ("hot", "z", "message"),
    [
        (np.ones((1, 3), dtype=bool), np.ones((1, 3)), "at least 2 periods"),
        (np.ones((3, 3)), np.ones((3, 3)), "boolean"),
        (np.ones((3, 3), dtype=bool), np.ones((3, 2)), "shape"),
    ],
)
def test_it_rejects_bad_histories(hot, z, message):
    with pytest.raises(ValueError, match=message):
        hot_spot_trends(hot, z)


def test_periods_on_different_grids_are_refused():
    a = gi_star_grid(np.arange(9.0).reshape(3, 3))
    b = gi_star_grid(np.arange(12.0).reshape(3, 4))
    with pytest.raises(ValueError, match="different cells"):
        emerging_hot_spots([a, b])
