from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JusticeConfig(AppConfig):
    name = "civica.justice"
    verbose_name = _("Civic justice")

    def ready(self):
        # The indicator computations (civica.indicators registry) monitoring reads by name.
        from civica.justice import indicators  # noqa: F401
