"""Placebo-in-space p-value on a panel where every fit is known by hand.

Each unit is ``100 + 10 e_i`` before the start, with ``e_i`` distinct mean-zero ±1 rows of
a 16 × 16 Hadamard matrix (orthogonal, squared norm 16). A unit fitted on ``m`` others
misses by ``10 (e_i − Σ w_j e_j)``, whose mean square is ``100 (1 + Σ w_j²)``: smallest with
equal weights ``1/m``, so pre-RMSPE = ``10 √(1 + 1/m)``. After the start each unit is
``100 + δ_i`` in both months, so its gap is ``δ_i − mean of the others' δ``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.linalg import hadamard

from civica.stats.synthetic_control import placebo_in_space

DONORS = ["a", "b", "c", "d"]
SHIFTS = {"a": 0.0, "b": 5.0, "c": -10.0, "d": 20.0}


def _panel(treated_shift: float) -> pd.DataFrame:
    patterns = hadamard(16)[1:6]  # rows 1… are mean zero; row 0 is all ones
    rows = {}
    for pattern, label in zip(patterns, ["city", *DONORS], strict=True):
        shift = treated_shift if label == "city" else SHIFTS[label]
        rows[label] = [*(100 + 10 * pattern), 100 + shift, 100 + shift]
    return pd.DataFrame(rows, index=pd.period_range("2023-01", periods=18, freq="M")).T


def test_the_fits_and_ratios_are_the_hand_computed_ones():
    result = placebo_in_space(_panel(30.0), "city", "2024-05")
    assert result.fit.pre_rmspe == pytest.approx(10 * np.sqrt(1 + 1 / 4))
    assert dict(result.fit.weights) == pytest.approx(dict.fromkeys(DONORS, 0.25))
    assert result.fit.effect == pytest.approx(2 * (30 - 3.75))
    assert result.placebos == tuple(DONORS)
    np.testing.assert_allclose(result.placebo_pre_rmspe, 10 * np.sqrt(1 + 1 / 3))
    gaps = {"a": 0 - 5, "b": 5 - 10 / 3, "c": -10 - 25 / 3, "d": 20 + 5 / 3}
    np.testing.assert_allclose(result.placebo_post_rmspe, [abs(gaps[k]) for k in DONORS])
    np.testing.assert_allclose(result.placebo_gaps[:, 16], [gaps[k] for k in DONORS])
    assert result.placebo_gaps.shape == (4, 18)


def test_a_treated_ratio_above_every_placebo_has_the_smallest_p_value():
    result = placebo_in_space(_panel(30.0), "city", "2024-05")
    # 26.25 / 11.18 = 2.35 beats 21.67 / 11.55 = 1.88, the largest placebo.
    assert result.treated_ratio == pytest.approx(26.25 / (10 * np.sqrt(1.25)))
    assert result.rank == 1 and result.n_included == 4
    assert result.p_value == pytest.approx(1 / 5)
    assert [note.code for note in result.notes] == ["coarse_p_value"]


def test_placebos_with_larger_ratios_raise_the_rank():
    # Gap 20 − 3.75 = 16.25, ratio 1.45: placebos c (1.59) and d (1.88) are larger.
    result = placebo_in_space(_panel(20.0), "city", "2024-05")
    assert result.rank == 3
    assert result.p_value == pytest.approx(3 / 5)


def test_placebos_that_fit_worse_than_the_cut_are_left_out():
    # Placebo pre-MSPE 133.3 against the treated 125: 1.067 times worse.
    kept = placebo_in_space(_panel(20.0), "city", "2024-05", exclude_above=1.1)
    assert kept.excluded == () and kept.n_included == 4
    dropped = placebo_in_space(_panel(20.0), "city", "2024-05", exclude_above=1.05)
    assert dropped.excluded == tuple(DONORS) and dropped.n_included == 0
    assert not dropped.included.any()
    assert dropped.p_value == 1.0
    assert "placebos_excluded" in [note.code for note in dropped.notes]


def test_the_gap_table_has_the_treated_unit_first_and_the_kept_placebos():
    result = placebo_in_space(_panel(30.0), "city", "2024-05")
    table = result.gaps_frame()
    assert list(table.columns) == ["city", *DONORS]
    assert table.shape == (18, 5)
    assert table["city"].iloc[16] == pytest.approx(26.25)
    assert table["d"].iloc[17] == pytest.approx(20 + 5 / 3)
    dropped = placebo_in_space(_panel(20.0), "city", "2024-05", exclude_above=1.05)
    assert list(dropped.gaps_frame().columns) == ["city"]
    assert dropped.gaps_frame(included_only=False).shape == (18, 5)


def test_a_donor_that_never_varies_is_skipped_as_placebo_but_kept_as_donor():
    table = _panel(30.0)
    table.loc["flat"] = 100.0
    result = placebo_in_space(table, "city", "2024-05")
    assert result.skipped_constant == ("flat",)
    assert result.placebos == tuple(DONORS)
    assert "flat" in result.fit.donors


def test_it_refuses_an_exclusion_factor_below_one():
    with pytest.raises(ValueError, match="at least 1"):
        placebo_in_space(_panel(30.0), "city", "2024-05", exclude_above=0.5)
