"""The audit log's hash chain (civica.audit.chain) and insert triggers.

SQLite: ``INSERT OR REPLACE`` with an existing id deletes the old row without firing the
delete trigger, so a trigger refuses any insert whose id exists; both databases refuse an
event dated before the newest one. Altering the table may rebuild it on SQLite, which drops
its triggers, so every trigger of the log is created again here.
"""

import django.utils.timezone
from django.db import migrations, models

from civica.audit.triggers import (
    POSTGRES_DROP_INSERT_CHECKS,
    POSTGRES_INSERT_CHECKS,
    SQLITE_APPEND_ONLY,
    SQLITE_DROP_APPEND_ONLY,
    SQLITE_DROP_INSERT_CHECKS,
    SQLITE_INSERT_CHECKS,
    run_by_vendor,
)


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
            run_by_vendor(
                {
                    # Drop and create again: a rebuild of the table may have dropped them.
                    "sqlite": SQLITE_DROP_APPEND_ONLY + SQLITE_APPEND_ONLY + SQLITE_INSERT_CHECKS,
                    "postgresql": POSTGRES_INSERT_CHECKS,
                }
            ),
            run_by_vendor(
                {"sqlite": SQLITE_DROP_INSERT_CHECKS, "postgresql": POSTGRES_DROP_INSERT_CHECKS}
            ),
        ),
    ]
