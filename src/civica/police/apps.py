from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PoliceConfig(AppConfig):
    name = "civica.police"
    verbose_name = _("Local police")

    def ready(self):
        # Registers this app's indicator computations (civica.indicators).
        from civica.police import indicators  # noqa: F401
