"""A stage of a case saved without touching it changes nothing: no new version, nothing
audited as changed, every field as it was, in Spanish and in English. The case is one a
case-book import would write: times to the second, a fine with cents, a worker's declared
wage, coordinates, a narrative over several lines, two faltas."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from civica.audit.models import Action, AuditEvent
from civica.justice import services
from civica.justice.forms import STAGE_FORMS
from civica.justice.models import Case
from civica.justice.tests.factories import PERSON, at, cdmx_world, offence
from civica.testing.forms import changed, stored, submitted

pytestmark = pytest.mark.django_db

SECONDS = dt.timedelta(seconds=37)


@pytest.fixture
def world(territory, shared_data):
    return cdmx_world(territory, shared_data)


def _resolved_case(judge, juzgado, territory) -> Case:
    faltas = [offence(territory, "LCC-27-III"), offence(territory, "LCC-28-V")]
    case = services.open_case(
        actor=judge,
        juzgado=juzgado,
        person=dict(PERSON),
        presented_at=at(6) + SECONDS,
        offences=faltas,
        detained_at=at(6.5) + SECONDS,
        event_at=at(7) + SECONDS,
        iph_folio="IPH-2026-0042",
        officer="Oficial Ramírez",
        police_unit="P-1234",
        detection="flagrancia",
        latitude=Decimal("19.432608"),
        longitude=Decimal("-99.133209"),
        place_description="Esquina de Madero y Bolívar",
        narrative="Ingería bebidas en la vía pública.\nSe le invitó a retirarse.\n\nSe negó.",
        rnd_folio="RND-2026-0042",
    )
    stages = [
        ("medical", {"medical_at": at(5.5) + SECONDS, "intoxication": "alcohol", "fit": True}),
        ("screening", {"screened_at": at(5) + SECONDS, "risk_level": "medium"}),
        (
            "hearing",
            {
                "hearing_started_at": at(4) + SECONDS,
                "hearing_ended_at": at(3.5) + SECONDS,
                "defender_name": "Lic. Ana Torres",
            },
        ),
        (
            "resolution",
            {
                "resolved_at": at(3) + SECONDS,
                "responsible": True,
                "sanction": "multa",
                "fine_amount": Decimal("11.50"),
                "fine_unit": "UC",
                "unit_value": Decimal("113.14"),
                "occupation": "worker",
                "declared_daily_wage": Decimal("1400.75"),
            },
        ),
        ("closure", {"closed_at": at(2) + SECONDS, "closure": "complied"}),
    ]
    for stage, changes in stages:
        case = services.record_stage(
            actor=judge, case=case, stage=stage, version=case.version, changes=changes
        )
    return Case.objects.get(pk=case.pk)


@pytest.mark.parametrize("language", ["es-mx", "en"])
def test_every_stage_saved_untouched_changes_nothing(client, world, territory, language):
    juzgado, _other, judge, _staff = world
    case = _resolved_case(judge, juzgado, territory)
    before = stored(case)
    assert before["detained_at"].second == 37 and before["fine_amount"] == Decimal("11.50")
    client.force_login(judge)
    page_url = reverse("justice:case", args=[case.pk])
    for stage in STAGE_FORMS:
        page = client.get(page_url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
        action = reverse("justice:stage", args=[case.pk, stage])
        audited = AuditEvent.objects.filter(action=Action.UPDATE).count()
        response = client.post(action, submitted(page, action), HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 302, (stage, response.content.decode()[-3000:])
        assert changed(before, stored(case)) == {}, stage
        assert AuditEvent.objects.filter(action=Action.UPDATE).count() == audited, stage


def test_a_time_changed_on_the_form_is_stored_as_typed(client, world, territory):
    juzgado, _other, judge, _staff = world
    case = _resolved_case(judge, juzgado, territory)
    client.force_login(judge)
    action = reverse("justice:stage", args=[case.pk, "hearing"])
    data = submitted(client.get(reverse("justice:case", args=[case.pk])).content.decode(), action)
    typed = timezone.localtime(case.hearing_ended_at + dt.timedelta(minutes=5))
    data["hearing-hearing_ended_at"] = [typed.strftime("%Y-%m-%dT%H:%M")]
    assert client.post(action, data).status_code == 302
    stored = Case.objects.get(pk=case.pk)
    assert stored.hearing_ended_at == typed.replace(second=0, microsecond=0)
    assert stored.hearing_started_at == case.hearing_started_at  # untouched: its seconds kept
    assert stored.version == case.version + 1
