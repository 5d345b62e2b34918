"""The stratified lottery: places shared by largest remainder, the same seed draws the same
winners and waiting list, and each stratum's chance is its places over its applicants."""

from __future__ import annotations

import doctest

import numpy as np
import pytest

from civica.stats import lottery
from civica.stats.lottery import allocate_places, draw_lottery


def test_docstring_examples_run():
    assert doctest.testmod(lottery).failed == 0


def test_places_are_shared_by_largest_remainder():
    # 7 places over 10/6/4: quotas 3.5, 2.1, 1.4 -> floors 3, 2, 1 and the one left to F.
    rng = np.random.default_rng(1)
    assert allocate_places({"F": 10, "M": 6, "X": 4}, 7, rng) == {"F": 4, "M": 2, "X": 1}


def test_more_places_than_applicants_gives_everyone_a_place():
    draw = draw_lottery(["a", "b", "b"], 5, seed=3)
    assert sorted(draw.winners) == [0, 1, 2] and draw.waiting_list == ()


def test_same_seed_same_draw_other_seed_other_draw():
    strata = ["F|A"] * 12 + ["F|B"] * 8 + ["M|A"] * 10
    first = draw_lottery(strata, 10, seed=2026)
    assert draw_lottery(strata, 10, seed=2026) == first
    assert any(draw_lottery(strata, 10, seed=s).winners != first.winners for s in range(5))


def test_every_applicant_is_a_winner_or_on_the_waiting_list_once():
    strata = ["x"] * 7 + ["y"] * 5
    draw = draw_lottery(strata, 6, seed=11)
    assert sorted(draw.winners + draw.waiting_list) == list(range(12))
    assert draw.places_by_stratum == {"x": 4, "y": 2} or sum(draw.places_by_stratum.values()) == 6
    for label in ("x", "y"):
        won = [i for i in draw.winners if strata[i] == label]
        assert len(won) == draw.places_by_stratum[label]


def test_each_applicant_wins_with_the_strata_chance():
    strata = ["a"] * 6 + ["b"] * 4
    wins = np.zeros(10)
    runs = 4000
    for seed in range(runs):
        wins += draw_lottery(strata, 5, seed=seed).assigned
    chance = draw_lottery(strata, 5, seed=0).probability()
    assert np.allclose(wins / runs, chance, atol=0.04)


def test_waiting_list_keeps_strata_in_proportion():
    strata = ["a"] * 20 + ["b"] * 20
    draw = draw_lottery(strata, 10, seed=5)
    first_ten = [strata[i] for i in draw.waiting_list[:10]]
    assert first_ten.count("a") == 5


def test_negative_seed_is_refused():
    with pytest.raises(ValueError):
        draw_lottery(["a"], 1, seed=-1)
