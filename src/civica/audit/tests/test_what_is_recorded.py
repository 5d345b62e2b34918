"""Log-ins, failed log-ins, admin changes and views of personal data are recorded."""

import pytest
from django.urls import reverse

from civica.audit.models import Action, AuditEvent
from civica.testing.personas import PASSWORD

pytestmark = pytest.mark.django_db


def test_it_records_a_login_with_the_address(client, personas):
    client.post(reverse("accounts:login"), {"username": "ana", "password": PASSWORD})
    event = AuditEvent.objects.get(action=Action.LOGIN)
    assert event.actor_username == "ana"
    assert event.ip_address == "127.0.0.1"
    assert event.path == reverse("accounts:login")


def test_it_records_a_failed_login_without_the_password(client, personas):
    client.post(reverse("accounts:login"), {"username": "ana", "password": "wrong-guess-1"})
    event = AuditEvent.objects.get(action=Action.LOGIN_FAILED)
    assert event.detail == {"username": "ana"}
    assert "wrong-guess-1" not in str(event.detail)


def test_it_records_an_admin_viewing_a_user_as_personal_data(client, personas):
    client.force_login(personas.admin)
    url = reverse("admin:accounts_user_change", args=[personas.analyst_tijuana.pk])
    assert client.get(url).status_code == 200
    event = AuditEvent.objects.get(action=Action.VIEW)
    assert event.personal_data
    assert event.object_label == "tomas"


def test_it_records_changes_made_in_django_admin(client, personas, territory):
    client.force_login(personas.admin)
    url = reverse("admin:territory_state_change", args=[territory.bc.pk])
    response = client.post(
        url,
        {
            "code": "02",
            "name": "Baja California (BC)",
            "abbreviation": "BC",
            "geometry": "",
            "area_km2": "",
        },
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action=Action.UPDATE)
    assert event.object_type == "territory.State"
    assert "name" in event.detail["fields"]


def test_only_administrators_read_the_audit_log(client, personas):
    client.force_login(personas.state_analyst_cdmx)
    assert client.get(reverse("audit:events")).status_code == 403
    client.force_login(personas.admin)
    response = client.get(reverse("audit:events"))
    assert response.status_code == 200
    assert "Bitácora" in response.content.decode() or "Audit log" in response.content.decode()


def test_the_audit_export_is_itself_audited(client, personas):
    client.post(reverse("accounts:login"), {"username": "ana", "password": "nope-nope-1"})
    client.force_login(personas.admin)
    response = client.get(reverse("audit:export"), {"action": "login_failed"})
    rows = b"".join(response.streaming_content).decode().splitlines()
    assert rows[0].startswith("at,actor_username,action")
    assert len(rows) == 2 and ",login_failed," in rows[1]
    assert AuditEvent.objects.filter(action=Action.EXPORT, actor=personas.admin).count() == 1
