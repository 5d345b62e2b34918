"""The concentration curve, Gini coefficients and top shares of incidents over places."""

from __future__ import annotations

import numpy as np
import pytest

from civica.stats.concentration import concentration


def _gini_by_pairs(x) -> float:
    x = np.asarray(x, dtype=float)
    n = x.size
    return float(np.abs(x[:, None] - x[None, :]).sum() / (2 * n * n * x.mean()))


def test_all_incidents_in_one_of_four_units():
    result = concentration([0, 0, 0, 10])
    # Σ|xi − xj| = 2·3·10 = 60; 2·n²·mean = 2·16·2.5 = 80 → 0.75; × 4/3 → 1.
    assert result.gini_raw == pytest.approx(0.75)
    assert result.gini == pytest.approx(1.0)
    assert result.share_top(0.25) == 1.0
    assert result.unit_share.tolist() == [0, 0.25, 0.5, 0.75, 1.0]
    assert result.incident_share.tolist() == [0, 1.0, 1.0, 1.0, 1.0]


def test_equal_counts_have_no_concentration():
    result = concentration([5, 5, 5, 5, 5])
    assert result.gini == 0.0
    assert result.gini_raw == 0.0
    assert result.share_top(0.4) == pytest.approx(0.4)
    np.testing.assert_allclose(result.incident_share, result.unit_share)


def test_the_sorted_formula_equals_the_mean_absolute_difference():
    counts = np.random.default_rng(4).negative_binomial(1, 0.2, 300)
    result = concentration(counts)
    assert result.gini_raw == pytest.approx(_gini_by_pairs(counts), rel=1e-12)
    assert result.gini == pytest.approx(_gini_by_pairs(counts) * 300 / 299, rel=1e-12)


def test_the_examples_of_the_lorenzgini_package():
    # Steenbeek's lorenzgini documentation: 20 crimes in 10 units, then 8 in 10.
    many = concentration([10, 8, 2] + [0] * 7)
    assert many.gini_raw == pytest.approx(0.78)
    assert many.gini_generalized == pytest.approx(0.78)
    sparse = concentration([5, 2, 1] + [0] * 7)
    assert sparse.gini_raw == pytest.approx(0.80)
    assert sparse.gini_generalized == pytest.approx(0.75)
    assert concentration([10] + [0] * 9).gini_raw == pytest.approx(0.9)
    assert concentration([10] + [0] * 9).gini == pytest.approx(1.0)


def test_one_incident_in_each_of_a_few_units_is_maximal_equality_when_sparse():
    result = concentration([1] * 5 + [0] * 95)
    assert result.gini_raw == pytest.approx(0.95)
    assert result.gini_generalized == pytest.approx(0.0, abs=1e-12)
    assert [note.code for note in result.notes] == ["sparse_counts"]
    message = str(result.notes[0])
    assert "sparse counts inflate concentration" in message
    assert "Bernasco" in message


def test_dense_counts_have_no_note():
    assert concentration([3, 1, 2, 5]).notes == ()


def test_share_top_interpolates_between_whole_units():
    result = concentration([6, 3, 1, 0])
    assert result.share_top(0.25) == pytest.approx(0.6)
    assert result.share_top(0.125) == pytest.approx(0.3)  # half of the busiest unit
    assert result.share_top(0.5) == pytest.approx(0.9)
    assert result.share_top(0.0) == 0.0
    assert result.share_top(1.0) == 1.0


def test_ties_do_not_move_the_answer_whatever_their_order():
    a = concentration([4, 4, 4, 1, 0, 0])
    b = concentration([0, 4, 0, 1, 4, 4])
    for fraction in np.linspace(0, 1, 23):
        assert a.share_top(fraction) == b.share_top(fraction)
    np.testing.assert_array_equal(a.incident_share, b.incident_share)


def test_units_for_share_is_the_inverse_of_share_top():
    result = concentration(np.random.default_rng(9).poisson(0.8, 1_000) ** 2)
    for share in (0.25, 0.5, 0.75):
        fraction = result.units_for_share(share)
        assert result.share_top(fraction) == pytest.approx(share)
    assert concentration([6, 3, 1, 0]).units_for_share(0.6) == pytest.approx(0.25)


def test_missing_units_are_left_out_and_any_shape_is_accepted():
    grid = np.array([[np.nan, 2.0], [0.0, 6.0]])
    result = concentration(grid)
    assert result.units == 3
    assert result.incidents == 8
    assert result.counts.tolist() == [6.0, 2.0, 0.0]


def test_no_incidents_at_all_gives_undefined_summaries():
    result = concentration([0, 0, 0])
    assert np.isnan(result.gini)
    assert np.isnan(result.share_top(0.5))
    assert np.isnan(result.units_for_share(0.5))


@pytest.mark.parametrize("counts", [[], [np.nan], [1, -1], [1, np.inf]])
def test_it_rejects_empty_or_impossible_counts(counts):
    with pytest.raises(ValueError):
        concentration(counts)


def test_fractions_outside_zero_to_one_are_refused():
    with pytest.raises(ValueError, match="between 0 and 1"):
        concentration([1, 2]).share_top(5)
