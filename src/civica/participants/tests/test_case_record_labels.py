"""The records of the work with a person read in the reader's language where they reach a
page (the admin, a select), and by codes only in the audit log (read in either language)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from civica.audit.services import Action, record
from civica.participants import casework
from civica.participants.tests.factories import consent, enrolled, register

pytestmark = pytest.mark.django_db


def test_sessions_contacts_goals_and_network_read_in_spanish_and_audit_by_codes(
    personas, territory
):
    person = register(personas, territory)
    consent(person)
    enrollment = enrolled(personas, person)
    service = casework.record_service(
        actor=personas.worker_a, enrollment=enrollment, kind="mentoring", date=dt.date(2023, 2, 1)
    )
    contact = casework.record_contact(
        actor=personas.worker_a, person=person, date=dt.date(2023, 2, 2), channel="phone"
    )
    goal = casework.add_goal(actor=personas.worker_a, enrollment=enrollment, description="Leer")
    member = casework.add_network_member(
        actor=personas.worker_a, person=person, relationship="tía", name="Rosa"
    )
    with translation.override("es-mx"):
        assert str(service) == f"{person.pid} Mentoría 2023-02-01"
        assert str(contact) == f"{person.pid} Llamada 2023-02-02"
        assert str(goal) == f"{person.pid} meta {goal.pk}"
        assert str(member) == f"{person.pid} tía"
    with translation.override("en"):
        assert str(contact) == f"{person.pid} Phone call 2023-02-02"
    for obj in (service, contact, goal, member):
        label = obj.audit_label
        assert label == f"{person.pid} #{obj.pk}"
        # What an admin change writes: the label, never the English code or the relative.
        event = record(actor=personas.supervisor_a, action=Action.UPDATE, obj=obj)
        assert event.object_label == label
        for word in ("mentoring", "phone", "goal", "tía"):
            assert word not in event.object_label
