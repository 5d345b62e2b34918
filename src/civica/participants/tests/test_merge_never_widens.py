"""A merge never widens who sees whom (issue 12, item 1): a case worker of A who merges an A
minor into a person referred from B would have shown the minor to B, and hidden B's record."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from rest_framework.test import APIClient

from civica.audit.models import AuditEvent
from civica.participants import casework
from civica.participants.models import Person, Track
from civica.participants.services import merge_persons
from civica.participants.tests.factories import consent, enrolled, register

pytestmark = pytest.mark.django_db


def referred_from_b(personas, territory):
    """A person B registered and referred to A, who accepted: both organizations see them."""
    person = register(
        personas,
        territory,
        actor=personas.worker_b,
        organization=personas.org_b,
        given_names="Beto",
    )
    given = consent(person, shared_fields=["given_names"])
    given.share_with.set([personas.org_a])
    enrollment = enrolled(personas, person, organization=personas.org_b)
    referral = casework.refer(
        actor=personas.worker_b,
        enrollment=enrollment,
        to_organization=personas.org_a,
        reason="Empleo",
    )
    casework.answer_referral(
        actor=personas.worker_a, referral=referral, accept=True, track=Track.SECONDARY
    )
    return person


def test_merging_an_a_minor_into_a_person_shared_with_b_is_refused(personas, territory):
    shared = referred_from_b(personas, territory)
    minor = register(
        personas,
        territory,
        given_names="Luz",
        family_names="Niña Secreta",
        birth_date="2012-03-04",
        curp="NISL120304MDFXCZ05",
    )
    consent(minor)
    enrolled(personas, minor, start=dt.date(2023, 2, 1))
    with pytest.raises(ValidationError, match=r"mismas organizaciones|same organizations"):
        merge_persons(actor=personas.worker_a, keep=shared, duplicate=minor)
    with pytest.raises(ValidationError, match=r"mismas organizaciones|same organizations"):
        merge_persons(actor=personas.worker_a, keep=minor, duplicate=shared)
    minor.refresh_from_db()
    shared.refresh_from_db()
    assert minor.merged_into is None and shared.merged_into is None
    client = APIClient()
    client.force_authenticate(personas.worker_b)
    assert client.get(f"/api/persons/{minor.pid}/").status_code == 404
    assert client.get(f"/api/persons/{shared.pid}/").status_code == 200


def test_records_of_the_same_organizations_merge_keeping_both_sides_and_audited(
    personas, territory
):
    keep = register(personas, territory)
    duplicate = register(
        personas,
        territory,
        given_names="Ma. Fernanda",
        birth_date="2008-05-21",
        not_duplicate_of=[keep.pid],
    )
    consent(keep)
    shared = consent(duplicate, shared_fields=["given_names"])
    shared.share_with.set([personas.org_b])
    merge_persons(actor=personas.worker_a, keep=keep, duplicate=duplicate)
    duplicate.refresh_from_db()
    assert duplicate.merged_into == keep
    assert set(keep.consents.values_list("pk", flat=True)) >= {shared.pk}
    assert list(keep.consents.get(pk=shared.pk).share_with.all()) == [personas.org_b]
    labels = set(
        AuditEvent.objects.filter(object_type="participants.Person", action="update").values_list(
            "object_label", flat=True
        )
    )
    assert {keep.pid, duplicate.pid} <= labels
    assert Person.objects.filter(merged_into__isnull=True).count() == 1
