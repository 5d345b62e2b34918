"""Significance is FDR-corrected by default and classes follow ArcGIS's Gi_Bin."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from civica.stats.hotspots import gi_star_grid
from civica.stats.multiple_testing import benjamini_hochberg


@pytest.fixture(scope="module")
def counts() -> np.ndarray:
    values = np.random.default_rng(8).poisson(2.0, (40, 40)).astype(float)
    values[5:8, 5:8] += 6  # a hot spot
    values[30:36, 30:36] = 0  # a cold one
    return values


def test_the_false_discovery_rate_is_controlled_by_default(counts):
    result = gi_star_grid(counts)
    assert result.correction == "benjamini_hochberg"
    assert result.alpha == 0.05
    np.testing.assert_array_equal(result.q, benjamini_hochberg(result.p).q)
    np.testing.assert_array_equal(result.significant, result.q <= 0.05)


def test_confidence_bins_count_the_levels_the_adjusted_p_value_meets(counts):
    result = gi_star_grid(counts)
    levels = (result.q <= 0.10).astype(int) + (result.q <= 0.05) + (result.q <= 0.01)
    np.testing.assert_array_equal(result.classes, np.sign(result.z) * levels)
    assert result.classes.dtype == np.int8
    assert set(np.unique(result.classes)) <= {-3, -2, -1, 0, 1, 2, 3}
    assert result.classes[6, 6] == 3
    assert (result.classes[31:35, 31:35] < 0).all()


def test_without_correction_the_bins_are_the_usual_z_thresholds(counts):
    result = gi_star_grid(counts, fdr=False)
    assert result.q is None
    assert result.correction == "none"
    z = np.abs(result.z)
    thresholds = [stats.norm.isf(a / 2) for a in (0.10, 0.05, 0.01)]  # 1.645, 1.960, 2.576
    expected = sum((z >= t).astype(int) for t in thresholds) * np.sign(result.z)
    np.testing.assert_array_equal(result.classes, expected)


def test_the_correction_makes_fewer_cells_significant(counts):
    assert (
        gi_star_grid(counts).significant.sum() < gi_star_grid(counts, fdr=False).significant.sum()
    )


def test_hot_and_cold_split_the_significant_cells_by_sign(counts):
    result = gi_star_grid(counts)
    np.testing.assert_array_equal(result.hot | result.cold, result.significant)
    assert not (result.hot & result.cold).any()
    assert (result.z[result.hot] > 0).all()


def test_alpha_sets_the_significant_mask(counts):
    strict = gi_star_grid(counts, alpha=0.01)
    np.testing.assert_array_equal(strict.significant, strict.q <= 0.01)
    assert strict.alpha == 0.01


def test_the_table_has_one_row_per_cell_in_flat_order(counts):
    frame = gi_star_grid(counts).to_frame()
    assert list(frame.columns) == ["z", "p", "q", "significant", "gi_bin"]
    assert len(frame) == counts.size
    assert frame.loc[6 * 40 + 6, "gi_bin"] == 3
