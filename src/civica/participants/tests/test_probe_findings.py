"""Findings of the endpoint × role × scope probe (issue 12, item 11) for persons."""

import pytest
from rest_framework.test import APIClient

from civica.audit.models import AuditEvent
from civica.participants.tests.factories import register

pytestmark = pytest.mark.django_db


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_a_person_as_json_by_format_suffix_is_the_same_answer_not_a_500(personas, territory):
    person = register(personas, territory)
    client = api(personas.worker_a)
    answer = client.get(f"/api/persons/{person.pid}.json")
    assert answer.status_code == 200
    assert answer.json()["pid"] == person.pid
    assert client.get(f"/api/persons/{person.pid}/").json() == answer.json()


def test_a_curp_probe_through_the_edit_form_is_audited_and_names_nobody(
    personas, territory, client
):
    theirs = register(
        personas,
        territory,
        actor=personas.worker_b,
        organization=personas.org_b,
        curp="LOHM080520MDFPRR09",
    )
    mine = register(
        personas, territory, given_names="Eva", family_names="Sol", birth_date="2001-01-01"
    )
    client.force_login(personas.worker_a)
    before = AuditEvent.objects.filter(object_label="duplicate CURP outside scope").count()
    page = client.get(f"/participants/{mine.pid}/edit/")
    assert page.status_code == 200, page.status_code
    form = page.context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data |= {"curp": "LOHM080520MDFPRR09", "municipality": territory.cuauhtemoc.pk}
    data = {k: (v.pk if hasattr(v, "pk") else v) for k, v in data.items()}
    answer = client.post(f"/participants/{mine.pid}/edit/", data)
    assert answer.status_code == 200
    assert theirs.pid not in answer.content.decode()
    after = AuditEvent.objects.filter(object_label="duplicate CURP outside scope").count()
    assert after == before + 1


def test_the_person_form_lists_only_sectors_in_scope(personas, territory, client):
    client.force_login(personas.worker_a)
    page = client.get("/participants/new/")
    assert page.status_code == 200
    sectors = list(page.context["form"].fields["sector"].queryset)
    assert sectors and {s.municipality_id for s in sectors} <= {territory.cuauhtemoc.pk}


def test_donors_see_no_sector_records(territory, personas, client):
    sector = territory.sectors["09015"]
    api_client = api(personas.donor)
    assert api_client.get("/api/sectors/").json()["results"] == []
    assert api_client.get(f"/api/sectors/{sector.pk}/").status_code == 404
    client.force_login(personas.donor)
    assert client.get(f"/territory/sectors/{sector.pk}/").status_code == 404
    page = client.get(f"/territory/municipalities/{territory.cuauhtemoc.cvegeo}/")
    assert sector.name not in page.content.decode()
    assert api(personas.analyst_tijuana).get("/api/sectors/").json()["results"]
