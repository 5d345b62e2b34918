"""Database triggers that refuse UPDATE and DELETE on the audit log.

The model already refuses both; the triggers make the log append-only for every client of the
database, including raw SQL and the Django shell. TRUNCATE is left to the table owner (the
test runner empties tables with it); production should grant the application role no more than
SELECT and INSERT on this table.
"""

from django.db import migrations

from civica.audit.triggers import (
    POSTGRES_APPEND_ONLY,
    POSTGRES_DROP_APPEND_ONLY,
    SQLITE_APPEND_ONLY,
    SQLITE_DROP_APPEND_ONLY,
    run_by_vendor,
)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [
        migrations.RunPython(
            run_by_vendor({"sqlite": SQLITE_APPEND_ONLY, "postgresql": POSTGRES_APPEND_ONLY}),
            run_by_vendor(
                {"sqlite": SQLITE_DROP_APPEND_ONLY, "postgresql": POSTGRES_DROP_APPEND_ONLY}
            ),
        )
    ]
