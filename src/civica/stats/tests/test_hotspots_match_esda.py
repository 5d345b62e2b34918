"""Gi* z-scores equal esda's ``G_Local(star=True, transform="B")`` on the same lattice weights.

esda gives a binary W with no diagonal a self weight of 1 when ``star=True`` (its
``fill_diagonal(w, 1)``), then uses the Ord & Getis (1995) moments; civica's windows
include the cell itself with weight 1, so the two must agree to rounding.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from civica.stats.grid import Grid
from civica.stats.hotspots import gi_star, gi_star_grid

esda = pytest.importorskip("esda")
libpysal = pytest.importorskip("libpysal")

CRIME = "ROBO A TRANSEUNTE C.V."


def _esda_z(values: np.ndarray, w) -> np.ndarray:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return esda.G_Local(values, w, star=True, transform="B", permutations=0).Zs


@pytest.fixture(scope="module")
def random_counts() -> np.ndarray:
    return np.random.default_rng(2015).poisson(1.7, (30, 40)).astype(float)


@pytest.fixture(scope="module")
def cdmx_grid(shared_data) -> Grid:
    pyproj = pytest.importorskip("pyproj")
    frame = pd.read_csv(
        shared_data / "cdmx_hoyodecrimen" / "crime_lat_long_2013-2016.csv.gz",
        usecols=["crime", "year", "lat", "long"],
        na_values=["NA"],
    )
    points = frame[(frame["crime"] == CRIME) & (frame["year"] == 2015)]
    to_lcc = pyproj.Transformer.from_crs("EPSG:4326", "EPSG:6372", always_xy=True)
    x, y = to_lcc.transform(points["long"].to_numpy(), points["lat"].to_numpy())
    return Grid.build(x, y, cell_size=500)


@pytest.mark.parametrize("rook", [False, True])
def test_a_random_30_by_40_grid_matches_esda(random_counts, rook):
    w = libpysal.weights.lat2W(30, 40, rook=rook)
    ours = gi_star_grid(random_counts, neighbourhood="rook" if rook else "queen")
    reference = _esda_z(random_counts.ravel(), w)
    np.testing.assert_allclose(ours.z.ravel(), reference, rtol=0, atol=1e-9)


def test_two_sided_p_values_are_twice_esdas_one_sided_normal_p(random_counts):
    w = libpysal.weights.lat2W(30, 40, rook=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reference = esda.G_Local(random_counts.ravel(), w, star=True, transform="B", permutations=0)
    ours = gi_star_grid(random_counts)
    np.testing.assert_allclose(ours.p.ravel(), 2 * reference.p_norm, rtol=1e-9, atol=1e-15)


def test_area_version_on_esdas_sparse_weights_matches_esda(random_counts):
    w = libpysal.weights.lat2W(30, 40, rook=True)
    ours = gi_star(random_counts.ravel(), w.sparse)
    np.testing.assert_allclose(ours.z, _esda_z(random_counts.ravel(), w), rtol=0, atol=1e-9)


def test_a_masked_grid_matches_esda_on_the_subset_of_its_weights(random_counts):
    mask = np.ones(random_counts.shape, dtype=bool)
    mask[:8, :10] = False  # a corner outside the municipality
    mask[20:, 35:] = False
    w = libpysal.weights.lat2W(30, 40, rook=False)
    keep = np.flatnonzero(mask.ravel())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        subset = libpysal.weights.w_subset(w, [w.id_order[i] for i in keep])
    ours = gi_star_grid(random_counts, mask=mask)
    reference = _esda_z(random_counts.ravel()[keep], subset)
    np.testing.assert_allclose(ours.z.ravel()[keep], reference, rtol=0, atol=1e-9)


def test_street_robbery_in_cdmx_2015_on_500_m_cells_matches_esda(cdmx_grid):
    assert cdmx_grid.n_missing > 0  # the published file has points without coordinates
    assert cdmx_grid.counts.sum() + cdmx_grid.n_missing == 7_858
    rows, cols = cdmx_grid.shape
    counts = cdmx_grid.counts.astype(float)
    ours = gi_star_grid(counts)
    reference = _esda_z(counts.ravel(), libpysal.weights.lat2W(rows, cols, rook=False))
    np.testing.assert_allclose(ours.z.ravel(), reference, rtol=0, atol=1e-9)
    # Street robbery concentrates: there are significant hot spots after FDR.
    assert ours.hot.sum() > 0
    assert ours.correction == "benjamini_hochberg"
