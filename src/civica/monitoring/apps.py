from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "civica.monitoring"
    verbose_name = _("Program monitoring")

    def ready(self):
        # Registers this app's indicator computations (civica.indicators).
        from civica.monitoring import computations  # noqa: F401
