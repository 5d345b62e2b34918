"""Registration gives a random pseudonymous id, keeps personal fields encrypted, and proposes
the existing record instead of creating a second person."""

import re

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection

from civica.participants.identity import PID_PATTERN
from civica.participants.models import Person
from civica.participants.services import DuplicateSuspected, merge_persons
from civica.participants.tests.factories import consent, enrolled, register

pytestmark = pytest.mark.django_db


def test_a_registered_person_has_a_random_pseudonymous_id(personas, territory):
    first = register(personas, territory)
    second = register(
        personas, territory, given_names="Juan", family_names="Pérez", birth_date="2006-01-02"
    )
    assert re.fullmatch(PID_PATTERN, first.pid) and re.fullmatch(PID_PATTERN, second.pid)
    assert first.pid != second.pid
    assert str(first.pk) not in first.pid


def test_personal_fields_are_encrypted_in_the_database(personas, territory):
    person = register(personas, territory, curp="LOHM080520MDFPRR09", phone="5512345678")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT given_names, family_names, birth_date, curp, phone FROM "
            "participants_person WHERE id = %s",
            [person.pk],
        )
        stored = cursor.fetchone()
    assert all(value.startswith("gAAAA") for value in stored)
    assert "María" not in "".join(stored) and "2008" not in "".join(stored)
    again = Person.objects.get(pk=person.pk)
    assert again.given_names == "María Fernanda" and again.curp == "LOHM080520MDFPRR09"
    # Birth month index: 2008 × 12 + 4 (May), the day is not kept in clear.
    assert again.birth_month_index == 2008 * 12 + 4


def test_the_same_curp_is_proposed_instead_of_a_second_person(personas, territory):
    existing = register(personas, territory, curp="LOHM080520MDFPRR09")
    with pytest.raises(DuplicateSuspected) as caught:
        register(
            personas,
            territory,
            given_names="Otra",
            family_names="Persona",
            curp="lohm 080520mdfprr09",
        )
    assert caught.value.exact and caught.value.candidates == [existing]
    assert Person.objects.count() == 1


def test_a_similar_name_with_the_same_birth_date_and_municipality_is_proposed(personas, territory):
    existing = register(personas, territory)
    with pytest.raises(DuplicateSuspected) as caught:
        register(personas, territory, given_names="Maria Fernanda", family_names="Lopez Hernandes")
    assert caught.value.candidates == [existing] and not caught.value.exact
    # Confirmed as a different person, it is registered.
    other = register(
        personas,
        territory,
        given_names="Maria Fernanda",
        family_names="Lopez Hernandes",
        not_duplicate_of=[existing.pid],
    )
    assert other.pid != existing.pid


def test_a_different_birth_year_is_not_a_duplicate(personas, territory):
    # Another date of the same year may be a typo and is proposed (test_duplicates_with_typos).
    register(personas, territory)
    register(personas, territory, birth_date="2009-05-20")
    assert Person.objects.count() == 2


def test_a_curp_of_another_organization_is_refused_without_revealing_the_record(
    personas, territory
):
    theirs = register(
        personas,
        territory,
        actor=personas.worker_b,
        organization=personas.org_b,
        curp="LOHM080520MDFPRR09",
        municipality=territory.tijuana,
    )
    with pytest.raises(PermissionDenied) as caught:
        register(personas, territory, curp="LOHM080520MDFPRR09")
    assert theirs.pid not in str(caught.value)


def test_a_similar_name_in_another_organization_is_not_shown(personas, territory):
    register(personas, territory, actor=personas.worker_b, organization=personas.org_b)
    register(personas, territory)  # no proposal: the other record is out of scope
    assert Person.objects.count() == 2


def test_merging_moves_the_work_and_leaves_a_pointer(personas, territory):
    keep = register(personas, territory)
    duplicate = register(
        personas, territory, given_names="Mari", family_names="López", not_duplicate_of=[keep.pid]
    )
    consent(duplicate)
    enrollment = enrolled(personas, duplicate)
    merge_persons(actor=personas.supervisor_a, keep=keep, duplicate=duplicate)
    enrollment.refresh_from_db()
    duplicate.refresh_from_db()
    assert enrollment.person == keep and duplicate.merged_into == keep
    assert keep.consents.count() == 1
