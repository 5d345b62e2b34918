"""The audit log is a keyed hash chain that `civica audit verify` checks; the database refuses
replaced and back-dated events; the workspace database is readable by its owner only."""

import os
import stat
import subprocess
import sys

import pytest
from click.testing import CliRunner
from django.db import DatabaseError, connection, transaction

from civica.audit.chain import verify
from civica.audit.models import Action, AuditEvent
from civica.audit.services import record
from civica.cli.main import cli

pytestmark = pytest.mark.django_db


@pytest.fixture
def events(personas):
    return [
        record(actor=personas.admin, action=Action.VIEW, object_type="x", object_id=str(n))
        for n in range(4)
    ]


def _chain():
    return verify(AuditEvent.objects.order_by("id"))


def test_each_event_links_to_the_previous_one_and_the_chain_verifies(events):
    assert [e.previous_hash for e in events[1:]] == [e.hash for e in events[:-1]]
    result = _chain()
    assert result.ok and result.checked == 4
    out = CliRunner().invoke(cli, ["--lang", "en", "audit", "verify"])
    assert out.exit_code == 0 and "4 events checked" in out.output


def test_an_event_changed_behind_the_triggers_is_the_first_break(events):
    # What a table owner could do: drop the trigger, rewrite an event, put the trigger back.
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER audit_auditevent_no_update")
        else:
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")
        cursor.execute(
            "UPDATE audit_auditevent SET object_label = 'nada' WHERE id = %s", [events[1].pk]
        )
    result = _chain()
    assert result.first_break.event_id == events[1].pk
    assert result.first_break.reason == "hash differs"
    out = CliRunner().invoke(cli, ["--lang", "en", "audit", "verify"])
    assert out.exit_code == 1 and f"broken at event {events[1].pk}" in out.output


def test_an_event_slipped_in_without_the_key_breaks_the_chain(events):
    last = events[-1]
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO audit_auditevent (at, actor_username, action, object_type, object_id, "
            "object_label, personal_data, path, detail, previous_hash, hash) "
            "VALUES (%s, 'x', 'view', '', '', '', false, '', '{}', %s, %s)",
            [last.at, last.hash, "0" * 64],
        )
    assert _chain().first_break.reason == "hash differs"


def test_a_removed_event_breaks_the_link(events):
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER audit_auditevent_no_delete")
        else:
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [events[2].pk])
    result = _chain()
    assert result.first_break.event_id == events[3].pk
    assert result.first_break.reason == "previous hash differs"


@pytest.mark.skipif("os.environ.get('DATABASE_URL', '').startswith('postgres')")
def test_sqlite_refuses_insert_or_replace_of_an_existing_event(events):
    with (
        pytest.raises(DatabaseError, match="cannot be replaced"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "INSERT OR REPLACE INTO audit_auditevent (id, at, actor_username, action, "
            "object_type, object_id, object_label, personal_data, path, detail, previous_hash, "
            "hash) SELECT id, at, 'x', 'login', '', '', '', 0, '', '{}', previous_hash, hash "
            "FROM audit_auditevent WHERE id = %s",
            [events[-1].pk],  # the newest: its date is not what refuses it
        )
    assert AuditEvent.objects.get(pk=events[-1].pk).action == Action.VIEW


def test_a_back_dated_event_is_refused(events):
    with (
        pytest.raises(DatabaseError, match="back-dated"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "INSERT INTO audit_auditevent (at, actor_username, action, object_type, object_id, "
            "object_label, personal_data, path, detail, previous_hash, hash) "
            "VALUES ('2001-01-01 00:00:00', 'x', 'view', '', '', '', false, '', '{}', '', '')"
        )
    assert AuditEvent.objects.count() == 4


def test_the_workspace_database_and_keys_are_for_the_owner_only(tmp_path):
    env = {**os.environ, "CIVICA_HOME": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    os.umask(0o022)  # as a login shell would have it
    subprocess.run([sys.executable, "-m", "civica", "init"], env=env, check=True, timeout=600)
    for name in ("civica.sqlite3", "secret_key", "encryption_key", "audit_key"):
        mode = stat.S_IMODE((tmp_path / name).stat().st_mode)
        assert mode == 0o600, (name, oct(mode))


def test_many_events_recorded_at_once_continue_the_chain_and_verify(events, personas):
    from civica.audit.services import record_many

    many = record_many(
        [{"action": Action.CREATE, "object_id": str(n), "detail": {"line": n}} for n in range(3)],
        actor=personas.admin,
        object_type="y",
    )
    assert many[0].previous_hash == events[-1].hash
    assert [e.previous_hash for e in many[1:]] == [e.hash for e in many[:-1]]
    stored = list(AuditEvent.objects.order_by("id"))
    assert [e.hash for e in stored[-3:]] == [e.hash for e in many]
    assert [e.detail for e in stored[-3:]] == [{"line": 0}, {"line": 1}, {"line": 2}]
    assert {e.actor_id for e in stored[-3:]} == {personas.admin.pk}
    result = _chain()
    assert result.ok and result.checked == 7
    # ... and an event recorded afterwards links to the last of them.
    after = record(actor=personas.admin, action=Action.VIEW, object_type="z")
    assert after.previous_hash == many[-1].hash and _chain().ok


def test_recording_no_events_writes_nothing(events):
    from civica.audit.services import record_many

    assert record_many([], actor=None) == []
    assert AuditEvent.objects.count() == 4
