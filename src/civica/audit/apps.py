from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "civica.audit"
    verbose_name = _("Audit log")

    def ready(self) -> None:
        from civica.audit import signals  # noqa: F401  (connects the auth signal receivers)
