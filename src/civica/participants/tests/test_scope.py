"""A case worker of organization A cannot read, search, export or guess persons of B; program
officers and donors see no person at all."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from civica.participants import casework, selectors
from civica.participants.tests.factories import consent, enrolled, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(personas, territory):
    mine = register(personas, territory)
    consent(mine)
    enrolled(personas, mine)
    theirs = register(
        personas,
        territory,
        actor=personas.worker_b,
        organization=personas.org_b,
        given_names="Luisa",
        municipality=territory.tijuana,
    )
    return mine, theirs


def test_a_worker_sees_only_the_persons_of_her_organization(personas, people):
    mine, theirs = people
    assert list(selectors.persons(personas.worker_a)) == [mine]
    assert list(selectors.persons(personas.worker_b)) == [theirs]
    with pytest.raises(Http404):
        selectors.person_by_pid(personas.worker_a, theirs.pid)
    with pytest.raises(Http404):
        selectors.view_personal_fields(personas.worker_a, theirs)


def test_a_guessed_pid_answers_like_a_missing_one(personas, people):
    with pytest.raises(Http404) as out_of_scope:
        selectors.person_by_pid(personas.worker_a, people[1].pid)
    with pytest.raises(Http404) as missing:
        selectors.person_by_pid(personas.worker_a, "P-ZZZZZZ")
    assert str(out_of_scope.value) == str(missing.value)


def test_a_worker_cannot_write_on_a_person_of_another_organization(personas, people):
    _mine, theirs = people
    with pytest.raises(Http404):
        casework.record_contact(
            actor=personas.worker_a, person=theirs, date="2023-02-01", channel="phone"
        )
    with pytest.raises(PermissionDenied):
        enrolled_b = theirs  # enrolling with B's organization is refused to A's worker
        casework.enroll(
            actor=personas.worker_a,
            person=enrolled_b,
            organization=personas.org_b,
            track="prevention",
            referral_source="self",
            start_date="2023-01-01",
        )


def test_officers_and_donors_see_no_person(personas, people):
    assert not selectors.persons(personas.officer).exists()
    assert not selectors.persons(personas.donor).exists()
    assert not selectors.persons(personas.analyst_cuauhtemoc).exists()


def test_the_caseload_of_a_worker_is_hers_and_a_supervisor_sees_the_organization(
    personas, territory, people
):
    mine, _theirs = people
    other = register(personas, territory, given_names="Ana", birth_date="2007-01-01")
    consent(other)
    enrolled(personas, other, worker=personas.worker_a2)
    assert [e.person for e in selectors.caseload(personas.worker_a)] == [mine]
    assert {e.person for e in selectors.caseload(personas.supervisor_a)} == {mine, other}
    assert list(selectors.caseload(personas.worker_b)) == []
