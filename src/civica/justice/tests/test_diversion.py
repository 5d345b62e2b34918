"""Diversion: an MMCC resolution referred with consent is a referral the organization answers
in its "referrals received"; accepting makes the person a participant, declining records why;
the case reads back the answer and the measure's attendance, nothing else."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from civica.audit.models import AuditEvent
from civica.justice import diversion, selectors
from civica.justice.models import Case, Sanction
from civica.justice.tests.factories import cdmx_world
from civica.justice.tests.test_legal_guards import MINOR, heard, resolve
from civica.participants import casework
from civica.participants import selectors as people
from civica.participants.models import (
    Enrollment,
    Person,
    Referral,
    ReferralSource,
    ReferralStatus,
    Service,
)

pytestmark = pytest.mark.django_db

YOUTH = {"given_names": "Iván", "family_names": "Ruiz Soto", "birth_date": "2005-07-09"}


@pytest.fixture
def world(territory, shared_data, personas):
    juzgado, _other, judge, _staff = cdmx_world(
        territory, shared_data, unit_value=Decimal("113.14")
    )
    return juzgado, judge, personas


def measured(judge, juzgado, territory, org, *, person=None, **extra):
    case = heard(judge, juzgado, territory, person=person or dict(YOUTH), code="LCC-28-V", **extra)
    return resolve(
        judge,
        case,
        sanction=Sanction.MEASURE,
        measure="Taller de convivencia, 8 sesiones",
        measure_organization=org,
        measure_sessions=8,
    )


def refer(judge, case, **fields):
    fields = {"consent": True, "given_by": "person", "given_on": timezone.localdate()} | fields
    return diversion.refer_to_measure(actor=judge, case=case, **fields)


def accept(worker, referral, **fields):
    return casework.answer_referral(actor=worker, referral=referral, accept=True, **fields)


def test_a_consented_referral_waits_for_the_organization_which_enrolls_on_accepting(
    world, territory
):
    juzgado, judge, personas = world
    case = measured(judge, juzgado, territory, personas.org_a)
    referral = refer(judge, case)

    # A pending referral from the civic court, in the organization's "referrals received":
    # nobody is enrolled until the organization answers.
    assert referral.status == ReferralStatus.PENDING
    assert referral.source == ReferralSource.CIVIC_JUDGE and referral.enrollment is None
    assert referral.source_reference == f"{juzgado.name} · {case.folio}" and case.folio
    assert list(casework.referrals_received(personas.worker_a)) == [referral]
    assert list(casework.referrals_received(personas.worker_b)) == []
    assert not Enrollment.objects.exists()
    person = Person.objects.get(pk=referral.person_id)
    assert person.given_names == "Iván" and person.organization == personas.org_a
    consent = person.consents.get()
    assert consent.participation and list(consent.share_with.all()) == [personas.org_a]
    # Only the identification travels: not the address or phone, nothing of the case.
    assert consent.shared_fields == ["given_names", "family_names", "birth_date", "curp"]
    shared = casework.shared_data(personas.worker_a, referral)
    assert shared["given_names"] == "Iván" and shared["pid"] == person.pid
    assert "LCC" not in referral.shared and "Taller" not in referral.shared
    case.refresh_from_db()
    assert case.measure_referral == referral
    assert case.person.participant == person
    assert selectors.measure_answer(judge, case)["status"] == ReferralStatus.PENDING
    assert selectors.measure_attendance(judge, case) is None
    event = AuditEvent.objects.filter(object_id=str(case.pk), actor=judge).latest("id")
    assert event.detail["diversion"] == personas.org_a.pk
    assert event.detail["participant"] == person.pid
    assert event.detail["referral"] == referral.pk

    with pytest.raises(PermissionDenied):  # another organization cannot answer it
        accept(personas.worker_b, referral)
    accept(personas.worker_a, referral)
    referral.refresh_from_db()
    enrollment = referral.accepted_enrollment
    assert enrollment.referral_source == ReferralSource.CIVIC_JUDGE
    assert enrollment.organization == personas.org_a and enrollment.track == "prevention"
    assert enrollment in list(people.caseload(personas.supervisor_a))
    assert enrollment not in list(people.enrollments(personas.worker_b))
    answer = selectors.measure_answer(judge, case)
    assert answer["status"] == ReferralStatus.ACCEPTED
    assert answer["answered_on"] == timezone.localdate()
    # Another organization sees nothing of the person.
    assert person not in people.persons(personas.worker_b)


def test_a_declined_referral_says_why_and_the_judge_may_refer_again(world, territory):
    juzgado, judge, personas = world
    case = measured(judge, juzgado, territory, personas.org_a)
    referral = refer(judge, case)
    with pytest.raises(ValidationError) as refused:
        casework.answer_referral(actor=personas.worker_a, referral=referral, accept=False)
    assert "por qué" in " ".join(refused.value.messages)
    casework.answer_referral(
        actor=personas.worker_a,
        referral=referral,
        accept=False,
        decline_reason="Sin cupo en el taller hasta marzo",
    )
    assert not Enrollment.objects.exists()
    answer = selectors.measure_answer(judge, case)
    assert answer["status"] == ReferralStatus.DECLINED
    assert answer["decline_reason"] == "Sin cupo en el taller hasta marzo"
    assert selectors.measure_attendance(judge, case) is None
    with pytest.raises(ValidationError):  # answered once
        accept(personas.worker_a, referral)

    # The measure was not served: the judge may refer it again (here, to the same
    # organization); a second referral, the first one kept with its answer.
    again = refer(judge, case)
    assert again.pk != referral.pk and Referral.objects.count() == 2
    case.refresh_from_db()
    assert case.measure_referral == again


def test_a_referral_without_consent_or_a_guardian_for_a_minor_is_refused(world, territory):
    juzgado, judge, personas = world
    case = measured(judge, juzgado, territory, personas.org_a)
    with pytest.raises(ValidationError) as refused:
        refer(judge, case, consent=False)
    assert "Registre el consentimiento" in " ".join(refused.value.messages)

    minor = measured(
        judge,
        juzgado,
        territory,
        personas.org_a,
        person=dict(MINOR),
        guardian_name="María Gómez",
        guardian_at=case.presented_at,
    )
    with pytest.raises(ValidationError) as refused:
        refer(judge, minor)
    assert "madre, padre o tutor" in " ".join(refused.value.messages)
    with pytest.raises(ValidationError) as refused:
        refer(judge, minor, given_by="guardian", guardian_name="")
    assert "nombre" in " ".join(refused.value.messages)
    assert not Referral.objects.exists() and not Person.objects.exists()

    referral = refer(judge, minor, given_by="guardian", guardian_name="María Gómez")
    assert Referral.objects.count() == 1
    guardian = referral.person.consents.get()
    assert guardian.given_by == "guardian" and guardian.guardian_name == "María Gómez"
    with pytest.raises(ValidationError):  # once only, while it waits
        refer(judge, minor, given_by="guardian", guardian_name="María Gómez")
    accept(personas.worker_a, referral)
    with pytest.raises(ValidationError):  # and once accepted
        refer(judge, minor, given_by="guardian", guardian_name="María Gómez")
    assert Enrollment.objects.count() == 1


def test_only_a_measure_with_its_organization_is_referred(world, territory):
    juzgado, judge, _personas = world
    case = heard(judge, juzgado, territory, code="LCC-28-V")
    case = resolve(judge, case, sanction=Sanction.REPRIMAND)
    with pytest.raises(ValidationError) as refused:
        refer(judge, case)
    assert "Medida" in " ".join(refused.value.messages)


def test_the_judge_sees_the_attendance_only(client, world, territory):
    juzgado, judge, personas = world
    case = measured(judge, juzgado, territory, personas.org_a)
    referral = refer(judge, case)
    client.force_login(judge)
    page = client.get(reverse("justice:case", args=[case.pk])).content.decode()
    assert "esperando la respuesta" in page and "Sesiones asistidas" not in page
    enrollment = accept(personas.worker_a, referral).accepted_enrollment
    start = enrollment.start_date
    for days, attended in ((0, True), (7, False), (14, True)):
        casework.record_service(
            actor=personas.worker_a,
            enrollment=enrollment,
            kind="mentoring",
            provider="Notas privadas ZZPRIVADO",
            date=start + dt.timedelta(days=days),
            attended=attended,
        )
    # Another enrollment of the person with the organization is not the measure's.
    other = casework.enroll(
        actor=personas.worker_a,
        person=enrollment.person,
        organization=personas.org_a,
        track="secondary",
        referral_source="school",
        start_date=start,
    )
    casework.record_service(
        actor=personas.worker_a, enrollment=other, kind="education", date=start, attended=True
    )
    attendance = selectors.measure_attendance(judge, case)
    assert attendance == {
        "organization": personas.org_a.name,
        "attended": 2,
        "missed": 1,
        "planned": 8,
        "last": start + dt.timedelta(days=14),
    }
    page = client.get(reverse("justice:case", args=[case.pk])).content.decode()
    assert "aceptó la canalización" in page
    assert "Sesiones asistidas" in page and "2 de 8 previstas" in page
    assert "ZZPRIVADO" not in page and "Educación" not in page
    assert Service.objects.count() == 4


def test_the_diversion_page_refers_and_the_organization_answers_on_its_page(
    client, world, territory
):
    juzgado, judge, personas = world
    case = measured(judge, juzgado, territory, personas.org_a)
    client.force_login(judge)
    url = reverse("justice:diversion", args=[case.pk])
    data = {
        "diversion-given_by": "person",
        "diversion-given_on": timezone.localdate().isoformat(),
        "diversion-track": "prevention",
    }
    refused = client.post(url, data)
    assert refused.status_code == 200
    assert "Registre el consentimiento" in refused.content.decode()
    assert not Referral.objects.exists()
    done = client.post(url, data | {"diversion-consent": "on"})
    assert done.status_code == 302
    referral = Case.objects.get().measure_referral
    assert referral.status == ReferralStatus.PENDING

    client.force_login(personas.worker_b)
    assert client.get(reverse("justice:case", args=[case.pk])).status_code == 404
    assert client.post(url, data | {"diversion-consent": "on"}).status_code == 404
    assert referral.person.pid not in client.get(reverse("participants:referrals")).content.decode()

    # The organization reads the referral: the juez cívico, the case number, the
    # identification — not the faltas, the narrative or the sanction.
    client.force_login(personas.worker_a)
    received = client.get(reverse("participants:referrals")).content.decode()
    assert referral.person.pid in received and "Juez cívico" in received
    assert f"{juzgado.name} · {case.folio}" in received and "Iván" in received
    assert "Taller de convivencia" not in received and "LCC-28" not in received
    answered = client.post(
        reverse("participants:referrals"),
        {"referral": referral.pk, "answer": "decline", "decline_reason": "Fuera de la zona"},
    )
    assert answered.status_code == 302
    client.force_login(judge)
    page = client.get(reverse("justice:case", args=[case.pk])).content.decode()
    assert "rechazó la canalización" in page and "Fuera de la zona" in page
