"""A panel design: sectors by month, the intervention's targets treated from full strength,
another intervention's sectors as a later cohort, comparison sectors never treated."""

import datetime as dt

import pytest

from civica.accounts.access import SYSTEM
from civica.interventions.methods.panel import evaluate_panel
from civica.interventions.tests.evaluation_data import (
    later_intervention,
    load_panel_layer,
    locked_panel_design,
)
from civica.stats import panel_regression, staggered_att

pytestmark = pytest.mark.django_db


@pytest.fixture
def evaluation(settings, tmp_path):
    load_panel_layer(settings, tmp_path)
    later_intervention()  # a later start on the same crime: a second cohort
    return evaluate_panel(SYSTEM, locked_panel_design())


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
