"""With two periods the Poisson fixed-effects IRR is the RIRR of the summed counts."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from civica.stats.evaluation import rirr
from civica.stats.panel import panel_regression


def _frame(before_after: dict[str, tuple[int, int]], treated: set[str]) -> pd.DataFrame:
    rows = []
    for unit, (before, after) in before_after.items():
        rows.append((unit, 0, before, 0))
        rows.append((unit, 1, after, int(unit in treated)))
    return pd.DataFrame(rows, columns=["unit", "period", "count", "treated"])


def test_one_target_and_one_comparison_give_the_rirr_and_its_wald_interval():
    frame = _frame({"T": (100, 80), "C": (200, 190)}, {"T"})
    result = panel_regression(frame, cov="model")
    # (80 / 100) / (190 / 200) = 0.8421...; var(log) = 1/80 + 1/100 + 1/190 + 1/200.
    assert result.irr == pytest.approx(0.8 / 0.95, rel=1e-10)
    assert result.se == pytest.approx(math.sqrt(1 / 80 + 1 / 100 + 1 / 190 + 1 / 200), rel=1e-8)
    by_hand = rirr(80, 100, 190, 200)
    assert (result.lower, result.upper) == pytest.approx((by_hand.lower, by_hand.upper), rel=1e-8)
    assert result.percent_change == pytest.approx(-15.789, abs=1e-3)


def test_several_units_give_the_ratio_of_the_summed_counts():
    counts = {"T1": (40, 30), "T2": (60, 41), "C1": (50, 52), "C2": (90, 80), "C3": (20, 25)}
    result = panel_regression(_frame(counts, {"T1", "T2"}))
    target = (30 + 41) / (40 + 60)
    comparison = (52 + 80 + 25) / (50 + 90 + 20)
    assert result.irr == pytest.approx(target / comparison, rel=1e-10)
    assert result.treated_units == 2
    assert result.baseline_events == 100
    assert result.treated_events == 71
