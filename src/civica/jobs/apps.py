from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "civica.jobs"
    label = "jobs"
    verbose_name = _("Background jobs")

    def ready(self):
        from civica.jobs import checks  # noqa: F401  (registers the system check)

        # Each app declares its kinds of job in its own ``jobs.py`` (as admin.py declares
        # admin pages), so the web process and every worker know the same kinds.
        autodiscover_modules("jobs")
