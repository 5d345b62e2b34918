from django.urls import path

from civica.justice import views
from civica.justice.analysis_urls import urlpatterns as analysis_patterns

app_name = "justice"
urlpatterns = [
    path("", views.board, name="board"),
    path("intake/", views.intake, name="intake"),
    path("cases/export/", views.cases_export, name="cases-export"),
    path("cases/<int:pk>/", views.case_detail, name="case"),
    path("cases/<int:pk>/stage/<slug:stage>/", views.stage, name="stage"),
    path("cases/<int:pk>/diversion/", views.divert, name="diversion"),
    path("cases/<int:pk>/mediations/", views.mediation_add, name="mediation-add"),
    path(
        "cases/<int:pk>/mediations/<int:mediation_id>/check/",
        views.mediation_check,
        name="mediation-check",
    ),
    path("cases/<int:pk>/follow-ups/", views.follow_up_add, name="follow-up-add"),
    path("hearings/", views.hearings, name="hearings"),
    path("juzgados/", views.juzgados, name="juzgados"),
    path("juzgados/<int:juzgado_id>/members/", views.juzgado_members, name="juzgado-members"),
    path("follow-ups/", views.follow_ups, name="follow-ups"),
    path("catalogues/", views.catalogues, name="catalogues"),
    path("catalogues/<int:catalogue_id>/", views.catalogue, name="catalogue"),
]
urlpatterns += analysis_patterns
