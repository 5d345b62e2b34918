"""The new-intervention form offers every municipality of the scope (a municipal design needs
no sectors) and target crimes from the known names, a mistyped one refused with the closest."""

import pytest
from django.urls import reverse
from django.utils import translation

from civica.accounts.access import SYSTEM
from civica.accounts.roles import Role
from civica.interventions.forms import InterventionForm
from civica.interventions.layer_checks import known_crimes
from civica.interventions.models import Intervention
from civica.interventions.tests.evaluation_data import CRIME, ingest
from civica.territory.models import Municipality
from civica.testing.personas import make_user

pytestmark = pytest.mark.django_db


def test_a_municipality_without_sectors_is_offered_and_takes_an_intervention(client, territory):
    assert not territory.ensenada.sectors.exists()
    client.force_login(make_user("ana", Role.ANALYST, nationwide=True))
    first = client.get(reverse("interventions:create")).content.decode()
    assert 'value="02001"' in first and "data-searchable" in first
    response = client.post(
        reverse("interventions:create") + "?municipality=02001",
        {
            "municipality": "02001",
            "name": "Control sintético Ensenada",
            "kind": "patrol",
            "target_crimes": "ROBO A NEGOCIO",
            "start_date": "2024-02-01",
            "ramp_up_days": "0",
        },
    )
    assert response.status_code == 302
    assert (
        Intervention.objects.get(name="Control sintético Ensenada").municipality.cvegeo == "02001"
    )


@pytest.fixture
def layer(settings, tmp_path):
    from civica.demo import synthetic

    settings.CIVICA_WAREHOUSE_DIR = str(tmp_path / "warehouse")
    synthetic.load()
    ingest(tmp_path)
    return Municipality.objects.get(sectors__layer="sectores sintéticos", sectors__name="Sector A1")


def test_target_crimes_are_the_known_names_and_a_typo_gets_the_closest(layer):
    known = known_crimes(SYSTEM, layer.cvegeo)
    assert CRIME in known
    fields = {"name": "X", "kind": "patrol", "start_date": "2024-02-01", "ramp_up_days": "0"}
    typo = InterventionForm(
        {**fields, "target_crimes": "ROBO A TRANSEUNTES"}, municipality=layer, known_crimes=known
    )
    with translation.override("en"):
        assert not typo.is_valid()
        message = " ".join(typo.errors["target_crimes"])
    assert "Unknown crime “ROBO A TRANSEUNTES”" in message and CRIME in message
    good = InterventionForm(
        {**fields, "target_crimes": CRIME}, municipality=layer, known_crimes=known
    )
    assert good.is_valid(), good.errors
    html = str(good["target_crimes"])
    assert 'data-datalist="known-crimes"' in html


def test_a_crime_the_intervention_holds_stays_when_the_layer_no_longer_knows_it(layer):
    known = known_crimes(SYSTEM, layer.cvegeo)
    held = Intervention.objects.create(
        municipality=layer,
        name="Antes del cambio de capa",
        kind="patrol",
        target_crimes=["ROBO A TRANSEUNTE (NOMBRE ANTERIOR)"],
        start_date="2024-02-01",
    )
    fields = {"name": "Y", "kind": "patrol", "start_date": "2024-02-01", "ramp_up_days": "0"}
    kept = InterventionForm(
        {**fields, "target_crimes": "ROBO A TRANSEUNTE (NOMBRE ANTERIOR)"},
        instance=held,
        municipality=layer,
        known_crimes=known,
    )
    assert kept.is_valid(), kept.errors
    added = InterventionForm(
        {**fields, "target_crimes": "ROBO A TRANSEUNTE (NOMBRE ANTERIOR)\nROBO A TRANSEUNTES"},
        instance=held,
        municipality=layer,
        known_crimes=known,
    )
    with translation.override("en"):
        assert not added.is_valid()  # a name typed now is still checked
        message = " ".join(added.errors["target_crimes"])
    assert "Unknown crime “ROBO A TRANSEUNTES”" in message and "NOMBRE ANTERIOR" not in message
