"""Least privilege on a declined diversion: an organization that declines a civic court's
referral keeps nothing of a person it never took in — no page, no search by id, name or
CURP, no duplicate proposal, no API row, no personal field left on the referral — while the
judge still reads the answer. A person already in the organization's caseload stays there;
accepting takes the person in."""

from __future__ import annotations

import importlib
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from rest_framework.test import APIClient

from civica.audit.models import AuditEvent
from civica.justice import selectors
from civica.justice.tests.factories import cdmx_world
from civica.justice.tests.test_diversion import YOUTH, accept, measured, refer
from civica.participants import casework, services
from civica.participants import selectors as people
from civica.participants.models import Person, Referral, ReferralStatus

pytestmark = pytest.mark.django_db

CURP = "RUSI050709HDFZTVA1"


@pytest.fixture
def world(territory, shared_data, personas):
    juzgado, _other, judge, _staff = cdmx_world(
        territory, shared_data, unit_value=Decimal("113.14")
    )
    return juzgado, judge, personas


def declined(client, judge, juzgado, territory, personas, *, person=None):
    """A measure referred to organization A and declined there on its page."""
    case = measured(
        judge, juzgado, territory, personas.org_a, person=person or YOUTH | {"curp": CURP}
    )
    referral = refer(judge, case)
    client.force_login(personas.worker_a)
    answered = client.post(
        reverse("participants:referrals"),
        {"referral": referral.pk, "answer": "decline", "decline_reason": "Sin cupo hasta marzo"},
    )
    assert answered.status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DECLINED
    return case, referral


def test_the_declining_organization_cannot_reach_the_person(client, world, territory):
    juzgado, judge, personas = world
    case, referral = declined(client, judge, juzgado, territory, personas)
    person = Person.objects.get(pk=referral.person_id)
    assert person.organization == personas.org_a and person.held_for_referral
    api = APIClient()
    for user in (personas.worker_a, personas.supervisor_a):
        assert person not in people.persons(user)
        client.force_login(user)
        # The person's page, edit form and every form under the pid: as if it did not exist.
        for name in ("person", "edit", "consent", "enroll", "refer"):
            url = reverse(f"participants:{name}", args=[person.pid])
            assert client.get(url).status_code == 404, url
        # The search by pseudonymous id finds nobody; the caseload does not list them.
        found = client.get(reverse("participants:caseload"), {"q": person.pid}, follow=True)
        assert "No hay ninguna persona con ese identificador" in found.content.decode()
        assert found.redirect_chain == []
        assert person.pid not in client.get(reverse("participants:caseload")).content.decode()
        # The duplicate check: neither the same name and birth date nor the CURP reveals
        # the record (a CURP registered elsewhere is refused without naming it).
        candidates, exact = services.find_duplicates(
            user,
            given_names="Ivan",
            family_names="Ruiz Soto",
            birth_date=YOUTH["birth_date"],
            municipality_id=person.municipality_id,
        )
        # (the supervisor's pass finds the record the worker's API call below registered)
        assert person not in candidates and not exact
        with pytest.raises(PermissionDenied) as refused:
            services.find_duplicates(user, curp=CURP)
        assert person.pid not in " ".join(refused.value.args)
        # The API lists nobody and answers the detail 404.
        api.force_authenticate(user)
        listed = api.get("/api/persons/")
        assert listed.status_code == 200 and person.pid not in listed.content.decode()
        assert api.get(f"/api/persons/{person.pid}/").status_code == 404
        again = api.post(
            "/api/persons/",
            {
                "given_names": "Iván",
                "family_names": "Ruiz Soto",
                "birth_date": YOUTH["birth_date"],
                "sex": "M",
                "municipality": person.municipality.cvegeo,
            },
            format="json",
        )
        assert person.pid not in again.content.decode()
    # What travelled with the referral is not kept: only the pseudonymous id is left.
    assert casework.shared_data(personas.worker_a, referral) == {"pid": person.pid}
    assert "Iván" not in Referral.objects.get(pk=referral.pk).shared
    event = AuditEvent.objects.filter(
        object_type="participants.Referral", object_id=str(referral.pk), actor=personas.worker_a
    ).latest("id")
    assert event.detail == {"status": "declined", "shared_erased": True}
    # The judge still reads the answer and its reason.
    answer = selectors.measure_answer(judge, case)
    assert answer["status"] == ReferralStatus.DECLINED
    assert answer["decline_reason"] == "Sin cupo hasta marzo"
    client.force_login(judge)
    page = client.get(reverse("justice:case", args=[case.pk])).content.decode()
    assert "Rechazada" in page and "Sin cupo hasta marzo" in page


def test_while_it_waits_the_referral_alone_carries_the_identity(client, world, territory):
    juzgado, judge, personas = world
    case = measured(judge, juzgado, territory, personas.org_a)
    referral = refer(judge, case)
    assert referral.person not in people.persons(personas.worker_a)
    client.force_login(personas.worker_a)
    received = client.get(reverse("participants:referrals")).content.decode()
    assert referral.person.pid in received and "Iván" in received
    assert client.get(reverse("participants:person", args=[referral.person.pid])).status_code == 404


def test_accepting_takes_the_person_in(client, world, territory):
    juzgado, judge, personas = world
    case = measured(judge, juzgado, territory, personas.org_a)
    referral = accept(personas.worker_a, refer(judge, case))
    person = Person.objects.get(pk=referral.person_id)
    assert not person.held_for_referral and person.organization == personas.org_a
    assert person in people.persons(personas.worker_a)
    assert referral.accepted_enrollment in people.caseload(personas.supervisor_a)
    client.force_login(personas.worker_a)
    page = client.get(reverse("participants:person", args=[person.pid]))
    assert page.status_code == 200 and "Iván" in page.content.decode()
    assert person not in people.persons(personas.worker_b)


def test_a_decline_then_another_organizations_acceptance(client, world, territory):
    """Declined by A, referred again and accepted by B: the person is B's, never A's."""
    juzgado, judge, personas = world
    case, first = declined(client, judge, juzgado, territory, personas)
    person = first.person
    # The resolution names B now (what the judge does before referring again).
    from civica.justice import services as justice

    case.refresh_from_db()
    case = justice.record_stage(
        actor=judge,
        case=case,
        stage="resolution",
        version=case.version,
        changes={"measure_organization": personas.org_b},
    )
    second = refer(judge, case)
    assert second.person_id == person.pk
    accept(personas.worker_b, second)
    person.refresh_from_db()
    assert person.organization == personas.org_b and not person.held_for_referral
    assert person in people.persons(personas.worker_b)
    assert person not in people.persons(personas.worker_a)


def test_a_person_already_in_the_caseload_stays_after_a_decline(client, world, territory):
    juzgado, judge, personas = world
    own = services.register_person(
        actor=personas.worker_a,
        organization=personas.org_a,
        given_names="Iván",
        family_names="Ruiz Soto",
        birth_date=YOUTH["birth_date"],
        curp=CURP,
        sex="M",
        municipality=territory.cuauhtemoc,
    )
    _case, referral = declined(client, judge, juzgado, territory, personas)
    assert referral.person_id == own.pk  # found by the CURP, not registered again
    own.refresh_from_db()
    assert not own.held_for_referral and own in people.persons(personas.worker_a)
    client.force_login(personas.worker_a)
    assert client.get(reverse("participants:person", args=[own.pid])).status_code == 200


def test_rows_written_before_the_rule_are_held_and_erased(client, world, territory):
    """Migration 0005 on rows of the old code: the court-registered person of a declined
    referral becomes held, the declined referral loses its fields; a person the organization
    registered itself is left alone."""
    juzgado, judge, personas = world
    _case, referral = declined(client, judge, juzgado, territory, personas)
    person = referral.person
    # As the old code left them.
    Person.objects.filter(pk=person.pk).update(held_for_referral=False)
    Referral.objects.filter(pk=referral.pk).update(shared='{"given_names": "Iván"}')
    own = services.register_person(
        actor=personas.worker_a,
        organization=personas.org_a,
        given_names="Ana",
        family_names="Pérez",
        birth_date="2004-01-02",
        sex="F",
        municipality=territory.cuauhtemoc,
    )
    migration = importlib.import_module(
        "civica.participants.migrations.0005_person_held_for_referral"
    )
    migration.held_and_erased(apps, None)
    assert Person.objects.get(pk=person.pk).held_for_referral
    assert not Person.objects.get(pk=own.pk).held_for_referral
    assert "Iván" not in Referral.objects.get(pk=referral.pk).shared
