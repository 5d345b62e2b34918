"""The result says when its interval is shaky: few units, small baselines, selection, staggering."""

from __future__ import annotations

import math

import pytest
from scipy import stats

from civica.stats.panel import FEW_CLUSTERS, panel_regression
from civica.stats.tests._panels import simulated_panel


def test_fewer_than_thirty_units_are_flagged_and_use_student_t():
    result = panel_regression(simulated_panel(units=12))
    assert result.few_clusters
    assert result.clusters == 12 < FEW_CLUSTERS
    # 5 treated and 7 comparison units: the smaller group sets the degrees of freedom.
    assert result.df == 4
    crit = stats.t.ppf(0.975, 4)
    assert result.upper == pytest.approx(result.irr * 2.718281828459045 ** (crit * result.se))
    assert "few_clusters" in {note.code for note in result.notes}


def test_forty_units_are_not_flagged():
    result = panel_regression(simulated_panel(units=40, treated_units=10))
    assert not result.few_clusters
    assert "few_clusters" not in {note.code for note in result.notes}


def test_a_baseline_under_thirty_events_is_flagged():
    frame = simulated_panel(units=40, treated_units=1, start=2)
    result = panel_regression(frame)
    assert result.baseline_events < 30
    assert result.small_counts
    assert "small_counts" in {note.code for note in result.notes}


def test_selection_on_the_baseline_warns_of_regression_to_the_mean():
    result = panel_regression(simulated_panel(), selected_on_baseline=True)
    (note,) = [n for n in result.notes if n.code == "regression_to_mean"]
    assert "regression to the mean" in str(note)


def test_staggered_starts_point_to_the_staggered_estimator():
    frame = simulated_panel(units=30, treated_units=10)
    frame.loc[(frame["unit"] == "u00") & (frame["period"] == 4), "treated"] = 0
    result = panel_regression(frame)
    assert result.staggered
    assert "staggered" in {note.code for note in result.notes}


def test_one_treated_unit_gives_no_upper_bound_instead_of_overflowing():
    # The jackknife that leaves out the only treated unit has nothing to estimate from: the
    # standard error is enormous and the upper bound beyond any float.
    result = panel_regression(simulated_panel(units=40, treated_units=1, start=2))
    assert result.upper == math.inf
    assert result.percent_upper == math.inf
    assert result.lower >= 0
    assert "no_upper_bound" in {note.code for note in result.notes}
