from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReinsertionConfig(AppConfig):
    name = "civica.reinsertion"
    verbose_name = _("Reinsertion")

    def ready(self):
        # Registers this app's indicator computations (civica.indicators) and its reminders
        # on the participants caseload (civica.participants.reminders).
        from civica.reinsertion import indicators, reminders  # noqa: F401
