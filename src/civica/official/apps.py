from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OfficialConfig(AppConfig):
    name = "civica.official"
    verbose_name = _("Official crime statistics")

    def ready(self):
        # The readers below Django word their errors in English templates; from here on
        # str() of a source error is in the reader's language (civica.messages).
        from civica import messages

        messages.install()

        # Registers this app's indicator computations (civica.indicators).
        from civica.official import indicators  # noqa: F401
