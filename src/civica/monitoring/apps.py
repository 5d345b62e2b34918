from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "civica.monitoring"
    verbose_name = _("Program monitoring")

    def ready(self):
        # Registers this app's indicator computations (civica.indicators).
        from django.db.models.signals import post_migrate

        from civica.monitoring import computations  # noqa: F401
        from civica.monitoring.kept import install_triggers

        # After every migrate (and a test database's flush): the change counters of the
        # records the indicators read (civica.monitoring.kept).
        post_migrate.connect(install_triggers, sender=self, dispatch_uid="monitoring-kept")
