import pytest
from django.core.exceptions import ValidationError

from civica.audit.models import Action, AuditEvent
from civica.monitoring.models import Coverage, Indicator
from civica.monitoring.tests.factories import make_activity


def test_an_administrator_adds_coverage_in_admin_and_it_is_audited(client, personas):
    activity = make_activity()
    client.force_login(personas.admin)
    form = {
        "activity": activity.pk,
        "municipality": personas.analyst_tijuana.municipalities.get().pk,
        "start_date": "2021-01-01",
        "end_date": "2024-09-30",
        "support_type": "direct",
        "components": '["civic_justice"]',
        "synthetic": "",
    }
    response = client.post("/admin/monitoring/coverage/add/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert AuditEvent.objects.filter(
        action=Action.CREATE, object_type="monitoring.Coverage", actor=personas.admin
    ).exists()
    form["end_date"] = "2025-01-31"
    form["start_date"] = "2022-01-01"
    response = client.post("/admin/monitoring/coverage/add/", form)
    assert response.status_code == 200
    assert "debe quedar dentro del periodo de la actividad" in response.content.decode()
    assert Coverage.objects.count() == 1


def test_an_indicator_edited_by_hand_must_name_a_registered_computation(db):
    indicator = Indicator(
        code="X",
        name_es="x",
        name_en="x",
        definition_es="x",
        definition_en="x",
        unit="u",
        direction="increase",
        data_source="s",
        computation="municipalities_covered",
        parameters={"component": "civic_justice"},
    )
    indicator.full_clean()
    indicator.parameters = {"component": "astrology"}
    with pytest.raises(ValidationError, match="astrology"):
        indicator.full_clean()
    indicator.computation = "unknown"
    with pytest.raises(ValidationError, match="unknown"):
        indicator.full_clean()
