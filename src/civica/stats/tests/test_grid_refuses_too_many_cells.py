"""A grid that would be too large is refused with its numbers, before any allocation."""

from __future__ import annotations

import tracemalloc

import pytest

from civica.stats.grid import DEFAULT_MAX_CELLS, Grid


def test_the_default_limit_is_four_million_cells():
    assert DEFAULT_MAX_CELLS == 4_000_000


def test_ten_metre_cells_over_mexico_city_are_refused_with_the_numbers():
    # Roughly CDMX's projected extent: 40 km × 45 km at 10 m is 18 million cells.
    bounds = (2_779_000, 800_000, 2_819_000, 845_000)
    with pytest.raises(ValueError) as error:
        Grid.build([], [], cell_size=10, bounds=bounds)
    message = str(error.value)
    assert "4,500 × 4,000 = 18,000,000 cells" in message
    assert "4,000,000" in message


def test_the_refusal_happens_before_allocating_the_grid():
    tracemalloc.start()
    try:
        with pytest.raises(ValueError):
            Grid.build([], [], cell_size=0.001, bounds=(0, 0, 100_000, 100_000))
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 1_000_000


def test_the_limit_can_be_raised_or_lowered():
    bounds = (0, 0, 1000, 1000)
    assert Grid.build([], [], cell_size=10, bounds=bounds).n_cells == 10_000
    with pytest.raises(ValueError, match="more than the maximum of 9,999"):
        Grid.build([], [], cell_size=10, bounds=bounds, max_cells=9_999)
