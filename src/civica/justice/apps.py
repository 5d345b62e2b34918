from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def keep_case_months(using: str = "default", **_kwargs) -> None:
    """After ``migrate`` (``civica init``, an upgrade): keep the columns of every month of
    cases not kept yet, so that an upgraded workspace's first page view does not read every
    month from the cases (seconds at a million cases; nothing to do on an empty one)."""
    from django.db import connections

    from civica.justice import columns

    if "justice_casemonth" in connections[using].introspection.table_names():
        columns.refresh()


class JusticeConfig(AppConfig):
    name = "civica.justice"
    verbose_name = _("Civic justice")

    def ready(self):
        from django.db.models.signals import post_migrate

        # The indicator computations (civica.indicators registry) monitoring reads by name.
        from civica.justice import indicators  # noqa: F401

        post_migrate.connect(keep_case_months, sender=self, dispatch_uid="justice-case-months")
