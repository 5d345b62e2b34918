"""The API: cases of the user's juzgados without personal fields, intake through the same
guards, the catalogue of faltas for every signed-in user."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from civica.justice.models import Case
from civica.justice.tests.factories import at, cdmx_world, open_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(territory, shared_data):
    return cdmx_world(territory, shared_data)


def test_cases_are_listed_by_scope_without_personal_fields(world, personas):
    juzgado, _other, judge, _staff = world
    case = open_case(judge, juzgado)
    api = APIClient()
    api.force_authenticate(judge)
    rows = api.get("/api/justice/cases/").json()["results"]
    assert [r["folio"] for r in rows] == [case.folio]
    assert rows[0]["person"] == case.person.pid and "Juan" not in str(rows)
    api.force_authenticate(personas.judge_tijuana)
    assert api.get("/api/justice/cases/").json()["results"] == []
    assert api.get(f"/api/justice/cases/{case.pk}/").status_code == 404
    api.force_authenticate(personas.analyst_cuauhtemoc)
    assert api.get("/api/justice/cases/").status_code == 403


def test_intake_by_api_runs_the_guards(world):
    juzgado, _other, _judge, staff = world
    api = APIClient()
    api.force_authenticate(staff)
    body = {
        "juzgado": juzgado.pk,
        "given_names": "Rosa",
        "family_names": "Díaz",
        "detained_at": at(1).isoformat(),
        "presented_at": at(2).isoformat(),
        "offences": ["LCC-28-V"],
    }
    refused = api.post("/api/justice/cases/", body, format="json")
    assert refused.status_code == 400
    assert "presented_at" in refused.json()
    body["presented_at"] = at(0.5).isoformat()
    created = api.post("/api/justice/cases/", body, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["offences"] == ["LCC-28-V"]
    assert Case.objects.count() == 1


def test_the_catalogue_is_readable_by_every_signed_in_user(world, personas):
    api = APIClient()
    api.force_authenticate(personas.donor)
    rows = api.get("/api/justice/offences/?municipality=09015").json()
    rows = rows["results"] if isinstance(rows, dict) else rows
    assert rows
    assert {r["municipality"] for r in rows} == {"09015"}
