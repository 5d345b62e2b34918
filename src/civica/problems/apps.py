from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProblemsConfig(AppConfig):
    name = "civica.problems"
    verbose_name = _("Problem-oriented policing")
    # The scanning sources are not imported here: scanning.MODULES names where each lives and
    # the first scan imports them (pandas, DuckDB and pyproj stay out of every start).
