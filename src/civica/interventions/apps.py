from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InterventionsConfig(AppConfig):
    name = "civica.interventions"
    verbose_name = _("Interventions")

    def ready(self):
        # Registers ``priority_crime_change`` in civica.indicators (monitoring reads it by name).
        from civica.interventions import indicators  # noqa: F401
