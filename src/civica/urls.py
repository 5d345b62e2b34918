from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

admin.autodiscover()  # settings install SimpleAdminConfig: the admin modules load with the URLs
admin.site.site_header = _("Cívica administration")
admin.site.site_title = "Cívica"

urlpatterns = [
    path("", include("civica.web.urls")),
    path("accounts/", include("civica.accounts.urls")),
    path("territory/", include("civica.territory.urls")),
    path("audit/", include("civica.audit.urls")),
    path("statistics/", include("civica.official.urls")),
    path("incidents/", include("civica.incidents.urls")),
    path("interventions/", include("civica.interventions.urls")),
    path("problems/", include("civica.problems.urls")),
    path("monitoring/", include("civica.monitoring.urls")),
    path("participants/", include("civica.participants.urls")),
    path("justice/", include("civica.justice.urls")),
    path("reinsertion/", include("civica.reinsertion.urls")),
    path("police/", include("civica.police.urls")),
    path("organizations/", include("civica.organizations.urls")),
    path("jobs/", include("civica.jobs.urls")),
    path("api/", include("civica.api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
