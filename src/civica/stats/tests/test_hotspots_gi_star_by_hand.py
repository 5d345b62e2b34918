"""Gi* z-scores on small grids, worked out by hand from Ord & Getis (1995)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import sparse, stats

from civica.stats.hotspots import Neighbourhood, gi_star, gi_star_grid

# One hot cell in the south-west corner of a 3 × 3 grid. n = 9, mean 1,
# S = sqrt(81 / 9 - 1) = sqrt(8), and z = (L - W) / (sqrt(8) sqrt((9 W - W²) / 8)):
#   W = 4, L = 9  →  5 / sqrt(20)          (the corner itself)
#   W = 6, L = 9  →  3 / sqrt(18)          (the two edge cells beside it)
#   W = 4, L = 0  → -4 / sqrt(20)          (the other corners)
#   W = 6, L = 0  → -6 / sqrt(18)          (the other edge cells)
#   W = 9         →  undefined, set to 0   (the centre sees the whole grid)
ONE_HOT_CELL = [[9, 0, 0], [0, 0, 0], [0, 0, 0]]
QUEEN_BY_HAND = [
    [5 / math.sqrt(20), 3 / math.sqrt(18), -4 / math.sqrt(20)],
    [3 / math.sqrt(18), 0.0, -6 / math.sqrt(18)],
    [-4 / math.sqrt(20), -6 / math.sqrt(18), -4 / math.sqrt(20)],
]


def test_the_queen_z_scores_of_one_hot_cell_match_the_hand_computation():
    result = gi_star_grid(ONE_HOT_CELL, fdr=False)
    np.testing.assert_allclose(result.z, QUEEN_BY_HAND, rtol=0, atol=1e-12)
    assert result.z[0, 0] == pytest.approx(1.118034, abs=1e-6)
    assert result.p[0, 0] == pytest.approx(2 * stats.norm.sf(5 / math.sqrt(20)), rel=1e-12)


def test_the_rook_cross_gives_the_corner_three_cells_and_the_centre_five():
    result = gi_star_grid(ONE_HOT_CELL, neighbourhood="rook", fdr=False)
    # Corner: W = 3, L = 9 → 6 / (sqrt(8) sqrt(18 / 8)) = 6 / sqrt(18).
    assert result.z[0, 0] == pytest.approx(6 / math.sqrt(18), abs=1e-12)
    # Centre: W = 5, L = 0 → -5 / (sqrt(8) sqrt(20 / 8)) = -5 / sqrt(20).
    assert result.z[1, 1] == pytest.approx(-5 / math.sqrt(20), abs=1e-12)
    assert result.neighbourhood is Neighbourhood.ROOK


def test_a_cell_whose_window_covers_the_whole_grid_gets_z_zero_and_a_note():
    result = gi_star_grid(ONE_HOT_CELL, fdr=False)
    assert result.z[1, 1] == 0.0
    assert result.p[1, 1] == 1.0
    assert result.classes[1, 1] == 0
    assert [note.code for note in result.notes] == ["whole_window"]
    assert "1 units" in str(result.notes[0])


def test_a_grid_where_every_cell_is_equal_has_all_z_zero_and_says_why():
    result = gi_star_grid(np.full((4, 5), 3.0))
    assert (result.z == 0).all()
    assert not result.significant.any()
    assert result.notes[0].code == "constant"


def test_no_incident_at_all_is_a_constant_grid_not_an_error():
    result = gi_star_grid(np.zeros((10, 10), dtype=int))
    assert (result.z == 0).all()
    assert {note.code for note in result.notes} == {"constant", "sparse_counts"}


def test_edges_count_only_the_neighbours_a_cell_has_without_wrapping():
    counts = np.zeros((5, 5))
    counts[0, 4] = 10  # south-east corner
    result = gi_star_grid(counts, fdr=False)
    # With wrapping the south-west corner would see the hot cell; it must not.
    n, mean = 25, 10 / 25
    s = math.sqrt(100 / 25 - mean**2)
    expected = (0 - mean * 4) / (s * math.sqrt((n * 4 - 16) / (n - 1)))
    assert result.z[0, 0] == pytest.approx(expected, abs=1e-12)


def _brute_force_neighbours(shape, kind, radius):
    rows, cols = shape
    lists = []
    for i in range(rows):
        for j in range(cols):
            near = []
            for a in range(rows):
                for b in range(cols):
                    di, dj = abs(a - i), abs(b - j)
                    inside = max(di, dj) <= radius if kind == "queen" else di + dj <= radius
                    if inside:
                        near.append(a * cols + b)
            lists.append(near)
    return lists


@pytest.mark.parametrize("kind", ["queen", "rook"])
@pytest.mark.parametrize("radius", [1, 2, 3])
def test_larger_windows_equal_explicit_neighbour_lists(kind, radius):
    rng = np.random.default_rng(radius)
    counts = rng.poisson(1.5, (9, 11)).astype(float)
    grid = gi_star_grid(counts, neighbourhood=kind, radius=radius, fdr=False)
    areas = gi_star(counts.ravel(), _brute_force_neighbours(counts.shape, kind, radius), fdr=False)
    np.testing.assert_allclose(grid.z.ravel(), areas.z, rtol=0, atol=1e-12)
    assert grid.radius == radius


def test_cells_outside_the_mask_take_no_part():
    rng = np.random.default_rng(3)
    counts = rng.poisson(2, (6, 7)).astype(float)
    mask = np.ones(counts.shape, dtype=bool)
    mask[:2, :3] = False
    masked = gi_star_grid(counts, mask=mask, fdr=False)
    as_nan = gi_star_grid(np.where(mask, counts, np.nan), fdr=False)
    np.testing.assert_array_equal(masked.z, as_nan.z)
    assert np.isnan(masked.z[~mask]).all()
    assert not masked.significant[~mask].any()
    assert (masked.classes[~mask] == 0).all()
    assert masked.tests == mask.sum()
    # Against the same areas given with explicit lists that leave the masked cells out.
    values = np.where(mask, counts, np.nan).ravel()
    lists = _brute_force_neighbours(counts.shape, "queen", 1)
    areas = gi_star(values, lists, fdr=False)
    np.testing.assert_allclose(masked.z.ravel(), areas.z, rtol=0, atol=1e-12, equal_nan=True)


def test_area_neighbours_as_lists_mapping_or_sparse_matrix_agree():
    values = [10, 8, 1, 0, 1]
    lists = [[1], [0, 2], [1, 3], [2, 4], [3]]
    mapping = {0: [1], 1: [0, 2], 2: [1, 3, 3], 3: [2, 4, 3], 4: [3]}
    matrix = sparse.csr_array(
        (np.full(8, 2.5), ([0, 1, 1, 2, 2, 3, 3, 4], [1, 0, 2, 1, 3, 2, 4, 3])), shape=(5, 5)
    )
    z = [gi_star(values, n, fdr=False).z for n in (lists, mapping, matrix)]
    np.testing.assert_allclose(z[0], z[1], atol=1e-15)
    np.testing.assert_allclose(z[0], z[2], atol=1e-15)
    # By hand for area 0: W = 2, L = 18, mean 4, S = sqrt(166 / 5 - 16) = sqrt(17.2).
    expected = (18 - 8) / (math.sqrt(17.2) * math.sqrt((5 * 2 - 4) / 4))
    assert z[0][0] == pytest.approx(expected, abs=1e-12)


def test_an_isolated_area_is_compared_with_itself_alone():
    result = gi_star([4.0, 1.0, 1.0, 2.0], [[], [2], [1], []], fdr=False)
    x = np.array([4.0, 1.0, 1.0, 2.0])
    assert result.z[0] == pytest.approx((4 - x.mean()) / x.std(), abs=1e-12)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: gi_star_grid([1, 2, 3]), "2-D"),
        (lambda: gi_star_grid([[1, 2], [3, 4]], neighbourhood="bishop"), "queen"),
        (lambda: gi_star_grid([[1, 2], [3, 4]], neighbourhood="custom"), "queen"),
        (lambda: gi_star_grid([[1, 2], [3, 4]], radius=0), "radius"),
        (lambda: gi_star_grid([[1, 2], [3, 4]], radius=1.5), "radius"),
        (lambda: gi_star_grid([[1, 2], [3, 4]], mask=[[1, 0], [1, 1]]), "boolean"),
        (lambda: gi_star_grid([[1, np.nan], [np.nan, np.nan]]), "at least 2"),
        (lambda: gi_star_grid([[1, np.inf], [3, 4]]), "infinite"),
        (lambda: gi_star_grid([[1, 2], [3, 4]], alpha=1.5), "between 0 and 1"),
        (lambda: gi_star([1, 2, 3], [[1], [0]]), "2 units, not 3"),
        (lambda: gi_star([1, 2, 3], [[1], [0], [7]]), "outside 0..2"),
        (lambda: gi_star([1, 2, 3], sparse.eye_array(4)), r"\(4, 4\)"),
        (lambda: gi_star([1, 2, 3], "012"), "sparse matrix"),
    ],
)
def test_it_rejects_bad_input_with_a_clear_message(call, message):
    with pytest.raises(ValueError, match=message):
        call()
