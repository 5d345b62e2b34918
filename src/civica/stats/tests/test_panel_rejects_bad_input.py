"""Bad panels raise an error that says what is wrong and what to change, never a number."""

from __future__ import annotations

import numpy as np
import pytest

from civica.errors import DataQuestionError
from civica.stats.panel import PanelDataError, panel_regression
from civica.stats.tests._panels import simulated_panel


@pytest.fixture
def frame():
    return simulated_panel()


def test_a_missing_month_of_one_unit_is_named(frame):
    with pytest.raises(PanelDataError, match=r"u03 has no row for 5.*never taken as zero"):
        panel_regression(frame.drop(index=3 * 8 + 5))


def test_a_month_missing_from_every_unit_is_a_gap_in_the_calendar(frame):
    dated = frame.assign(period=frame["period"].map(lambda p: np.datetime64("2015-01") + p))
    with pytest.raises(PanelDataError, match=r"months 2015-03 are missing from every unit"):
        panel_regression(dated[dated["period"] != np.datetime64("2015-03")])


def test_a_nan_count_is_not_taken_as_zero(frame):
    frame.loc[10, "count"] = np.nan
    with pytest.raises(PanelDataError, match=r"1 rows have no number in count \(e\.g\. u01 2\)"):
        panel_regression(frame)


def test_negative_or_fractional_counts_are_refused(frame):
    frame["count"] = frame["count"].astype(float)
    frame.loc[0, "count"] = 2.5
    with pytest.raises(PanelDataError, match="non-negative whole numbers"):
        panel_regression(frame)


def test_a_unit_treated_in_every_period_has_no_before(frame):
    frame.loc[frame["unit"] == "u00", "treated"] = 1
    with pytest.raises(PanelDataError, match=r"u00 are treated in every period.*no before"):
        panel_regression(frame)


def test_without_untreated_units_nothing_shows_the_counterfactual(frame):
    frame["treated"] = (frame["period"] >= 4).astype(int)
    with pytest.raises(PanelDataError, match="period effects absorb the treatment"):
        panel_regression(frame)


def test_treated_units_without_events_after_the_start_make_the_ratio_undefined(frame):
    frame.loc[frame["treated"] == 1, "count"] = 0
    with pytest.raises(PanelDataError, match=r"no events after the start.*0 or infinite"):
        panel_regression(frame)


def test_the_error_is_a_question_the_data_cannot_answer(frame):
    with pytest.raises(DataQuestionError):
        panel_regression(frame.assign(treated=0))


def test_units_without_any_event_are_dropped_and_listed(frame):
    frame.loc[frame["unit"] == "u14", "count"] = 0
    result = panel_regression(frame)
    assert result.dropped_units == ("u14",)
    assert result.units == 14
    assert "dropped_units" in {note.code for note in result.notes}


def test_comparison_units_without_events_make_the_ratio_undefined(frame):
    frame.loc[~frame["unit"].isin([f"u{i:02d}" for i in range(5)]), "count"] = 0
    with pytest.raises(PanelDataError, match="never-treated comparison units have no events"):
        panel_regression(frame)


def test_staggered_starts_without_never_treated_units_are_compared_with_later_starters(frame):
    later = ~frame["unit"].isin([f"u{i:02d}" for i in range(5)])
    frame.loc[later & (frame["period"] >= 6), "treated"] = 1
    result = panel_regression(frame)
    assert result.staggered
    assert result.treated_units == 15
