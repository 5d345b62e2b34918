"""The simulation study refuses set-ups it cannot run, and never fills a missing month."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from civica.errors import DataQuestionError
from civica.stats.simulation import monthly_matrix, simulation_study

COUNTS = np.random.default_rng(0).poisson(5, size=(30, 12)).astype(float)


def test_a_planted_increase_is_refused_because_thinning_only_removes_events():
    with pytest.raises(ValueError, match=r"in \(-100, 0\]"):
        simulation_study(COUNTS, effects=(10.0,), target_sectors=5, comparison_sectors=10)


def test_windows_longer_than_the_series_are_refused():
    with pytest.raises(ValueError, match="need 14 months"):
        simulation_study(COUNTS, months=7, target_sectors=5, comparison_sectors=10)


def test_more_sectors_than_the_series_has_are_refused():
    with pytest.raises(ValueError, match="Only 30 sectors"):
        simulation_study(COUNTS, months=6, target_sectors=20, comparison_sectors=20)


def test_an_unknown_design_is_named():
    with pytest.raises(ValueError, match="Unknown designs"):
        simulation_study(COUNTS, designs=("synthetic_control",))


def test_the_study_is_deterministic_given_its_seed():
    kwargs = {"replications": 3, "target_sectors": 5, "comparison_sectors": 10, "months": 6}
    first = simulation_study(COUNTS, seed=4, **kwargs).table()
    again = simulation_study(COUNTS, seed=4, **kwargs).table()
    pd.testing.assert_frame_equal(first, again)
    assert set(first["design"]) >= {"rirr_by_sector", "panel_poisson", "staggered_cs"}


def test_a_sector_missing_a_month_is_an_error_not_a_zero():
    frame = pd.DataFrame(
        {
            "cuadrante": ["A", "A", "B"],
            "crime": ["X", "X", "X"],
            "date": ["2013-01-01", "2013-02-01", "2013-01-01"],
            "count": [1, 2, 3],
        }
    )
    with pytest.raises(DataQuestionError, match="lack some months"):
        monthly_matrix(frame)
    assert monthly_matrix(frame[frame["cuadrante"] == "A"]).tolist() == [[1.0, 2.0]]
