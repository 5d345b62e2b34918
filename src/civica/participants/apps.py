from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipantsConfig(AppConfig):
    name = "civica.participants"
    verbose_name = _("Participants")

    def ready(self):
        # Registers this app's indicator computations (civica.indicators).
        from civica.participants import indicators  # noqa: F401
