"""The staggered estimator refuses what it cannot answer, with what to change."""

from __future__ import annotations

import pytest

from civica.stats.panel import PanelDataError
from civica.stats.staggered import staggered_att
from civica.stats.tests._panels import simulated_panel


@pytest.fixture
def frame():
    frame = simulated_panel(units=20, treated_units=8, start=4)
    # a second group starting later
    frame.loc[frame["unit"].isin(["u00", "u01", "u02"]) & (frame["period"] < 6), "treated"] = 0
    return frame


def test_without_never_treated_units_it_points_to_not_yet_treated(frame):
    frame.loc[frame["period"] == 7, "treated"] = 1
    with pytest.raises(PanelDataError, match=r'no never-treated comparison.*control="not_yet"'):
        staggered_att(frame)
    result = staggered_att(frame, control="not_yet")
    assert result.never_treated_units == 0
    assert {e.event_time for e in result.event_study} >= {0, 1}


def test_units_treated_from_the_first_period_have_no_before(frame):
    frame.loc[frame["unit"] == "u05", "treated"] = 1
    with pytest.raises(PanelDataError, match="u05 are treated from the first period"):
        staggered_att(frame)


def test_a_treatment_that_switches_off_is_refused(frame):
    frame.loc[(frame["unit"] == "u05") & (frame["period"] == 6), "treated"] = 0
    with pytest.raises(PanelDataError, match="u05 stop being treated"):
        staggered_att(frame)


def test_a_missing_month_is_refused(frame):
    with pytest.raises(PanelDataError, match="lack some periods"):
        staggered_att(frame.iloc[1:])


def test_treated_units_without_events_before_the_start_make_the_percent_undefined(frame):
    frame.loc[
        (frame["treated"] == 0) & frame["unit"].isin([f"u{i:02d}" for i in range(8)]), "count"
    ] = 0
    with pytest.raises(PanelDataError, match="no events before their start"):
        staggered_att(frame)


def test_groups_and_flags_are_reported(frame):
    result = staggered_att(frame, selected_on_baseline=True)
    assert result.groups == ((4, 5), (6, 3))
    assert result.few_clusters
    assert {"few_clusters", "regression_to_mean"} <= {note.code for note in result.notes}
