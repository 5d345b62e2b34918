"""The SQL of the audit log's database triggers, written once for the migrations that create
them (0002 creates the append-only triggers; 0003 creates them again, because altering the
table rebuilds it on SQLite, which drops its triggers, and adds the insert triggers).

These texts are part of migrations already applied: change them only together with a new
migration that replaces the triggers.
"""

# ruff: noqa: S608 - the statements name one constant table, no input reaches them

from __future__ import annotations

TABLE = "audit_auditevent"

#: SQLite: refuse UPDATE and DELETE of an event.
SQLITE_APPEND_ONLY = [
    f"CREATE TRIGGER {TABLE}_no_update BEFORE UPDATE ON {TABLE} "
    "BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;",
    f"CREATE TRIGGER {TABLE}_no_delete BEFORE DELETE ON {TABLE} "
    "BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;",
]
SQLITE_DROP_APPEND_ONLY = [
    f"DROP TRIGGER IF EXISTS {TABLE}_no_update;",
    f"DROP TRIGGER IF EXISTS {TABLE}_no_delete;",
]
#: SQLite: refuse ``INSERT OR REPLACE`` over an existing id, and a back-dated event.
SQLITE_INSERT_CHECKS = [
    f"CREATE TRIGGER {TABLE}_no_replace BEFORE INSERT ON {TABLE} "
    f"WHEN EXISTS (SELECT 1 FROM {TABLE} WHERE id = NEW.id) "
    "BEGIN SELECT RAISE(ABORT, 'audit events cannot be replaced'); END;",
    f"CREATE TRIGGER {TABLE}_no_backdate BEFORE INSERT ON {TABLE} "
    f"WHEN NEW.at < (SELECT MAX(at) FROM {TABLE}) "
    "BEGIN SELECT RAISE(ABORT, 'audit events cannot be back-dated'); END;",
]
SQLITE_DROP_INSERT_CHECKS = [
    f"DROP TRIGGER IF EXISTS {TABLE}_no_replace;",
    f"DROP TRIGGER IF EXISTS {TABLE}_no_backdate;",
]
#: PostgreSQL: refuse UPDATE and DELETE (one statement-level trigger).
POSTGRES_APPEND_ONLY = [
    "CREATE OR REPLACE FUNCTION civica_audit_append_only() RETURNS trigger AS $$ "
    "BEGIN RAISE EXCEPTION 'audit events are append-only'; END; $$ LANGUAGE plpgsql;",
    f"CREATE TRIGGER {TABLE}_append_only BEFORE UPDATE OR DELETE ON {TABLE} "
    "FOR EACH STATEMENT EXECUTE FUNCTION civica_audit_append_only();",
]
POSTGRES_DROP_APPEND_ONLY = [
    f"DROP TRIGGER IF EXISTS {TABLE}_append_only ON {TABLE};",
    "DROP FUNCTION IF EXISTS civica_audit_append_only();",
]
#: PostgreSQL: refuse a back-dated event.
POSTGRES_INSERT_CHECKS = [
    "CREATE OR REPLACE FUNCTION civica_audit_no_backdate() RETURNS trigger AS $$ "
    f"BEGIN IF NEW.at < (SELECT max(at) FROM {TABLE}) THEN "
    "RAISE EXCEPTION 'audit events cannot be back-dated'; END IF; RETURN NEW; END; "
    "$$ LANGUAGE plpgsql;",
    f"CREATE TRIGGER {TABLE}_no_backdate BEFORE INSERT ON {TABLE} "
    "FOR EACH ROW EXECUTE FUNCTION civica_audit_no_backdate();",
]
POSTGRES_DROP_INSERT_CHECKS = [
    f"DROP TRIGGER IF EXISTS {TABLE}_no_backdate ON {TABLE};",
    "DROP FUNCTION IF EXISTS civica_audit_no_backdate();",
]


def run_by_vendor(statements_by_vendor: dict[str, list[str]]):
    """A ``RunPython`` function executing the statements of the connection's vendor."""

    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run
