"""Kernel density surfaces keep the incidents' mass and warn about small bandwidths."""

from __future__ import annotations

import math

import numpy as np
import pytest

from civica.stats.grid import Grid
from civica.stats.kde import DensityUnits, Kernel, kde_surface

WIDE = (-8_000, -8_000, 8_000, 8_000)


@pytest.fixture(scope="module")
def points() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(21)
    return rng.normal(0, 600, 1_500), rng.normal(0, 400, 1_500)


@pytest.mark.parametrize("kernel", ["quartic", "gaussian"])
@pytest.mark.parametrize("bandwidth", [250, 400, 800])
def test_the_surface_integrates_to_the_number_of_points(points, kernel, bandwidth):
    x, y = points
    grid = Grid.build(x, y, cell_size=100, bounds=WIDE)
    surface = kde_surface(x, y, grid=grid, bandwidth=bandwidth, kernel=kernel)
    km2 = grid.cell_area / 1e6
    assert surface.density.sum() * km2 == pytest.approx(1_500, rel=1e-9)
    assert surface.mass_in_grid == pytest.approx(1.0)
    assert surface.units is DensityUnits.PER_KM2
    assert surface.kernel is Kernel(kernel)
    assert (surface.density >= 0).all()


def test_per_cell_units_are_smoothed_counts(points):
    x, y = points
    grid = Grid.build(x, y, cell_size=100, bounds=WIDE)
    per_cell = kde_surface(x, y, grid=grid, bandwidth=400, units="per_cell")
    per_km2 = kde_surface(x, y, grid=grid, bandwidth=400)
    assert per_cell.density.sum() == pytest.approx(1_500)
    np.testing.assert_allclose(per_cell.density / 0.01, per_km2.density, rtol=1e-12)


def test_one_point_spreads_as_the_quartic_kernel_by_hand():
    grid = Grid.build([50.0], [50.0], cell_size=100, bounds=(-1000, -1000, 1100, 1100))
    surface = kde_surface([50.0], [50.0], grid=grid, bandwidth=250, units="per_cell")
    row, col = grid.row[0], grid.col[0]
    # Offsets of whole cells within 250 m: weights (1 − d²/h²)², normalised to sum 1.
    offsets = [(a, b) for a in range(-2, 3) for b in range(-2, 3)]
    raw = {o: max(0.0, 1 - ((o[0] ** 2 + o[1] ** 2) * 100**2) / 250**2) ** 2 for o in offsets}
    total = sum(raw.values())
    for (a, b), weight in raw.items():
        assert surface.density[row + a, col + b] == pytest.approx(weight / total, abs=1e-12)
    # Symmetric, and nothing beyond the bandwidth (the corner offset (2, 2) is 283 m away).
    assert surface.density[row + 2, col + 2] == pytest.approx(0.0, abs=1e-15)
    assert surface.density.sum() == pytest.approx(1.0)


def test_a_bandwidth_below_the_cell_size_warns_that_the_surface_is_the_counts(points):
    x, y = points
    grid = Grid.build(x, y, cell_size=200, bounds=WIDE)
    surface = kde_surface(x, y, grid=grid, bandwidth=150)
    codes = [note.code for note in surface.warnings]
    assert codes == ["bandwidth_below_cell"]
    message = str(surface.warnings[0])
    assert "150 m" in message and "200 m" in message and "400 m" in message
    np.testing.assert_allclose(surface.density * grid.cell_area / 1e6, grid.counts, atol=1e-9)


def test_a_bandwidth_below_two_cells_gets_a_softer_note(points):
    x, y = points
    grid = Grid.build(x, y, cell_size=200, bounds=WIDE)
    surface = kde_surface(x, y, grid=grid, bandwidth=300)
    assert [note.code for note in surface.warnings] == ["bandwidth_below_2_cells"]
    assert kde_surface(x, y, grid=grid, bandwidth=400).warnings == ()


def test_mass_past_the_edges_is_reported(points):
    x, y = points
    tight = Grid.build(x, y, cell_size=100)  # the points' own extent
    surface = kde_surface(x, y, grid=tight, bandwidth=1_500)
    assert surface.mass_in_grid < 0.99
    assert "mass_outside" in [note.code for note in surface.warnings]
    km2 = tight.cell_area / 1e6
    assert surface.density.sum() * km2 == pytest.approx(surface.mass_in_grid * 1_500)


def test_points_outside_the_grid_are_left_out_and_said_so():
    grid = Grid.build([0.0], [0.0], cell_size=100, bounds=(0, 0, 1000, 1000))
    surface = kde_surface([500.0, 50_000.0, np.nan], [500.0, 0.0, 1.0], grid=grid, bandwidth=300)
    assert surface.n_points == 1
    assert surface.n_left_out == 2
    assert "points_left_out" in [note.code for note in surface.warnings]


def test_no_points_give_a_flat_zero_surface():
    grid = Grid.build([], [], cell_size=100, bounds=(0, 0, 500, 500))
    surface = kde_surface([], [], grid=grid, bandwidth=300)
    assert (surface.density == 0).all()
    assert surface.n_points == 0


def test_the_gaussian_kernel_is_cut_at_four_bandwidths():
    grid = Grid.build([0.0], [0.0], cell_size=100, bounds=(-2000, -2000, 2100, 2100))
    surface = kde_surface([50.0], [50.0], grid=grid, bandwidth=200, kernel="gaussian")
    row, col = grid.row[0], grid.col[0]
    assert surface.density[row, col + 8] > 0  # 800 m = 4 h
    assert surface.density[row, col + 9] == 0
    ratio = surface.density[row, col + 2] / surface.density[row, col]
    assert ratio == pytest.approx(math.exp(-(200**2) / (2 * 200**2)))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"bandwidth": 0}, "positive"),
        ({"bandwidth": float("nan")}, "positive"),
        ({"bandwidth": 300, "kernel": "epanechnikov"}, '"quartic", "gaussian"'),
        ({"bandwidth": 300, "units": "per_m2"}, '"per_km2", "per_cell"'),
        ({"bandwidth": 1e6}, "kernel of"),
    ],
)
def test_it_rejects_bad_bandwidths_kernels_and_units(kwargs, message):
    grid = Grid.build([0.0], [0.0], cell_size=100, bounds=(0, 0, 1000, 1000))
    with pytest.raises(ValueError, match=message):
        kde_surface([0.0], [0.0], grid=grid, **kwargs)
