"""The admin lists persons by pseudonymous id only and audits each view of a person."""

import pytest
from django.urls import reverse

from civica.audit.models import AuditEvent
from civica.participants.tests.factories import register

pytestmark = pytest.mark.django_db


def test_the_admin_shows_no_personal_field_and_audits_the_view(client, personas, territory):
    person = register(personas, territory, phone="5587654321")
    client.force_login(personas.admin)
    listing = client.get(reverse("admin:participants_person_changelist")).content.decode()
    assert person.pid in listing and "María" not in listing
    page = client.get(reverse("admin:participants_person_change", args=[person.pk]))
    assert page.status_code == 200 and "5587654321" not in page.content.decode()
    assert AuditEvent.objects.filter(object_label=person.pid, action="view").exists()


def test_an_invalid_instrument_definition_is_refused_in_the_admin(client, personas):
    client.force_login(personas.admin)
    response = client.post(
        reverse("admin:participants_instrument_add"),
        {"code": "x", "version": 1, "name": "X", "definition": '{"scales": []}'},
    )
    assert response.status_code == 200
    assert "El instrumento no tiene escalas." in response.content.decode()
