"""The registry, design and result pages: scope, capabilities, locking, conflicts."""

import datetime as dt

import pytest
from django.urls import reverse

from civica.accounts.access import SYSTEM
from civica.audit.models import AuditEvent
from civica.interventions.models import EvaluationDesign, Intervention
from civica.interventions.tests.factories import (
    design_fields,
    make_comparison_sector,
    make_design,
    make_intervention,
)
from civica.testing.forms import submitted

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def intervention(territory):
    return make_intervention(territory)


def test_the_list_shows_interventions_of_the_scope_only(client, personas, intervention):
    page = login(client, personas.analyst_cuauhtemoc).get(reverse("interventions:list"))
    assert intervention.name in page.content.decode()
    page = login(client, personas.analyst_tijuana).get(reverse("interventions:list"))
    assert intervention.name not in page.content.decode()


def test_out_of_scope_detail_is_missing_not_forbidden(client, personas, intervention):
    url = reverse("interventions:detail", args=[intervention.pk])
    assert login(client, personas.analyst_tijuana).get(url).status_code == 404
    assert login(client, personas.analyst_cuauhtemoc).get(url).status_code == 200


def test_a_donor_sees_no_registry(client, personas, intervention):
    assert login(client, personas.donor).get(reverse("interventions:list")).status_code == 403


def test_creating_an_intervention_in_two_steps(client, personas, territory):
    client = login(client, personas.analyst_cuauhtemoc)
    first = client.get(reverse("interventions:create"))
    assert territory.cuauhtemoc.name in first.content.decode()
    assert territory.tijuana.name not in first.content.decode()
    sector = territory.sectors["09015"]
    response = client.post(
        reverse("interventions:create") + "?municipality=09015",
        {
            "municipality": "09015",
            "name": "Patrullaje de proximidad",
            "kind": "patrol",
            "target_sectors": [sector.pk],
            "target_crimes": "ROBO A TRANSEUNTE\nROBO A NEGOCIO\n",
            "start_date": "2024-02-01",
            "ramp_up_days": "30",
        },
    )
    created = Intervention.objects.get(name="Patrullaje de proximidad")
    assert response.status_code == 302
    assert created.target_crimes == ["ROBO A TRANSEUNTE", "ROBO A NEGOCIO"]
    assert list(created.target_sectors.all()) == [sector]
    assert AuditEvent.objects.filter(object_id=str(created.pk), action="create").exists()


def test_a_form_error_names_the_field(client, personas, territory):
    client = login(client, personas.analyst_cuauhtemoc)
    response = client.post(
        reverse("interventions:create") + "?municipality=09015",
        {
            "municipality": "09015",
            "name": "X",
            "kind": "patrol",
            "target_crimes": "",
            "start_date": "2024-02-01",
            "ramp_up_days": "-3",
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "target_crimes" in form.errors
    assert not Intervention.objects.filter(name="X").exists()


def test_a_stale_edit_is_refused_with_the_differences(client, personas, intervention):
    client = login(client, personas.analyst_cuauhtemoc)
    url = reverse("interventions:edit", args=[intervention.pk])
    loaded = client.get(url).context["form"].initial["loaded_version"]
    # Someone else saves first.
    other = Intervention.objects.get(pk=intervention.pk)
    other.description = "Cambiado por otra persona"
    other.save()
    response = client.post(
        url,
        {
            "loaded_version": loaded,
            "name": "Nombre nuevo",
            "kind": intervention.kind,
            "target_sectors": [s.pk for s in intervention.target_sectors.all()],
            "target_crimes": "ROBO A TRANSEUNTE",
            "start_date": "2023-09-15",
            "ramp_up_days": "60",
            "description": "Mi versión",
        },
    )
    assert response.status_code == 200
    differences = {(theirs, yours) for _label, theirs, yours in response.context["conflict"]}
    assert ("Cambiado por otra persona", "Mi versión") in differences
    stored = Intervention.objects.get(pk=intervention.pk)
    assert stored.name == intervention.name
    assert stored.description == "Cambiado por otra persona"


def test_an_unchanged_edit_writes_and_audits_nothing(client, personas, intervention):
    """The edit form posted back as it was rendered keeps the version and logs no update;
    a real change still saves and is audited."""
    client = login(client, personas.analyst_cuauhtemoc)
    url = reverse("interventions:edit", args=[intervention.pk])
    data = submitted(client.get(url).content.decode())
    version = Intervention.objects.get(pk=intervention.pk).updated_at
    response = client.post(url, data)
    assert response.status_code == 302
    assert Intervention.objects.get(pk=intervention.pk).updated_at == version
    updates = AuditEvent.objects.filter(object_id=str(intervention.pk), action="update")
    assert not updates.exists()
    client.post(url, data | {"description": "Cambio real"})
    assert Intervention.objects.get(pk=intervention.pk).description == "Cambio real"
    assert updates.count() == 1


def test_the_start_cannot_move_under_a_locked_design(territory, personas, intervention):
    from django.core.exceptions import ValidationError

    from civica.interventions.services import lock_design

    lock_design(design=make_design(intervention), actor=SYSTEM)
    intervention.start_date = dt.date(2023, 10, 1)
    with pytest.raises(ValidationError) as info:
        intervention.full_clean()
    assert [e.code for e in info.value.error_dict["start_date"]] == ["locked_by_design"]


def test_a_design_is_created_then_locked_before_results(client, personas, territory, intervention):
    comparison = make_comparison_sector(territory)
    client = login(client, personas.analyst_cuauhtemoc)
    fields = design_fields()
    data = {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in fields.items()}
    data["comparison_sectors"] = [comparison.pk]
    create = reverse("interventions:design-create", args=[intervention.pk])
    # The layer choice lists the layers in the warehouse; none exist here, so the draft is a
    # synthetic control on SESNSP statistics instead.
    data |= {
        "source": "sesnsp",
        "method": "synthetic_control",
        "donor_pool": "state",
        "incident_layer": "",
        "buffer_metres": "",
    }
    data.pop("comparison_sectors")
    response = client.post(create, data)
    design = EvaluationDesign.objects.get(intervention=intervention)
    assert response.status_code == 302
    page = client.get(reverse("interventions:design", args=[design.pk]))
    assert "evaluation" not in page.context
    client.post(reverse("interventions:design", args=[design.pk]))
    design.refresh_from_db()
    assert design.is_locked
    from civica.jobs.testing import run_queued_jobs

    client.get(reverse("interventions:design", args=[design.pk]))  # starts the job
    run_queued_jobs()
    page = client.get(reverse("interventions:design", args=[design.pk]))
    assert "civica ingest sesnsp" in page.context["error"]
