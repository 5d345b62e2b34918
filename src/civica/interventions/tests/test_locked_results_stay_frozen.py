"""What a locked result depends on is frozen at lock: a later registration or a later cut of
the data never changes it, and the page shows what was frozen."""

import datetime as dt

import pytest
from django.urls import reverse

from civica.accounts.access import SYSTEM
from civica.interventions import methods
from civica.interventions.models import InterventionKind, Method
from civica.interventions.services import create_intervention
from civica.interventions.tests.evaluation_data import (
    CRIME,
    DEFAULT_COUNTS,
    later_intervention,
    load_panel_layer,
    locked_design,
    locked_panel_design,
    sector,
)
from civica.territory.models import Municipality

pytestmark = pytest.mark.django_db


@pytest.fixture
def layer(settings, tmp_path):
    return load_panel_layer(settings, tmp_path)


def test_a_later_registration_never_changes_a_locked_panel_result(layer):
    design = locked_panel_design()
    before = methods.evaluate(SYSTEM, design)
    assert design.frozen["later_cohorts"] == []
    later_intervention()  # registered after the lock, starting inside the windows
    design.refresh_from_db()
    after = methods.evaluate(SYSTEM, design)
    assert after.cohorts == before.cohorts
    assert after.regression.irr == before.regression.irr
    assert after.regression.p_value == before.regression.p_value


def test_cohorts_registered_before_the_lock_are_frozen_with_it(layer):
    later_intervention()
    design = locked_panel_design()
    assert design.frozen["later_cohorts"] == [["2015-07-01", [sector("Sector A3").pk]]]
    assert dict(methods.evaluate(SYSTEM, design).cohorts)[dt.date(2015, 7, 1)] == ("Sector A3",)


def test_an_intervention_of_another_municipality_never_joins_as_treated(layer):
    create_intervention(
        actor=SYSTEM,
        target_sectors=[sector("Sector C1")],
        name="Otro municipio",
        kind=InterventionKind.PATROL,
        municipality=Municipality.objects.get(cvegeo="99003"),
        target_crimes=[CRIME],
        start_date=dt.date(2015, 6, 1),
    )
    design = locked_design(
        comparison=("Sector B2", "Sector B4"), buffer_metres=None, method=Method.PANEL
    )
    assert design.frozen["later_cohorts"] == []


def test_a_later_cut_of_the_layer_never_changes_a_locked_result(layer):
    design = locked_design()
    first = methods.evaluate(SYSTEM, design)
    assert design.frozen["layer_version"] == first.layer_version
    from civica.incidents import services
    from civica.incidents.tests.conftest import MAPPING
    from civica.interventions.tests.evaluation_data import write_layer

    path = layer / "later.csv"
    write_layer(path, DEFAULT_COUNTS | {("target", 2015): 5})
    services.ingest_incidents(
        path=path,
        layer="sintetico",
        mapping=MAPPING,
        sectors_layer="sectores sintéticos",
        version="2099-01-01",
    )
    again = methods.evaluate(SYSTEM, design)
    assert again.layer_version == first.layer_version
    assert again.target.after == first.target.after == 30


def test_the_page_shows_what_was_frozen(client, personas, layer):
    design = locked_design()
    client.force_login(personas.admin)
    page = client.get(reverse("interventions:design", args=[design.pk]), HTTP_ACCEPT_LANGUAGE="en")
    text = page.content.decode()
    assert "Frozen at lock" in text or "Fijado al bloquear" in text
    assert design.frozen["layer_version"] in text
