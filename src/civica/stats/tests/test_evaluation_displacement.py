"""Weighted displacement quotient (Bowers & Johnson) and difference (Wheeler & Ratcliffe)."""

from __future__ import annotations

import doctest
import math

import pytest
from scipy import stats

import civica.stats.evaluation
from civica.stats import (
    DisplacementInterpretation,
    weighted_displacement_difference,
    weighted_displacement_quotient,
)

Band = DisplacementInterpretation


def test_the_docstring_examples_of_the_evaluation_module_run():
    result = doctest.testmod(civica.stats.evaluation, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0


def test_a_hand_worked_wdq_with_diffusion_of_benefits():
    # Target 100 -> 60, buffer 80 -> 70, control 200 -> 200.
    d = weighted_displacement_quotient(100, 60, 80, 70, 200, 200)
    assert d.success_measure == pytest.approx(60 / 200 - 100 / 200)  # -0.20
    assert d.buffer_displacement_measure == pytest.approx(70 / 200 - 80 / 200)  # -0.05
    assert d.wdq == pytest.approx(0.25)
    assert d.total_net_effect == pytest.approx((100 - 60) + (80 - 70))  # 50 prevented
    assert d.interpretation is Band.DIFFUSION
    assert (d.R_b, d.R_a, d.D_b, d.D_a, d.C_b, d.C_a) == (100, 60, 80, 70, 200, 200)


def test_a_hand_worked_wdq_with_a_control_that_grew():
    # Control 100 -> 120: expected target after 50 * 1.2 = 60, buffer 40 * 1.2 = 48.
    d = weighted_displacement_quotient(50, 30, 40, 54, 100, 120)
    assert d.success_measure == pytest.approx(30 / 120 - 50 / 100)  # -0.25
    assert d.buffer_displacement_measure == pytest.approx(54 / 120 - 40 / 100)  # 0.05
    assert d.wdq == pytest.approx(-0.2)
    assert d.total_net_effect == pytest.approx((60 - 30) + (48 - 54))  # 24
    assert d.interpretation is Band.DISPLACEMENT


@pytest.mark.parametrize(
    ("buffer_after", "band"),
    [
        (40, Band.DIFFUSION_EXCEEDS_DIRECT),  # BDM -0.4, SM -0.3
        (100, Band.NONE),
        (120, Band.DISPLACEMENT),  # BDM 0.2
        (150, Band.DISPLACEMENT_EXCEEDS_DIRECT),  # BDM 0.5
    ],
)
def test_the_interpretation_bands(buffer_after, band):
    assert (
        weighted_displacement_quotient(100, 70, 100, buffer_after, 100, 100).interpretation is band
    )


def test_a_target_that_did_not_improve_has_no_wdq_but_keeps_its_measures():
    d = weighted_displacement_quotient(50, 70, 40, 40, 100, 100)
    assert d.success_measure == pytest.approx(0.2)
    assert math.isnan(d.wdq)
    assert d.interpretation is Band.NO_DIRECT_EFFECT
    assert d.total_net_effect == pytest.approx(-20)


def test_a_zero_success_measure_is_refused():
    with pytest.raises(ValueError, match="success measure is zero"):
        weighted_displacement_quotient(50, 50, 40, 30, 100, 100)


@pytest.mark.parametrize("controls", [(0, 100), (100, 0)])
def test_a_zero_control_count_is_refused(controls):
    with pytest.raises(ValueError, match="control count"):
        weighted_displacement_quotient(50, 30, 40, 30, *controls)


def test_the_wdd_reproduces_the_worked_example_of_wheeler_and_ratcliffe():
    w = weighted_displacement_difference(
        207, 110, 178, 157, control_b=308, control_a=318, buffer_control_b=150, buffer_control_a=140
    )
    assert w.local == (110 - 207) - (318 - 308)  # -107
    assert w.displacement == (157 - 178) - (140 - 150)  # -11
    assert w.wdd == -118
    assert w.se == pytest.approx(math.sqrt(1568))
    assert round(w.z, 2) == -2.98
    assert (round(w.lower), round(w.upper)) == (-196, -40)
    assert w.p_value == pytest.approx(2 * stats.norm.cdf(-118 / math.sqrt(1568)))
    assert w.se_local == pytest.approx(math.sqrt(207 + 110 + 308 + 318))
    assert w.target == (207, 110) and w.buffer_control == (150, 140)


def test_a_hand_worked_wdd_without_controls():
    w = weighted_displacement_difference(100, 70, 50, 60, level=0.90)
    assert w.wdd == (70 - 100) + (60 - 50)  # -20
    assert w.se == pytest.approx(math.sqrt(280))
    assert w.z == pytest.approx(-20 / math.sqrt(280))
    assert w.upper == pytest.approx(-20 + stats.norm.ppf(0.95) * math.sqrt(280))
    assert w.target_control is None and w.buffer_control is None


def test_crime_displaced_into_the_buffer_makes_the_wdd_less_negative():
    none = weighted_displacement_difference(100, 70, 50, 50)
    displaced = weighted_displacement_difference(100, 70, 50, 65)
    assert none.wdd == -30
    assert displaced.wdd == -15


def test_a_control_given_for_only_one_window_is_refused():
    with pytest.raises(ValueError, match="both the before and the after"):
        weighted_displacement_difference(100, 70, 50, 60, control_b=80)


def test_all_zero_counts_have_no_test():
    with pytest.raises(ValueError, match="no variance"):
        weighted_displacement_difference(0, 0, 0, 0)
