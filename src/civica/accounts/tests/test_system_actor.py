"""The system actor is explicit: a read, a computation or a write on behalf of nobody (``None``)
is refused, so a forgotten user cannot silently get everything (docs/access.md)."""

from __future__ import annotations

import pickle

import pytest

from civica.accounts import scope
from civica.accounts.access import SYSTEM, NoActorError, actor, check, is_system, user_of
from civica.audit.models import AuditEvent
from civica.audit.services import record
from civica.indicators import Context
from civica.monitoring.periods import parse_period


def _calls():
    from civica.audit import selectors as audit
    from civica.incidents import selectors as incidents
    from civica.incidents.selectors import Selection
    from civica.interventions import selectors as interventions
    from civica.jobs import selectors as jobs
    from civica.justice import selectors as justice
    from civica.monitoring import selectors as monitoring
    from civica.monitoring.reports import people
    from civica.official import selectors as official
    from civica.organizations import selectors as organizations
    from civica.participants import selectors as participants
    from civica.territory import selectors as territory

    period = parse_period("FY2023")
    return {
        "scope.municipality_ids": lambda u: scope.municipality_ids(u),
        "scope.organization_ids": lambda u: scope.organization_ids(u),
        "scope.person_organization_ids": lambda u: scope.person_organization_ids(u),
        "territory.states": lambda u: territory.states(u),
        "territory.municipalities": lambda u: territory.municipalities(u),
        "territory.sectors": lambda u: territory.sectors(u),
        "participants.persons": lambda u: participants.persons(u),
        "participants.enrollments": lambda u: participants.enrollments(u),
        "participants.residence_sectors": lambda u: participants.residence_sectors(u),
        "interventions.interventions": lambda u: interventions.interventions(u),
        "organizations.organizations": lambda u: organizations.organizations(u),
        "monitoring.context_for": lambda u: monitoring.context_for(u, period),
        "monitoring.activity_choices": lambda u: monitoring.activity_choices(u),
        "monitoring.people.breakdown": lambda u: people.breakdown(
            u, Context(period=period), kind="persons"
        ),
        "incidents.layers": lambda u: incidents.layers(u),
        "incidents.incidents": lambda u: incidents.incidents(u, Selection("sintetico")),
        "official.vintages": lambda u: official.vintages(u),
        "audit.events": lambda u: audit.events(u),
        "jobs.jobs": lambda u: jobs.jobs(u),
        "justice.juzgados": lambda u: justice.juzgados(u),
        "justice.cases": lambda u: justice.cases(u),
        "justice.board": lambda u: justice.board(u),
    }


@pytest.mark.parametrize("name", sorted(_calls()))
def test_a_selector_called_without_a_user_refuses(db, name):
    with pytest.raises(NoActorError, match="SYSTEM"):
        _calls()[name](None)


def test_the_system_sees_everything_a_user_sees_only_their_scope(personas):
    from civica.interventions import selectors as interventions
    from civica.participants import selectors as participants

    assert scope.municipality_ids(SYSTEM) is None
    assert scope.person_organization_ids(SYSTEM) is None
    assert scope.municipality_ids(personas.analyst_cuauhtemoc) == {
        personas.analyst_cuauhtemoc.municipalities.get().id
    }
    assert str(participants.persons(SYSTEM).query) == str(
        participants.persons(personas.admin).query
    )
    assert str(interventions.interventions(SYSTEM).query) == str(
        interventions.interventions(personas.admin).query
    )


def test_the_system_is_no_user(db):
    assert is_system(SYSTEM) and user_of(SYSTEM) is None and SYSTEM.can("anything")
    check(SYSTEM, "export")
    with pytest.raises(NoActorError):
        actor(None)
    assert pickle.loads(pickle.dumps(SYSTEM)) is SYSTEM  # noqa: S301 - our own bytes
    event = record(actor=SYSTEM, action="view", object_type="test.Probe", object_label="probe")
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.actor_id is None and stored.actor_username == ""
