from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "civica.audit"
    verbose_name = _("Audit log")

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from civica.audit import signals  # noqa: F401  (connects the auth signal receivers)

        connection_created.connect(_private_database, dispatch_uid="civica_private_database")


def _private_database(sender, connection, **kwargs):
    # The SQLite file holds the audit log, sessions and token digests: owner-only, also when
    # it was created by an older version with the default 0644.
    if connection.vendor == "sqlite":
        from pathlib import Path

        from civica.workspace import make_private

        name = str(connection.settings_dict.get("NAME") or "")
        if name and not name.startswith(":memory:") and "mode=memory" not in name:
            make_private(Path(name))
