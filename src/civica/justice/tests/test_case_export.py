"""The case list export: audited, in scope, pseudonymous, no personal fields, no formulas;
a file only to a role that may export."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from civica.accounts.roles import Capability, Role
from civica.audit.models import Action, AuditEvent
from civica.justice import exports
from civica.justice.tests.factories import cdmx_world, offence, open_case
from civica.testing.personas import make_user

pytestmark = pytest.mark.django_db


def parse(chunks) -> list[dict]:
    return list(csv.DictReader(io.StringIO("".join(chunks))))


def test_the_rows_are_the_users_scope_pseudonymous_and_safe(territory, shared_data):
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
    got = parse(exports.case_rows_csv(staff, open_only=True))
    assert [r["folio"] for r in got] == ["'=CASO+1"]  # text, never a formula
    assert got[0]["person"] == mine.person.pid
    assert got[0]["faltas"] == "LCC-28-V"
    assert got[0]["waits_for"] == "Certificado médico"
    text = str(got)
    assert "HYPERLINK" not in text and "Pérez" not in text and "Relato" not in text
    assert theirs.folio not in text


def test_the_download_is_audited_and_only_for_roles_that_may_export(client, territory, shared_data):
    juzgado, _other, judge, staff = cdmx_world(territory, shared_data)
    old = open_case(judge, juzgado, hours_ago=24 * 40)
    new = open_case(judge, juzgado, hours_ago=2, person={"given_names": "Ana", "family_names": "B"})
    # The juzgado's staff read the board but take no file; analysts and M&E officers (who
    # hold the global export capability) see civic justice in aggregates only.
    analyst = make_user("analista_j", Role.ANALYST, municipalities=[territory.cuauhtemoc])
    officer = make_user("me_j", Role.ME_OFFICER, municipalities=[territory.cuauhtemoc])
    for user in (staff, analyst, officer):
        client.force_login(user)
        assert client.get(reverse("justice:cases-export")).status_code == 404
    client.force_login(staff)
    assert (
        reverse("justice:cases-export") not in client.get(reverse("justice:board")).content.decode()
    )
    assert not AuditEvent.objects.filter(action=Action.EXPORT).exists()

    # The civic judge downloads the case list of their juzgados, without the global export
    # capability (which would open every other export).
    assert not judge.can(Capability.EXPORT)
    client.force_login(judge)
    assert reverse("justice:cases-export") in client.get(reverse("justice:board")).content.decode()
    day = timezone.localtime(new.presented_at).date().isoformat()
    response = client.get(reverse("justice:cases-export"), {"from": day, "to": day, "open": "1"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    got = parse(c.decode() for c in response.streaming_content)
    assert [r["folio"] for r in got] == [new.folio]
    event = AuditEvent.objects.filter(actor=judge, action=Action.EXPORT).get()
    assert event.object_type == "justice.Case"
    assert event.detail["open_only"] is True and event.detail["from"] == day
    assert client.get(reverse("monitoring:people-export")).status_code in (403, 404)

    admin = make_user("admin_j", Role.ADMINISTRATOR)
    client.force_login(admin)
    got = parse(c.decode() for c in client.get(reverse("justice:cases-export")).streaming_content)
    assert {r["folio"] for r in got} == {old.folio, new.folio}
