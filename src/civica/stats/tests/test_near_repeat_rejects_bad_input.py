"""The Knox test names the problem with its input before doing any work."""

from __future__ import annotations

import numpy as np
import pytest

from civica.stats import knox

X = [0.0, 10.0, 20.0]
Y = [0.0, 0.0, 0.0]
T = [0, 1, 2]
BANDS = {"distance_bands": (0, 1, 200), "time_bands": (0, 7, 14)}


def _knox(x=X, y=Y, t=T, **options):
    return knox(x, y, t, **{**BANDS, "permutations": 9, **options})


def test_it_rejects_arrays_of_different_lengths():
    with pytest.raises(ValueError, match=r"same length.*'t': 2"):
        _knox(t=[0, 1])


def test_it_rejects_a_single_event():
    with pytest.raises(ValueError, match="at least 2 events, not 1"):
        _knox(x=[0.0], y=[0.0], t=[0])


@pytest.mark.parametrize("name", ["x", "y", "t"])
@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_it_rejects_values_that_are_not_finite(name, bad):
    values = {"x": list(X), "y": list(Y), "t": list(T)}
    values[name][1] = bad
    with pytest.raises(ValueError, match=rf"^{name} has 1 values that are not finite.*position 1"):
        _knox(**values)


def test_it_asks_for_days_instead_of_dates():
    dates = np.array(["2015-01-01", "2015-01-03", "2015-01-09"], dtype="datetime64[D]")
    with pytest.raises(ValueError, match="numbers of days"):
        _knox(t=dates)


def test_it_rejects_text_and_two_dimensional_coordinates():
    with pytest.raises(ValueError, match="x must be numbers"):
        _knox(x=["a", "b", "c"])
    with pytest.raises(ValueError, match="one-dimensional"):
        _knox(y=[[0.0, 0.0, 0.0]])


@pytest.mark.parametrize(
    ("bands", "message"),
    [
        ((1, 200, 400), "must start at 0, not at 1 m"),
        ((0, 200, 200, 400), "strictly increasing: 200 is followed by 200"),
        ((0, 400, 200), "strictly increasing: 400 is followed by 200"),
        ((0,), "at least two edges"),
        ((), "at least two edges"),
        ((0, np.inf), "finite"),
        (("0", "x"), "numbers"),
    ],
)
def test_it_rejects_distance_bands_that_are_not_increasing_edges_from_zero(bands, message):
    with pytest.raises(ValueError, match=message):
        _knox(distance_bands=bands)


def test_it_rejects_time_bands_that_do_not_start_at_zero():
    with pytest.raises(ValueError, match="time_bands must start at 0, not at 7 days"):
        _knox(time_bands=(7, 14))


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"permutations": 0}, "permutations must be at least 1"),
        ({"permutations": 99.5}, "permutations must be a whole number"),
        ({"permutations": True}, "permutations must be a whole number"),
        ({"seed": -1}, "seed must be at least 0"),
        ({"seed": None}, "seed must be a whole number"),
        ({"workers": 0}, "workers must be at least 1"),
        ({"max_memory": 0}, "max_memory is a positive number"),
    ],
)
def test_it_rejects_settings_out_of_range(options, message):
    with pytest.raises(ValueError, match=message):
        _knox(**options)


def test_it_refuses_more_candidate_pairs_than_the_memory_budget():
    rng = np.random.default_rng(0)
    x, y = rng.uniform(0, 1_000, (2, 2_000))
    t = rng.integers(0, 365, 2_000)
    with pytest.raises(ValueError) as refused:
        knox(
            x, y, t, distance_bands=(0, 1, 200, 2_000), time_bands=(0, 7),
            max_memory=10_000_000,
        )  # fmt: skip
    message = str(refused.value)
    # Every pair of the 2,000 events is closer than 2 km: 1,999,000 pairs.
    assert "1,999,000 pairs of events are closer than 2000 m" in message
    assert "smaller largest distance band or a shorter period" in message


def test_a_budget_that_fits_runs():
    rng = np.random.default_rng(0)
    x, y = rng.uniform(0, 1_000, (2, 300))
    t = rng.integers(0, 365, 300)
    result = knox(
        x, y, t, distance_bands=(0, 2_000), time_bands=(0, 7), permutations=3,
        max_memory=300 * 299 // 2 * 48,
    )  # fmt: skip
    assert result.n_pairs_considered == 300 * 299 // 2


def test_a_budget_that_fits_the_exact_count_but_not_the_quick_bound_runs():
    # The quick bound counts pairs in neighbouring 250 m cells (about 7,200 here); the
    # exact count of pairs closer than 250 m (about 2,600) is what the budget is held to.
    rng = np.random.default_rng(0)
    x, y = rng.uniform(0, 3_000, (2, 500))
    t = rng.integers(0, 365, 500)
    result = knox(
        x, y, t, distance_bands=(0, 250), time_bands=(0, 7), permutations=3,
        max_memory=5_000 * 48,
    )  # fmt: skip
    assert 2_000 < result.n_pairs_considered < 5_000
