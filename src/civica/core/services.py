"""Preparing a workspace: folders, database schema."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _

# The management commands and the migration machinery are imported by the functions that
# use them: every statistics read imports this module for ``warehouse()`` (issue 19).


def initialize() -> list[str]:
    """Create the workspace folder and bring the database schema up to date."""
    from django.core.management import call_command

    settings.CIVICA_HOME.mkdir(parents=True, exist_ok=True)
    pending = pending_migrations()
    call_command("migrate", interactive=False, verbosity=0)
    database = settings.DATABASES["default"]
    where = (
        database["NAME"]
        if database["ENGINE"].endswith("sqlite3")
        else (
            f"{database['ENGINE'].rsplit('.', 1)[-1]} {database.get('HOST') or 'local'}/"
            f"{database['NAME']}"
        )
    )
    return [
        _("workspace: %(path)s") % {"path": settings.CIVICA_HOME},
        _("database: %(where)s") % {"where": where},
        _("migrations applied: %(n)d") % {"n": len(pending)},
    ]


def pending_migrations() -> list:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    return executor.migration_plan(executor.loader.graph.leaf_nodes())


def warehouse():
    """The workspace's warehouse of snapshots (``CIVICA_WAREHOUSE_DIR``)."""
    from pathlib import Path

    from civica.warehouse.store import Warehouse

    return Warehouse(Path(settings.CIVICA_WAREHOUSE_DIR))
