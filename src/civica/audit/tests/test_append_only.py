"""The audit log can be added to and never changed or deleted, by the ORM or by raw SQL."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.models import ProtectedError

from civica.audit.models import Action, AppendOnlyError, AuditEvent
from civica.audit.services import record

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(personas):
    return record(actor=personas.admin, action=Action.VIEW, object_type="x", object_id="1")


def test_it_refuses_to_change_an_event_through_the_model(event):
    event.action = Action.DELETE
    with pytest.raises(AppendOnlyError):
        event.save()


def test_it_refuses_to_delete_an_event_through_the_model(event):
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.update(action=Action.LOGIN)


@pytest.mark.parametrize(
    "statement",
    ["UPDATE audit_auditevent SET action = 'login'", "DELETE FROM audit_auditevent"],
)
def test_the_database_refuses_raw_updates_and_deletes(event, statement):
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement)
    assert AuditEvent.objects.get().action == Action.VIEW


def test_an_account_with_a_trail_cannot_be_deleted_only_deactivated(event, personas):
    with pytest.raises(ProtectedError):
        personas.admin.delete()
    personas.admin.is_active = False
    personas.admin.save()
    assert AuditEvent.objects.get().actor_username == "admin"
