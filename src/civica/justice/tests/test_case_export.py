"""The case list export: audited, in scope, pseudonymous, no personal fields, no formulas."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from civica.accounts.roles import Role
from civica.audit.models import Action, AuditEvent
from civica.justice.tests.factories import cdmx_world, offence, open_case
from civica.testing.personas import make_user

pytestmark = pytest.mark.django_db


def rows(response) -> list[dict]:
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


def test_the_case_list_export_is_audited_scoped_and_pseudonymous(client, territory, shared_data):
    juzgado, other, judge, staff = cdmx_world(territory, shared_data)
    mine = open_case(
        judge,
        juzgado,
        person={"given_names": "=HYPERLINK(1)", "family_names": "Pérez", "curp": ""},
        offences=[offence(territory, "LCC-28-V")],
        narrative="Relato privado",
        folio="=CASO+1",
    )
    tijuana_judge = make_user("juez_tij", Role.CIVIC_JUDGE, municipalities=[territory.tijuana])
    theirs = open_case(tijuana_judge, other)

    client.force_login(staff)
    response = client.get(reverse("justice:cases-export"), {"open": "1"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    got = rows(response)
    assert [r["folio"] for r in got] == ["'=CASO+1"]  # text, never a formula
    assert got[0]["person"] == mine.person.pid
    assert got[0]["faltas"] == "LCC-28-V"
    assert got[0]["waits_for"] == "Certificado médico"
    text = str(got)
    assert "HYPERLINK" not in text and "Pérez" not in text and "Relato" not in text
    assert theirs.folio not in text
    event = AuditEvent.objects.filter(actor=staff, action=Action.EXPORT).get()
    assert event.object_type == "justice.Case"
    assert event.detail["juzgados"] == [juzgado.pk] and event.detail["open_only"] is True

    # Other roles: no case list at all.
    analyst = make_user("ana_j", Role.MUNICIPAL_ANALYST, municipalities=[territory.cuauhtemoc])
    client.force_login(analyst)
    assert client.get(reverse("justice:cases-export")).status_code in (403, 404)


def test_the_export_filters_by_presentation_dates(client, territory, shared_data):
    juzgado, _other, judge, _staff = cdmx_world(territory, shared_data)
    old = open_case(judge, juzgado, hours_ago=24 * 40)
    new = open_case(judge, juzgado, hours_ago=2, person={"given_names": "Ana", "family_names": "B"})
    client.force_login(judge)
    day = timezone.localtime(new.presented_at).date().isoformat()
    got = rows(client.get(reverse("justice:cases-export"), {"from": day, "to": day}))
    assert [r["folio"] for r in got] == [new.folio]
    got = rows(client.get(reverse("justice:cases-export")))
    assert {r["folio"] for r in got} == {old.folio, new.folio}
