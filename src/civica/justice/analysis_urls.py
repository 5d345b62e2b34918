"""URLs of the civic-justice aggregate pages, added to the app's ``urlpatterns``."""

from django.urls import path

from civica.justice import analysis_views

urlpatterns = [
    path("indicators/", analysis_views.dashboard, name="indicators"),
    path("indicators/breakdown/", analysis_views.indicator, name="indicator"),
    path("reincidence/", analysis_views.reincidence_page, name="reincidence"),
]
