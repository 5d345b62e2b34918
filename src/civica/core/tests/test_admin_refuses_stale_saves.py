"""An admin change form saved after someone else changed the record is refused, naming the
fields, instead of writing the old values back (issue 12, item 4)."""

import datetime as dt

import pytest
from django.urls import reverse

from civica.core.admin_guard import LOADED_STATE
from civica.interventions.models import Intervention
from civica.interventions.tests.factories import make_intervention
from civica.participants.models import Enrollment
from civica.participants.tests.factories import consent, enrolled, register

pytestmark = pytest.mark.django_db


def _drawn(client, url):
    """What a browser sends back from the change page as it was drawn, unchanged."""
    form = client.get(url).context["adminform"].form
    data = {"_save": "Guardar"}
    for name in form.fields:
        value = form[name].value()
        if isinstance(value, list):
            data[name] = [str(v) for v in value]
        else:
            data[name] = "" if value is None else str(value)
    assert data[LOADED_STATE]
    return data


def test_an_old_admin_form_does_not_reopen_a_case_closed_meanwhile(client, personas, territory):
    person = register(personas, territory)
    consent(person)
    enrollment = enrolled(personas, person)
    client.force_login(personas.admin)
    url = reverse("admin:participants_enrollment_change", args=[enrollment.pk])
    stale = _drawn(client, url)

    Enrollment.objects.filter(pk=enrollment.pk).update(
        exit_date=dt.date(2023, 6, 30), closure_reason="completed"
    )
    response = client.post(url, stale)

    assert response.status_code == 200
    errors = " ".join(response.context["adminform"].form.non_field_errors())
    assert "Alguien guardó este registro después de que usted lo abrió" in errors
    assert "Egreso" in errors and "Motivo de cierre" in errors
    enrollment.refresh_from_db()
    assert enrollment.exit_date == dt.date(2023, 6, 30)


def test_an_admin_form_saved_with_nothing_changed_meanwhile_is_saved(client, personas, territory):
    intervention = make_intervention(territory)
    client.force_login(personas.admin)
    url = reverse("admin:interventions_intervention_change", args=[intervention.pk])
    data = _drawn(client, url)
    data["name"] = "Patrullaje renombrado"

    assert client.post(url, data).status_code == 302
    assert Intervention.objects.get(pk=intervention.pk).name == "Patrullaje renombrado"


def test_an_old_admin_form_does_not_undo_an_intervention_edited_meanwhile(
    client, personas, territory
):
    intervention = make_intervention(territory)
    client.force_login(personas.admin)
    url = reverse("admin:interventions_intervention_change", args=[intervention.pk])
    stale = _drawn(client, url)
    Intervention.objects.filter(pk=intervention.pk).update(ramp_up_days=45)

    response = client.post(url, stale)

    assert response.status_code == 200
    assert Intervention.objects.get(pk=intervention.pk).ramp_up_days == 45
