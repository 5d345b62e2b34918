"""The whole pre-period as the base of Callaway–Sant'Anna's differences, and a power warning."""

from __future__ import annotations

import pandas as pd
import pytest

from civica.stats.staggered import staggered_att
from civica.stats.tests._panels import simulated_panel


def _frame(series: dict[str, list[int]], start: dict[str, int]) -> pd.DataFrame:
    rows = [
        (u, t, c, int(u in start and t >= start[u]))
        for u, counts in series.items()
        for t, c in enumerate(counts)
    ]
    return pd.DataFrame(rows, columns=["unit", "period", "count", "treated"])


def test_the_base_is_the_mean_of_the_pre_period_by_hand():
    frame = _frame({"A": [10, 12, 6], "B": [8, 9, 9], "C": [12, 11, 12]}, {"A": 2})
    # A: 6 − (10 + 12)/2 = −5; B: 9 − 8.5 = 0.5; C: 12 − 11.5 = 0.5 → ATT = −5.5.
    assert staggered_att(frame, baseline="pre_mean").att == pytest.approx(-5.5)
    # The period just before the start: A 6 − 12 = −6; B 0; C 1 → −6.5.
    assert staggered_att(frame).att == pytest.approx(-6.5)


def test_a_long_pre_period_narrows_the_interval():
    # Twelve months before the start: one base month's noise enters every difference with
    # the last-period base. Averaged over panels (one draw can go either way), the whole
    # pre-period roughly halves the interval and raises the power.
    ratios, powers = [], []
    for seed in range(8):
        frame = simulated_panel(units=40, treated_units=10, periods=24, start=12, seed=seed)
        last = staggered_att(frame)
        whole = staggered_att(frame, baseline="pre_mean")
        assert whole.baseline == "pre_mean"
        ratios.append((whole.upper - whole.lower) / (last.upper - last.lower))
        powers.append(whole.power - last.power)
    assert sum(ratios) / len(ratios) < 0.7
    assert sum(powers) / len(powers) > 0.2


def test_low_power_is_said_with_the_detectable_change():
    frame = simulated_panel(units=8, treated_units=2, periods=6, start=3, seed=5)
    result = staggered_att(frame, baseline="pre_mean")
    assert result.power < 0.8
    (note,) = [n for n in result.notes if n.code == "low_power"]
    assert "25% fall" in note.message


def test_an_unknown_baseline_is_refused():
    with pytest.raises(ValueError, match="pre_mean"):
        staggered_att(simulated_panel(), baseline="first")
