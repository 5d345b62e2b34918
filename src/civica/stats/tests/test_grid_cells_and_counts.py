"""A grid counts projected points in square cells, rows from south to north."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from civica.stats.grid import Grid


def test_rows_run_from_south_to_north_and_columns_from_west_to_east():
    grid = Grid.build([50, 150, 150, 250], [50, 50, 250, 250], cell_size=100)
    assert grid.shape == (3, 3)
    assert grid.counts.tolist() == [[1, 1, 0], [0, 0, 0], [0, 1, 1]]
    assert grid.row.tolist() == [0, 0, 2, 2]
    assert grid.col.tolist() == [0, 1, 1, 2]
    assert grid.cell_index.tolist() == [0, 1, 7, 8]


def test_cell_edges_lie_on_multiples_of_the_cell_size_by_default():
    grid = Grid.build([1234.0, 2890.0], [5010.0, 5990.0], cell_size=500)
    assert grid.bounds == (1000.0, 5000.0, 3000.0, 6000.0)
    assert grid.shape == (2, 4)


def test_an_origin_moves_the_lattice_of_cell_edges():
    grid = Grid.build([1234.0, 2890.0], [5010.0, 5990.0], cell_size=500, origin=(100, 0))
    assert grid.bounds == (1100.0, 5000.0, 3100.0, 6000.0)


def test_cells_are_half_open_except_on_the_east_and_north_edges():
    grid = Grid.build([0.0, 100.0, 200.0], [0.0, 0.0, 200.0], cell_size=100)
    assert grid.shape == (2, 2)
    # x = 100 opens the second column; x = y = 200 closes the grid and stays inside it.
    assert grid.col.tolist() == [0, 1, 1]
    assert grid.row.tolist() == [0, 0, 1]
    assert grid.counts.sum() == 3


def test_points_outside_given_bounds_and_points_without_coordinates_are_counted_apart():
    grid = Grid.build(
        [10.0, 50.0, np.nan, 5_000.0],
        [10.0, np.nan, 20.0, 10.0],
        cell_size=100,
        bounds=(0, 0, 1000, 1000),
    )
    assert grid.n_missing == 2
    assert grid.n_outside == 1
    assert grid.counts.sum() == 1
    assert grid.row.tolist() == [0, -1, -1, -1]


def test_another_period_is_counted_on_the_same_cells():
    grid = Grid.build([10.0, 990.0], [10.0, 990.0], cell_size=500)
    later = grid.count([600.0, 700.0, 5_000.0], [600.0, 700.0, 10.0])
    assert later.tolist() == [[0, 0], [0, 2]]


def test_cell_bounds_and_the_cell_table_give_the_same_polygons():
    grid = Grid.build([10.0, 620.0, 640.0], [10.0, 30.0, 990.0], cell_size=500)
    cells = grid.cells()
    assert list(cells.columns) == ["row", "col", "x_min", "y_min", "x_max", "y_max", "count"]
    assert cells["count"].tolist() == [1, 1, 0, 1]
    for index, cell in cells.iterrows():
        assert grid.cell_bounds(cell.row, cell.col) == (
            cell.x_min,
            cell.y_min,
            cell.x_max,
            cell.y_max,
        )
        assert index == cell.row * grid.n_cols + cell.col
    boxes = shapely.box(cells.x_min, cells.y_min, cells.x_max, cells.y_max)
    assert shapely.area(boxes).tolist() == [grid.cell_area] * 4


def test_each_point_lies_inside_the_polygon_of_its_cell():
    rng = np.random.default_rng(7)
    x = rng.uniform(2_780_000, 2_820_000, 2_000)
    y = rng.uniform(800_000, 845_000, 2_000)
    grid = Grid.build(x, y, cell_size=500)
    left = grid.x_min + grid.col * grid.cell_size
    bottom = grid.y_min + grid.row * grid.cell_size
    assert ((left <= x) & (x < left + 500) & (bottom <= y) & (y < bottom + 500)).all()
    assert grid.counts.sum() == 2_000


def test_centres_are_half_a_cell_in_from_the_edges():
    grid = Grid.build([0.0, 250.0], [0.0, 150.0], cell_size=100)
    xs, ys = grid.centres()
    assert xs.tolist() == [50.0, 150.0, 250.0]
    assert ys.tolist() == [50.0, 150.0]


def test_a_cell_outside_the_grid_has_no_bounds():
    grid = Grid.build([0.0, 250.0], [0.0, 150.0], cell_size=100)
    with pytest.raises(IndexError):
        grid.cell_bounds(2, 0)


def test_results_are_read_only():
    grid = Grid.build([0.0, 250.0], [0.0, 150.0], cell_size=100)
    with pytest.raises(ValueError):
        grid.counts[0, 0] = 5


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"cell_size": 0}, "positive"),
        ({"cell_size": -5}, "positive"),
        ({"cell_size": 100, "bounds": (0, 0, 0, 10)}, "area"),
        ({"cell_size": 100, "bounds": (0, 0, np.inf, 10)}, "finite"),
    ],
)
def test_it_rejects_bad_cells_and_bounds(kwargs, message):
    with pytest.raises(ValueError, match=message):
        Grid.build([0.0, 1.0], [0.0, 1.0], **kwargs)


def test_it_needs_bounds_when_no_point_has_coordinates():
    with pytest.raises(ValueError, match="bounds"):
        Grid.build([np.nan], [np.nan], cell_size=100)
    grid = Grid.build([np.nan], [np.nan], cell_size=100, bounds=(0, 0, 300, 200))
    assert grid.counts.tolist() == [[0, 0, 0], [0, 0, 0]]


def test_it_rejects_coordinates_of_different_lengths():
    with pytest.raises(ValueError, match="3 x coordinates for 2"):
        Grid.build([0.0, 1.0, 2.0], [0.0, 1.0], cell_size=100)
