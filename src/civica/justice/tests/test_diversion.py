"""Diversion: an MMCC resolution referred with consent makes the person a participant of the
organization; the case reads back the measure's attendance and nothing else."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from civica.audit.models import AuditEvent
from civica.justice import diversion, selectors
from civica.justice.models import Case, Sanction
from civica.justice.tests.factories import cdmx_world
from civica.justice.tests.test_legal_guards import MINOR, heard, resolve
from civica.participants import casework
from civica.participants import selectors as people
from civica.participants.models import Enrollment, Person, ReferralSource, Service

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


def test_a_consented_referral_makes_the_person_a_participant_of_the_organization(world, territory):
    juzgado, judge, personas = world
    case = measured(judge, juzgado, territory, personas.org_a)
    enrollment = refer(judge, case)

    # The receiving organization finds the person in its caseload (its supervisor assigns a
    # case worker), referred by the judge.
    assert enrollment in list(people.caseload(personas.supervisor_a))
    assert enrollment in list(people.enrollments(personas.worker_a))
    assert enrollment not in list(people.enrollments(personas.worker_b))
    assert enrollment.referral_source == ReferralSource.CIVIC_JUDGE
    assert enrollment.organization == personas.org_a
    person = Person.objects.get(pk=enrollment.person_id)
    assert person.given_names == "Iván" and person.organization == personas.org_a
    consent = person.consents.get()
    assert consent.participation and list(consent.share_with.all()) == [personas.org_a]
    assert consent.shared_fields == []  # nothing of the case travels
    case.refresh_from_db()
    assert case.measure_enrollment == enrollment
    assert case.person.participant == person
    event = AuditEvent.objects.filter(object_id=str(case.pk), actor=judge).latest("id")
    assert event.detail["diversion"] == personas.org_a.pk
    assert event.detail["participant"] == person.pid

    # Another organization sees nothing of the person.
    assert person not in people.persons(personas.worker_b)


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
    assert not Enrollment.objects.exists() and not Person.objects.exists()

    refer(judge, minor, given_by="guardian", guardian_name="María Gómez")
    assert Enrollment.objects.count() == 1
    with pytest.raises(ValidationError):  # once only
        refer(judge, minor, given_by="guardian", guardian_name="María Gómez")


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
    enrollment = refer(judge, case)
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
    client.force_login(judge)
    page = client.get(reverse("justice:case", args=[case.pk])).content.decode()
    assert "Sesiones asistidas" in page and "2 de 8 previstas" in page
    assert "ZZPRIVADO" not in page and "Educación" not in page
    assert Service.objects.count() == 4


def test_the_diversion_page_refers_and_another_organization_sees_nothing(client, world, territory):
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
    assert not Enrollment.objects.exists()
    done = client.post(url, data | {"diversion-consent": "on"})
    assert done.status_code == 302
    assert Case.objects.get().measure_enrollment is not None

    client.force_login(personas.worker_b)
    assert client.get(reverse("justice:case", args=[case.pk])).status_code == 404
    assert client.post(url, data | {"diversion-consent": "on"}).status_code == 404
