"""The audit log's hash chain (civica.audit.chain) and insert triggers.

SQLite: ``INSERT OR REPLACE`` with an existing id deletes the old row without firing the
delete trigger, so a trigger refuses any insert whose id exists; both databases refuse an
event dated before the newest one. Altering the table may rebuild it on SQLite, which drops
its triggers, so every trigger of the log is created again here.
"""

import django.utils.timezone
from django.db import migrations, models

TABLE = "audit_auditevent"

SQLITE_FORWARD = [
    f"DROP TRIGGER IF EXISTS {TABLE}_no_update;",
    f"DROP TRIGGER IF EXISTS {TABLE}_no_delete;",
    f"CREATE TRIGGER {TABLE}_no_update BEFORE UPDATE ON {TABLE} "
    "BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;",
    f"CREATE TRIGGER {TABLE}_no_delete BEFORE DELETE ON {TABLE} "
    "BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;",
    f"CREATE TRIGGER {TABLE}_no_replace BEFORE INSERT ON {TABLE} "
    f"WHEN EXISTS (SELECT 1 FROM {TABLE} WHERE id = NEW.id) "
    "BEGIN SELECT RAISE(ABORT, 'audit events cannot be replaced'); END;",
    f"CREATE TRIGGER {TABLE}_no_backdate BEFORE INSERT ON {TABLE} "
    f"WHEN NEW.at < (SELECT MAX(at) FROM {TABLE}) "
    "BEGIN SELECT RAISE(ABORT, 'audit events cannot be back-dated'); END;",
]
SQLITE_BACKWARD = [
    f"DROP TRIGGER IF EXISTS {TABLE}_no_replace;",
    f"DROP TRIGGER IF EXISTS {TABLE}_no_backdate;",
]
POSTGRES_FORWARD = [
    "CREATE OR REPLACE FUNCTION civica_audit_no_backdate() RETURNS trigger AS $$ "
    f"BEGIN IF NEW.at < (SELECT max(at) FROM {TABLE}) THEN "
    "RAISE EXCEPTION 'audit events cannot be back-dated'; END IF; RETURN NEW; END; "
    "$$ LANGUAGE plpgsql;",
    f"CREATE TRIGGER {TABLE}_no_backdate BEFORE INSERT ON {TABLE} "
    "FOR EACH ROW EXECUTE FUNCTION civica_audit_no_backdate();",
]
POSTGRES_BACKWARD = [
    f"DROP TRIGGER IF EXISTS {TABLE}_no_backdate ON {TABLE};",
    "DROP FUNCTION IF EXISTS civica_audit_no_backdate();",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_triggers")]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="hash",
            field=models.CharField(blank=True, db_index=True, editable=False, max_length=64),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="previous_hash",
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="at",
            field=models.DateTimeField(
                db_index=True, default=django.utils.timezone.now, verbose_name="when"
            ),
        ),
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        ),
    ]
