"""Work that needs a consent that is missing or withdrawn is refused with an explanation."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from civica.participants import casework
from civica.participants.models import Track
from civica.participants.services import ConsentMissing, withdraw_consent
from civica.participants.tests.factories import consent, enrolled, register

pytestmark = pytest.mark.django_db


def test_enrollment_without_consent_is_refused_with_the_reason(personas, territory):
    person = register(personas, territory)
    with pytest.raises(ConsentMissing) as caught:
        enrolled(personas, person)
    assert person.pid in caught.value.messages[0]
    assert person.enrollments.count() == 0


def test_a_minor_cannot_consent_alone(personas, territory):
    person = register(personas, territory)
    with pytest.raises(ValidationError) as caught:
        consent(person, given_by="person", guardian_name="")
    assert caught.value.error_dict["given_by"][0].code == "minor_needs_guardian"


def test_an_adult_consents_herself(personas, territory):
    person = register(personas, territory, birth_date="2000-01-01")
    assert consent(person, given_by="person", guardian_name="").pk


def test_services_after_withdrawal_are_refused(personas, territory):
    person = register(personas, territory)
    given = consent(person)
    enrollment = enrolled(personas, person)
    casework.record_service(
        actor=personas.worker_a, enrollment=enrollment, kind="mentoring", date=dt.date(2023, 2, 1)
    )
    withdraw_consent(actor=personas.worker_a, consent=given, on=dt.date(2023, 3, 1))
    with pytest.raises(ConsentMissing) as caught:
        casework.record_service(
            actor=personas.worker_a,
            enrollment=enrollment,
            kind="mentoring",
            date=dt.date(2023, 3, 2),
        )
    assert "withdrew" in str(caught.value) or "retiró" in str(caught.value)
    assert enrollment.services.count() == 1


def test_a_contact_needs_the_follow_up_consent(personas, territory):
    person = register(personas, territory)
    consent(person, follow_up=False)
    with pytest.raises(ConsentMissing):
        casework.record_contact(
            actor=personas.worker_a, person=person, date=dt.date(2023, 2, 1), channel="phone"
        )
    assert person.contacts.count() == 0


def test_a_referral_carries_only_the_fields_the_consent_allows(personas, territory):
    person = register(personas, territory, phone="5512345678", curp="LOHM080520MDFPRR09")
    given = consent(person, shared_fields=["given_names", "phone"])
    enrollment = enrolled(personas, person)
    with pytest.raises(ConsentMissing):
        casework.refer(
            actor=personas.worker_a,
            enrollment=enrollment,
            to_organization=personas.org_b,
            reason="Empleo",
        )
    given.share_with.set([personas.org_b])
    referral = casework.refer(
        actor=personas.worker_a,
        enrollment=enrollment,
        to_organization=personas.org_b,
        reason="Empleo",
    )
    received = casework.shared_data(personas.worker_b, referral)
    assert received == {"given_names": "María Fernanda", "phone": "5512345678", "pid": person.pid}
    casework.answer_referral(
        actor=personas.worker_b, referral=referral, accept=True, track=Track.SECONDARY
    )
    assert person.enrollments.filter(organization=personas.org_b).count() == 1


def test_the_receiving_organization_sees_its_own_work_not_the_senders(personas, territory, client):
    from django.urls import reverse

    person = register(personas, territory)
    given = consent(person, shared_fields=["given_names"])
    given.share_with.set([personas.org_b])
    enrollment = enrolled(personas, person)
    casework.record_service(
        actor=personas.worker_a, enrollment=enrollment, kind="wellness", date=dt.date(2023, 2, 1)
    )
    referral = casework.refer(
        actor=personas.worker_a,
        enrollment=enrollment,
        to_organization=personas.org_b,
        reason="Empleo",
    )
    casework.answer_referral(
        actor=personas.worker_b, referral=referral, accept=True, track=Track.SECONDARY
    )
    from civica.participants import selectors

    seen_by_b = selectors.history(personas.worker_b, person)
    assert [e.organization for e in seen_by_b["enrollments"]] == [personas.org_b]
    assert seen_by_b["services"] == []  # the wellness session of org A does not travel
    seen_by_a = selectors.history(personas.worker_a, person)
    assert [s.kind for s in seen_by_a["services"]] == ["wellness"]
    client.force_login(personas.worker_b)
    page = client.get(reverse("participants:person", args=[person.pid]))
    assert page.status_code == 200
    assert page.context["timeline"] == []
