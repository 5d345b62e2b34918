"""Stage updates by API: the page's service and legal guards, a version check answering 409,
no personal field in the answers."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from civica.accounts.roles import Role
from civica.justice.tests.factories import at, cdmx_world, offence, open_case
from civica.testing.personas import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(territory, shared_data):
    return cdmx_world(territory, shared_data)


def url(case, stage):
    return f"/api/justice/cases/{case.pk}/stages/{stage}/"


def test_a_stage_is_recorded_and_a_stale_version_is_a_conflict(world, territory):
    juzgado, _other, judge, _staff = world
    case = open_case(judge, juzgado, narrative="Relato privado", offences=[])
    api = APIClient()
    api.force_authenticate(judge)
    done = api.patch(
        url(case, "medical"),
        {"version": case.version, "medical_at": at(2).isoformat(), "fit": True},
        format="json",
    )
    assert done.status_code == 200, done.content
    body = done.json()
    assert body["medical_at"] and body["stage"] == "screening"
    assert body["version"] == case.version + 1
    assert "Relato" not in str(body) and "Juan" not in str(body)
    case.refresh_from_db()
    assert case.physician == judge and case.fit is True

    # Someone else saved since: 409, the fields named, nothing written.
    stale = api.post(
        url(case, "medical"),
        {"version": body["version"] - 1, "intoxication": "alcohol"},
        format="json",
    )
    assert stale.status_code == 409
    assert stale.json()["version"] == body["version"]
    case.refresh_from_db()
    assert case.intoxication == ""

    # Faltas by code on the resolution, the guards as on the page.
    falta = offence(territory, "LCC-28-V")
    hearing = api.patch(
        url(case, "hearing"),
        {
            "version": body["version"],
            "hearing_started_at": at(1.5).isoformat(),
            "hearing_ended_at": at(1.2).isoformat(),
        },
        format="json",
    )
    assert hearing.status_code == 200, hearing.content
    version = hearing.json()["version"]
    refused = api.patch(
        url(case, "resolution"),
        {
            "version": version,
            "resolved_at": at(1).isoformat(),
            "responsible": True,
            "sanction": "arresto",
            "arrest_hours": 40,
            "offences": [falta.code],
        },
        format="json",
    )
    assert refused.status_code == 400
    assert "36" in str(refused.json())
    case.refresh_from_db()
    assert case.resolved_at is None and case.version == version


def test_roles_scope_and_unknown_fields(world, territory, personas):
    juzgado, _other, judge, staff = world
    case = open_case(judge, juzgado)
    api = APIClient()
    api.force_authenticate(staff)  # staff does not record the resolution
    answer = api.patch(
        url(case, "resolution"), {"version": case.version, "sanction": "multa"}, format="json"
    )
    assert answer.status_code == 403
    api.force_authenticate(judge)
    answer = api.patch(
        url(case, "medical"), {"version": case.version, "given_names": "X"}, format="json"
    )
    assert answer.status_code == 400 and "given_names" in str(answer.json())
    assert api.patch(url(case, "medical"), {"fit": True}, format="json").status_code == 400
    assert api.patch(url(case, "nothing"), {"version": 1}, format="json").status_code == 404
    # The router's format suffix answers like the plain URL.
    suffixed = f"/api/justice/cases/{case.pk}/stages/medical.json"
    assert api.post(suffixed, {}, format="json").status_code == 400
    api.force_authenticate(personas.judge_tijuana)
    answer = api.patch(url(case, "medical"), {"version": case.version}, format="json")
    assert answer.status_code == 404
    analyst = make_user("ana_api", Role.MUNICIPAL_ANALYST, municipalities=[territory.cuauhtemoc])
    api.force_authenticate(analyst)
    assert api.patch(url(case, "medical"), {"version": 1}, format="json").status_code == 403
