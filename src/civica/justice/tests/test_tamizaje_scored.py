"""The tamizaje scored with the juzgado's instrument: its items on the form, its own scoring,
the risk level from the score; by hand only when the juzgado links no instrument."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from civica.audit.models import AuditEvent
from civica.justice import screening, services
from civica.justice.tests.factories import at, cdmx_world, open_case
from civica.participants.models import Instrument

pytestmark = pytest.mark.django_db

DEFINITION = {
    "scales": [
        {"code": "A", "label": "Escala A", "items": ["a1", "a2"], "scoring": "sum", "threshold": 5},
        {"code": "B", "label": "Escala B", "items": ["b1"], "scoring": "sum", "threshold": 3},
        {"code": "C", "label": "Escala C", "items": ["c1"], "scoring": "sum", "threshold": 3},
    ],
    "eligibility": {"min_scales": 2},
    "answers": {"min": 0, "max": 4},
}


@pytest.fixture
def world(territory, shared_data):
    juzgado, _other, judge, _staff = cdmx_world(territory, shared_data)
    instrument = Instrument.objects.create(
        code="tamiz", version=1, name="Tamizaje de prueba", definition=DEFINITION
    )
    return juzgado, judge, instrument


def fmt(value) -> str:
    from django.utils import timezone

    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")


def test_risk_level_follows_the_instruments_scoring(world):
    _juzgado, _judge, instrument = world
    # By hand: A = 2+1 = 3 (< 5), B = 4 (≥ 3), C = 0 → one scale at or above → medium.
    got = screening.scored(instrument, {"a1": 2, "a2": 1, "b1": 4, "c1": 0})
    assert got["screening_scores"]["scores"] == {"A": 3.0, "B": 4.0, "C": 0.0}
    assert got["risk_level"] == "medium"
    assert screening.scored(instrument, {"a1": 4, "a2": 1, "b1": 3, "c1": 0})["risk_level"] == (
        "high"
    )
    assert screening.scored(instrument, {"a1": 0, "a2": 0, "b1": 0, "c1": 0})["risk_level"] == (
        "low"
    )


def test_the_tamizaje_form_asks_the_items_and_scores_them(client, world):
    juzgado, judge, instrument = world
    client.force_login(judge)
    url = reverse("justice:juzgado-members", args=[juzgado.pk])
    assert client.post(url, {"tamizaje-instrument": instrument.pk}).status_code == 302
    juzgado.refresh_from_db()
    assert juzgado.instrument == instrument
    assert AuditEvent.objects.filter(actor=judge, detail__instrument=instrument.pk).exists()

    case = open_case(judge, juzgado)
    page = client.get(reverse("justice:case", args=[case.pk])).content.decode()
    assert 'name="screening-item_a1"' in page and 'name="screening-risk_level"' not in page
    payload = {
        "screening-version": case.version,
        "screening-screened_at": fmt(at(2)),
        "screening-screening_consent": "on",
        "screening-item_a1": "4",
        "screening-item_a2": "2",
        "screening-item_b1": "3",
        "screening-item_c1": "1",
    }
    answer = client.post(reverse("justice:stage", args=[case.pk, "screening"]), payload)
    assert answer.status_code == 302, answer.content.decode()[-2000:]
    case.refresh_from_db()
    assert case.instrument == instrument and case.risk_level == "high"
    assert case.screening_scores["at_or_above"] == ["A", "B"]

    # Out of range: refused with the item named, nothing written.
    again = open_case(judge, juzgado, person={"given_names": "Otra", "family_names": "Persona"})
    bad = payload | {"screening-version": again.version, "screening-item_c1": "9"}
    answer = client.post(reverse("justice:stage", args=[again.pk, "screening"]), bad)
    assert answer.status_code == 200
    again.refresh_from_db()
    assert again.screened_at is None


def test_a_hand_entered_level_is_refused_when_the_juzgado_has_an_instrument(world):
    juzgado, judge, instrument = world
    case = open_case(judge, juzgado)
    changes = {"screened_at": at(2), "risk_level": "low"}
    juzgado.instrument = instrument
    juzgado.save()
    with pytest.raises(ValidationError) as refused:
        services.record_stage(
            actor=judge, case=case, stage="screening", version=case.version, changes=changes
        )
    assert "Tamizaje de prueba" in " ".join(refused.value.messages)
    api = APIClient()
    api.force_authenticate(judge)
    url = f"/api/justice/cases/{case.pk}/stages/screening/"
    answer = api.patch(
        url,
        {"version": case.version, "screened_at": at(2).isoformat(), "item_a1": 0, "item_a2": 0}
        | {"item_b1": 3, "item_c1": 0},
        format="json",
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["risk_level"] == "medium"
