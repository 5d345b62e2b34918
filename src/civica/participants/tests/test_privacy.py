"""Personal fields never appear in URLs, logs, the audit trail, error pages or aggregate
exports; a new justice contact is an outcome, never a label on the person."""

import datetime as dt
import logging

import pytest
from click.testing import CliRunner
from django.urls import reverse

from civica.accounts.access import SYSTEM
from civica.audit.models import AuditEvent
from civica.cli.main import cli
from civica.participants import casework
from civica.participants.models import Person
from civica.participants.tests.factories import consent, enrolled, register

pytestmark = pytest.mark.django_db

SECRETS = ("Xóchitl", "Quetzal", "2007-09-14", "LOHM080520MDFPRR09", "5587654321", "Calle Ocho 12")


def _fields(territory):
    return {
        "given_names": "Xóchitl",
        "family_names": "Quetzal Ramírez",
        "birth_date": "2007-09-14",
        "sex": "F",
        "municipality": territory.cuauhtemoc.pk,
        "curp": "LOHM080520MDFPRR09",
        "phone": "5587654321",
        "address": "Calle Ocho 12",
    }


def assert_clean(text: str):
    for secret in SECRETS:
        assert secret not in text, secret


def test_a_whole_web_workflow_leaves_no_personal_value_in_urls_logs_or_audit(
    client, personas, territory, caplog
):
    caplog.set_level(logging.DEBUG)
    client.force_login(personas.worker_a)
    response = client.post(reverse("participants:register"), _fields(territory))
    assert response.status_code == 302
    urls = [response["Location"]]
    person = Person.objects.get()
    # A duplicate attempt, a stale edit and an out-of-scope look-up all go through logs too.
    client.post(reverse("participants:register"), _fields(territory))
    edit = reverse("participants:edit", args=[person.pid])
    data = _fields(territory) | {"version": 1}
    client.post(edit, data | {"phone": "5511112222"})
    client.post(edit, data | {"phone": "5587654321"})
    client.force_login(personas.worker_b)
    client.get(reverse("participants:person", args=[person.pid]))
    urls += [e.path for e in AuditEvent.objects.all()]
    assert_clean(" ".join(urls))
    assert_clean(" ".join(r.getMessage() for r in caplog.records))
    for event in AuditEvent.objects.all():
        assert_clean(f"{event.object_label} {event.detail} {event.path}")


def test_the_error_page_of_an_out_of_scope_person_shows_nothing_of_them(
    client, personas, territory, settings
):
    settings.DEBUG = False
    person = register(personas, territory, given_names="Xóchitl", family_names="Quetzal")
    client.force_login(personas.worker_b)
    page = client.get(reverse("participants:person", args=[person.pid]))
    assert page.status_code == 404
    assert_clean(page.content.decode())


def test_the_aggregate_export_holds_only_keys_and_counts(personas, territory):
    person = register(
        personas, territory, given_names="Xóchitl", family_names="Quetzal", phone="5587654321"
    )
    consent(person)
    enrollment = enrolled(personas, person)
    casework.record_service(
        actor=SYSTEM, enrollment=enrollment, kind="mentoring", date=dt.date(2023, 2, 1)
    )
    result = CliRunner().invoke(
        cli,
        [
            "participants",
            "reach",
            "--fiscal-year",
            "2023",
            "--by",
            "sex",
            "--by",
            "age_band",
            "--services",
            "--format",
            "csv",
        ],
    )
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == ["sex,age_band,persons,services", "F,10-14,1,1"]
    assert person.pid not in result.output


def test_a_new_justice_contact_is_an_outcome_and_never_a_label(client, personas, territory):
    person = register(personas, territory)
    consent(person)
    enrollment = enrolled(personas, person)
    casework.record_outcome(
        actor=SYSTEM,
        enrollment=enrollment,
        months=6,
        recorded_on=dt.date(2023, 7, 20),
        justice_contact="arrest",
    )
    client.force_login(personas.worker_a)
    for lang in ("es-mx", "en"):
        html = (
            client.get(reverse("participants:person", args=[person.pid]), HTTP_ACCEPT_LANGUAGE=lang)
            .content.decode()
            .lower()
        )
        assert "reincid" not in html and "recidiv" not in html
    assert (
        "detención"
        in client.get(reverse("participants:person", args=[person.pid])).content.decode().lower()
    )
