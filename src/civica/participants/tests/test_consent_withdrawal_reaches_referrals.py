"""Consent is checked at every read and at acceptance; a withdrawal takes back what was
shared (issue 12, item 2)."""

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from civica.participants import casework
from civica.participants.models import Track
from civica.participants.services import ConsentMissing, withdraw_consent
from civica.participants.tests.factories import consent, enrolled, register

pytestmark = pytest.mark.django_db


def referred(personas, territory):
    person = register(personas, territory, phone="5512345678", curp="LOHM080520MDFPRR09")
    sharing = consent(person, shared_fields=["given_names"])
    sharing.share_with.set([personas.org_b])
    enrollment = enrolled(personas, person)
    referral = casework.refer(
        actor=personas.worker_a,
        enrollment=enrollment,
        to_organization=personas.org_b,
        reason="Empleo",
    )
    return person, sharing, referral


def test_after_withdrawal_the_receiver_sees_nothing_and_cannot_accept(personas, territory):
    person, sharing, referral = referred(personas, territory)
    assert casework.shared_data(personas.worker_b, referral)["given_names"] == "María Fernanda"
    withdraw_consent(actor=personas.worker_a, consent=sharing, on=timezone.localdate())
    assert casework.shared_data(personas.worker_b, referral) == {"pid": person.pid}
    referral.refresh_from_db()
    assert "María" not in referral.shared  # erased, not only hidden
    with pytest.raises(ConsentMissing):
        casework.answer_referral(
            actor=personas.worker_b, referral=referral, accept=True, track=Track.SECONDARY
        )
    assert not person.enrollments.filter(organization=personas.org_b).exists()


def test_an_accepting_organization_reads_only_the_consented_fields_while_in_force(
    personas, territory
):
    person, sharing, referral = referred(personas, territory)
    casework.answer_referral(
        actor=personas.worker_b, referral=referral, accept=True, track=Track.SECONDARY
    )
    client = APIClient()
    client.force_authenticate(personas.worker_b)
    body = client.get(f"/api/persons/{person.pid}/").json()
    assert body["given_names"] == "María Fernanda"
    assert body["family_names"] == body["curp"] == body["phone"] == ""
    withdraw_consent(actor=personas.worker_a, consent=sharing, on=dt.date.today())
    body = client.get(f"/api/persons/{person.pid}/").json()
    assert body["given_names"] == ""
    owner = APIClient()
    owner.force_authenticate(personas.worker_a)
    assert owner.get(f"/api/persons/{person.pid}/").json()["curp"] == "LOHM080520MDFPRR09"


def test_the_withdrawal_page_withdraws_and_the_referral_loses_its_fields(
    personas, territory, client
):
    person, sharing, referral = referred(personas, territory)
    client.force_login(personas.worker_a)
    url = f"/participants/{person.pid}/consent/withdraw/"
    page = client.get(url)
    assert page.status_code == 200 and "Retirar un consentimiento" in page.content.decode()
    answer = client.post(
        url, {"consent": sharing.pk, "withdrawn_on": timezone.localdate().isoformat()}
    )
    assert answer.status_code == 302
    sharing.refresh_from_db()
    assert sharing.withdrawn_on == timezone.localdate()
    assert casework.shared_data(personas.worker_b, referral) == {"pid": person.pid}
