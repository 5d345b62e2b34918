"""Saving a form without touching it changes nothing and audits nothing as changed."""

import datetime as dt

import pytest
from django.urls import reverse

from civica.audit.models import Action, AuditEvent
from civica.participants.models import Person
from civica.participants.services import save_versioned
from civica.participants.tests.factories import consent, enrolled, register
from civica.testing.forms import submitted

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["es-mx", "en"])
def test_an_unchanged_person_form_keeps_the_birth_date_and_audits_no_change(
    client, personas, territory, language
):
    person = register(personas, territory, birth_date="2009-08-31", phone="5512345678")
    client.force_login(personas.worker_a)
    url = reverse("participants:edit", args=[person.pid])
    page = client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert 'value="2009-08-31"' in page
    data = submitted(page)
    before = AuditEvent.objects.filter(action=Action.UPDATE).count()
    response = client.post(url, data, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 302, response.content.decode()[:2000]
    stored = Person.objects.get(pk=person.pk)
    assert stored.birth_date == "2009-08-31" and stored.phone == "5512345678"
    assert stored.version == person.version
    assert AuditEvent.objects.filter(action=Action.UPDATE).count() == before


def test_a_versioned_save_audits_only_the_fields_that_changed(personas, territory):
    person = register(personas, territory, birth_date="2009-08-31", phone="5512345678")
    save_versioned(
        actor=personas.worker_a,
        obj=person,
        version=person.version,
        changes={
            "given_names": person.given_names,
            "birth_date": "2009-08-31",
            "municipality": territory.cuauhtemoc,
            "phone": "5599999999",
        },
    )
    event = AuditEvent.objects.filter(action=Action.UPDATE).latest("id")
    assert event.detail["fields"] == ["phone"]
    assert Person.objects.get(pk=person.pk).birth_date == "2009-08-31"


def test_an_unchanged_case_closure_form_renders_its_date_in_iso(client, personas, territory):
    person = register(personas, territory)
    consent(person)
    enrollment = enrolled(personas, person, start=dt.date(2023, 1, 15))
    from civica.participants.forms import ClosureForm

    enrollment.exit_date = dt.date(2023, 6, 30)
    from django.utils import translation

    with translation.override("es-mx"):
        assert 'value="2023-06-30"' in str(ClosureForm(instance=enrollment)["exit_date"])
