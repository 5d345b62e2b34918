"""Near repeat: 48 tests per table — q-values across the table, the cells expected by
chance, and no test (not p = 1) where no pair falls."""

import numpy as np
import pytest
from statsmodels.stats.multitest import multipletests

from civica.stats import knox

DISTANCE = (0, 1, 200, 400, 600, 800, 1000)
TIME = (0, 7, 14, 21, 28, 35, 42, 49, 56)


def _events(seed=3, n=300):
    """Scattered events over 3 km × 3 km and a year, no two at the same place."""
    rng = np.random.default_rng(seed)
    return rng.uniform(0, 3000, n), rng.uniform(0, 3000, n), rng.integers(0, 365, n)


def test_the_same_location_band_without_pairs_is_not_tested():
    x, y, t = _events()
    result = knox(x, y, t, distance_bands=DISTANCE, time_bands=TIME, permutations=99)
    assert result.observed[0].sum() == 0  # no two events less than a metre apart
    assert not result.tested[0].any() and np.isnan(result.p_values[0]).all()
    # 6 distance bands × 8 time bands = 48 cells, the 8 of the same place without a test.
    assert result.n_tests == 40
    assert result.expected_by_chance(0.05) == pytest.approx(2.0)
    assert result.expected_by_chance(0.10) == pytest.approx(4.0)


def test_q_values_are_benjamini_hochberg_across_the_tested_cells():
    x, y, t = _events()
    result = knox(x, y, t, distance_bands=DISTANCE, time_bands=TIME, permutations=99)
    tested = result.tested
    reject, q, _s, _b = multipletests(result.p_values[tested], alpha=0.05, method="fdr_bh")
    np.testing.assert_allclose(result.q_values[tested], q, rtol=1e-12)
    assert np.isnan(result.q_values[~tested]).all()
    np.testing.assert_array_equal(result.significant(0.05, adjust="bh")[tested], reject)
    frame = result.to_frame()
    np.testing.assert_allclose(frame["q_value"], result.q_values.ravel(), equal_nan=True)


def test_by_hand_one_repeat_pair_among_three_tested_cells():
    # Events 0 and 1 at one place, 2 days apart; event 2 150 m away 20 days later.
    result = knox(
        [0, 0, 150], [0, 0, 0], [0, 2, 22],
        distance_bands=(0, 1, 200), time_bands=(0, 7, 30), permutations=19, seed=0,
    )  # fmt: skip
    # Pairs: (0,1) same place, gap 2; (0,2) 150 m, gap 22; (1,2) 150 m, gap 20.
    assert result.observed.tolist() == [[1, 0], [0, 2]]
    # Permuting 3 times keeps the gaps {2, 20, 22} on the three pairs: every cell can be
    # reached, so all four are tested and 0.05 × 4 = 0.2 cells are expected by chance.
    assert result.tested.all() and result.expected_by_chance() == pytest.approx(0.2)


def test_an_unknown_adjustment_is_refused():
    x, y, t = _events(n=20)
    result = knox(x, y, t, distance_bands=DISTANCE, time_bands=TIME, permutations=19)
    with pytest.raises(ValueError, match="adjust"):
        result.significant(adjust="bonferroni")
