from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "civica.core"
    verbose_name = "Cívica"

    def ready(self) -> None:
        from civica.core import checks  # noqa: F401  (registers the system checks)
