"""A 2×2 case worked by hand: the effect, its influence-function SE and the percent change."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from scipy import stats

from civica.stats.staggered import staggered_att

# Two treated units start in period 1; three never-treated units.
COUNTS = {"T1": (10, 6), "T2": (14, 8), "C1": (8, 9), "C2": (12, 11), "C3": (6, 7)}


def _frame():
    rows = []
    for name, (before, after) in COUNTS.items():
        rows += [(name, 0, before, 0), (name, 1, after, int(name.startswith("T")))]
    return pd.DataFrame(rows, columns=["unit", "period", "count", "treated"])


@pytest.fixture
def result():
    return staggered_att(_frame(), small_sample=False)


def test_the_effect_is_the_difference_of_mean_changes(result):
    # Treated changes -4 and -6 (mean -5); comparison +1, -1, +1 (mean 1/3).
    assert result.att == pytest.approx(-5 - 1 / 3)
    (cell,) = result.group_time
    assert (cell.group, cell.period, cell.event_time) == (1, 1, 0)
    assert (cell.treated_units, cell.comparison_units) == (2, 3)


def test_the_standard_error_is_the_two_sample_one_with_n_denominators(result):
    # sum of squared deviations / n_g**2: treated (1 + 1) / 4, comparison (4/9 + 16/9 + 4/9) / 9.
    expected = math.sqrt(2 / 4 + (24 / 9) / 9)
    assert result.se == pytest.approx(expected)
    z = 1.959963984540054
    assert (result.lower, result.upper) == pytest.approx(
        (result.att - z * expected, result.att + z * expected)
    )


def test_the_percent_is_against_the_counterfactual_mean_of_the_treated(result):
    # Observed after: (6 + 8) / 2 = 7; counterfactual 7 - (-16/3) = 37/3.
    assert result.observed_mean == pytest.approx(7)
    assert result.counterfactual_mean == pytest.approx(37 / 3)
    assert result.percent_change == pytest.approx((7 / (37 / 3) - 1) * 100)
    assert result.percent_lower < result.percent_change < result.percent_upper
    assert result.percent_lower > -100


def test_by_default_each_group_variance_uses_n_minus_one_and_the_interval_student_t():
    result = staggered_att(_frame())
    # treated (1 + 1) / (2 * 1), comparison (24/9) / (3 * 2); t with min(2, 3) - 1 = 1 df.
    expected = math.sqrt(2 / 2 + (24 / 9) / 6)
    assert result.se == pytest.approx(expected)
    assert result.upper == pytest.approx(result.att + stats.t.ppf(0.975, 1) * expected)
