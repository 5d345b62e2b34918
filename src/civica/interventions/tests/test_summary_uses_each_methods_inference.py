"""The program summary's p-values, Holm adjustment and "significant" come from the inference
whose interval is shown beside them, and each locked design is evaluated by its own method."""

import datetime as dt
import math

import pytest
from scipy import stats

from civica.accounts.access import SYSTEM
from civica.interventions import methods
from civica.interventions.models import Method
from civica.interventions.summary import program_summary
from civica.interventions.tests.evaluation_data import (
    PANEL_COMPARISON,
    later_intervention,
    load_panel_layer,
    locked_design,
    locked_panel_design,
)

pytestmark = pytest.mark.django_db


# The panel layer's comparison sectors move apart: a wide t interval (few df) that includes no
# change, while the normal p-value of the same estimate and standard error is small.
@pytest.fixture
def layer(settings, tmp_path):
    load_panel_layer(settings, tmp_path)


def test_the_p_value_is_the_t_of_the_interval_not_a_normal_one(layer):
    design = locked_design(comparison=PANEL_COMPARISON)
    (row,) = program_summary(SYSTEM).rows
    effect = row.evaluation.effect
    assert math.isfinite(effect.df)
    statistic = abs(math.log(effect.rirr)) / effect.se_log
    assert row.figures.p_value == pytest.approx(2 * stats.t.sf(statistic, effect.df))
    assert row.adjusted_p == pytest.approx(row.figures.p_value)  # one result: Holm is itself
    # The interval includes no change, so nothing may be called significant beside it,
    # although the normal p-value of the same estimate is below 5%.
    assert effect.lower < 1 < effect.upper
    assert 2 * stats.norm.sf(statistic) < 0.05
    assert row.figures.p_value >= 0.05 and not row.significant_after_adjustment
    assert "0 of 1 result remains significant" in program_summary(SYSTEM).sentence("en")
    assert design.pk == row.design.pk


def test_a_panel_design_is_summarised_by_the_panel_method(layer):
    design = locked_panel_design()
    (row,) = program_summary(SYSTEM).rows
    assert row.problem == ""
    assert row.figures.method == Method.PANEL and row.figures.measure == "irr"
    panel = methods.evaluate(SYSTEM, design)
    assert row.figures.estimate == pytest.approx(panel.regression.irr)
    assert row.figures.p_value == pytest.approx(panel.regression.p_value)
    assert row.figures.df == panel.regression.df


def test_results_of_different_methods_are_adjusted_together(layer):
    locked_design(comparison=PANEL_COMPARISON)
    later_intervention(start=dt.date(2016, 6, 1), ramp_up_days=0)
    locked_design(
        comparison=("Sector B2", "Sector B4"),
        buffer_metres=None,
        method=Method.PANEL,
        target="Sector A3",
        name="Patrullaje",
    )
    summary = program_summary(SYSTEM)
    assert sorted(r.figures.method for r in summary.rows) == ["before_after", "panel"]
    p = sorted(r.figures.p_value for r in summary.rows)
    holm = sorted(r.adjusted_p for r in summary.rows)
    assert holm[0] == pytest.approx(min(1, 2 * p[0]))
