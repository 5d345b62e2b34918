"""Ranking areas by the lower bound of their rate interval."""

from __future__ import annotations

import math

import numpy as np
import pytest

from civica.stats import poisson_interval, rank_by_lower_bound


def test_a_village_with_one_crime_ranks_first_by_rate_but_last_by_lower_bound():
    ranking = rank_by_lower_bound(
        counts=[1, 300, 40],
        populations=[2_000, 1_000_000, 100_000],
        labels=["village", "city", "town"],
    )
    # Rates: village 50, town 40, city 30. Lower limits: city 300's (267.0 / 10) = 26.7,
    # town 40's (28.58 / 1) = 28.6, village 1's (0.0253 × 50) = 1.27.
    assert ranking.labels == ("town", "city", "village")
    assert ranking.rate.tolist() == pytest.approx([40.0, 30.0, 50.0])
    assert ranking.rank_by_rate.tolist() == [2, 3, 1]
    assert ranking.rank_by_lower.tolist() == [1, 2, 3]
    assert ranking.lower[0] == pytest.approx(poisson_interval(40).lower)
    assert ranking.lower[2] == pytest.approx(poisson_interval(1).lower * 50)


def test_ties_share_the_smallest_rank_and_keep_input_order():
    ranking = rank_by_lower_bound([0, 0, 5], [1_000, 1_000, 1_000], ["a", "b", "c"])
    assert ranking.labels == ("c", "a", "b")
    assert ranking.rank_by_lower.tolist() == [1, 2, 2]


def test_areas_without_a_rate_come_last_unranked():
    ranking = rank_by_lower_bound([3, None, 4], [10_000, 10_000, 0], ["x", "y", "z"])
    assert ranking.labels[0] == "x"
    assert math.isnan(ranking.rank_by_lower[1])
    assert math.isnan(ranking.rank_by_rate[2])
    frame = ranking.to_frame()
    assert frame["rank_by_lower"].isna().sum() == 2
    assert frame.index.tolist() == ["x", "y", "z"]


def test_the_level_changes_the_lower_bound_used():
    ranking = rank_by_lower_bound([10], [100_000], ["only"], level=0.99)
    assert ranking.lower[0] == pytest.approx(poisson_interval(10, level=0.99).lower)
    assert ranking.level == 0.99


def test_the_result_is_frozen_and_read_only():
    ranking = rank_by_lower_bound([1, 2], [10, 10], ["a", "b"])
    with pytest.raises(AttributeError):
        ranking.level = 0.5
    with pytest.raises(ValueError):
        ranking.rate[0] = 0


def test_it_rejects_labels_that_do_not_match_the_areas():
    with pytest.raises(ValueError, match="labels"):
        rank_by_lower_bound(np.array([1, 2]), np.array([10, 10]), ["a"])
