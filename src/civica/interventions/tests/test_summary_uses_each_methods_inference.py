"""The program summary's p-values, Holm adjustment and "significant" come from the inference
whose interval is shown beside them, and each locked design is evaluated by its own method."""

import datetime as dt
import math

import pytest
from scipy import stats

from civica.accounts.access import SYSTEM
from civica.interventions import methods
from civica.interventions.models import InterventionKind, Method
from civica.interventions.services import create_intervention
from civica.interventions.summary import program_summary
from civica.interventions.tests.evaluation_data import (
    CRIME,
    DEFAULT_COUNTS,
    ingest,
    locked_design,
    sector,
)
from civica.territory.models import Municipality

pytestmark = pytest.mark.django_db

# Comparison sectors that move apart: a wide t interval (few df) that includes no change,
# while the normal p-value of the same estimate and standard error is small.
COUNTS = DEFAULT_COUNTS | {
    ("comparison B4", 2014): 80,
    ("comparison B4", 2015): 70,
    ("comparison C1", 2014): 50,
    ("comparison C1", 2015): 55,
    ("A3", 2014): 40,
    ("A3", 2015): 30,
}


@pytest.fixture
def layer(settings, tmp_path):
    from civica.demo import synthetic

    settings.CIVICA_WAREHOUSE_DIR = str(tmp_path / "warehouse")
    synthetic.load()
    ingest(tmp_path, COUNTS)


def test_the_p_value_is_the_t_of_the_interval_not_a_normal_one(layer):
    design = locked_design(comparison=("Sector B2", "Sector B4", "Sector C1"))
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
    design = locked_design(
        comparison=("Sector B2", "Sector B4", "Sector C1"),
        buffer_metres=None,
        method=Method.PANEL,
    )
    (row,) = program_summary(SYSTEM).rows
    assert row.problem == ""
    assert row.figures.method == Method.PANEL and row.figures.measure == "irr"
    panel = methods.evaluate(SYSTEM, design)
    assert row.figures.estimate == pytest.approx(panel.regression.irr)
    assert row.figures.p_value == pytest.approx(panel.regression.p_value)
    assert row.figures.df == panel.regression.df


def test_results_of_different_methods_are_adjusted_together(layer):
    locked_design(comparison=("Sector B2", "Sector B4", "Sector C1"))
    create_intervention(
        actor=SYSTEM,
        target_sectors=[sector("Sector A3")],
        name="Alumbrado",
        kind=InterventionKind.ENVIRONMENTAL_DESIGN,
        municipality=Municipality.objects.get(cvegeo="99001"),
        target_crimes=[CRIME],
        start_date=dt.date(2016, 6, 1),
    )
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
