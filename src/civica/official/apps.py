from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OfficialConfig(AppConfig):
    name = "civica.official"
    verbose_name = _("Official crime statistics")

    def ready(self):
        # Registers this app's indicator computations (civica.indicators).
        from civica.official import indicators  # noqa: F401
