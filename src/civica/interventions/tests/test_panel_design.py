"""A panel design: sectors by month, the intervention's targets treated from full strength,
another intervention's sectors as a later cohort, comparison sectors never treated."""

import datetime as dt

import pytest

from civica.accounts.access import SYSTEM
from civica.interventions.methods.panel import evaluate_panel
from civica.interventions.models import InterventionKind, Method
from civica.interventions.services import create_intervention
from civica.interventions.tests.evaluation_data import (
    CRIME,
    DEFAULT_COUNTS,
    ingest,
    locked_design,
    sector,
)
from civica.stats import panel_regression, staggered_att
from civica.territory.models import Municipality

pytestmark = pytest.mark.django_db

COUNTS = DEFAULT_COUNTS | {
    ("comparison B4", 2014): 80,
    ("comparison B4", 2015): 70,
    ("comparison C1", 2014): 50,
    ("comparison C1", 2015): 55,
    ("A3", 2014): 40,
    ("A3", 2015): 30,
}


@pytest.fixture
def evaluation(settings, tmp_path):
    from civica.demo import synthetic

    settings.CIVICA_WAREHOUSE_DIR = str(tmp_path / "warehouse")
    synthetic.load()
    ingest(tmp_path, COUNTS)
    create_intervention(  # a later start on the same crime: a second cohort
        actor=SYSTEM,
        target_sectors=[sector("Sector A3")],
        name="Alumbrado",
        kind=InterventionKind.ENVIRONMENTAL_DESIGN,
        municipality=Municipality.objects.get(cvegeo="99001"),
        target_crimes=[CRIME],
        start_date=dt.date(2015, 6, 20),
        ramp_up_days=5,
    )
    design = locked_design(
        comparison=("Sector B2", "Sector B4", "Sector C1"),
        buffer_metres=None,
        method=Method.PANEL,
    )
    return evaluate_panel(SYSTEM, design)


def test_the_panel_holds_every_sector_in_every_month(evaluation):
    frame = evaluation.frame
    assert len(frame) == 5 * 24
    yearly = frame.assign(year=[m.year for m in frame["period"]]).groupby(["unit", "year"])
    totals = yearly["count"].sum().to_dict()
    assert totals[("Sector A1", 2014)] == 60 and totals[("Sector A1", 2015)] == 30
    assert totals[("Sector B4", 2015)] == 70
    assert totals[("Sector A3", 2014)] == 40


def test_cohorts_start_at_the_first_whole_month_at_full_strength(evaluation):
    assert evaluation.cohorts == (
        (dt.date(2015, 1, 1), ("Sector A1",)),
        (dt.date(2015, 7, 1), ("Sector A3",)),  # full strength 25 June → July
    )
    treated = evaluation.frame.groupby("unit")["treated"].sum().to_dict()
    assert treated == {
        "Sector A1": 12,
        "Sector A3": 6,
        "Sector B2": 0,
        "Sector B4": 0,
        "Sector C1": 0,
    }


def test_both_estimators_read_the_same_panel(evaluation):
    regression = panel_regression(evaluation.frame, family="negbin")
    assert evaluation.regression.irr == pytest.approx(regression.irr)
    assert evaluation.regression.percent_lower == pytest.approx(regression.percent_lower)
    assert evaluation.regression.irr < 1
    # The staggered estimate against each group's whole before window, not one month.
    staggered = staggered_att(evaluation.frame, baseline="pre_mean")
    assert evaluation.staggered.baseline == "pre_mean"
    assert evaluation.staggered.percent_change == pytest.approx(staggered.percent_change)
    assert len(evaluation.staggered.groups) == 2


def test_the_page_words_the_panel_notes_in_the_readers_language(evaluation, client, personas):
    from django.urls import reverse

    client.force_login(personas.admin)
    page = client.get(reverse("interventions:design", args=[evaluation.design.pk]))
    codes = [n.code for n in evaluation.regression.notes]
    assert "few_clusters" in codes  # five sectors
    spanish = page.context["panel_notes"][codes.index("few_clusters")]
    assert spanish.startswith("Solo 5 sectores")
    assert spanish in page.content.decode()
