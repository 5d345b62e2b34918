from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProblemsConfig(AppConfig):
    name = "civica.problems"
    verbose_name = _("Problem-oriented policing")

    def ready(self):
        # The built-in scanning sources (hot spots, rising crimes, repeat places) register here;
        # other apps register theirs from their own ready() (see scanning.register).
        from civica.problems import scanning  # noqa: F401
