from django.urls import path

from civica.police import views

app_name = "police"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("states/<str:code>/", views.state_profile, name="state"),
    path("municipalities/<str:cvegeo>/", views.municipality_profile, name="municipality"),
    path("municipalities/<str:cvegeo>/records/", views.municipality_records, name="records"),
    path("municipalities/<str:cvegeo>/scenarios/", views.scenarios, name="scenarios"),
    path(
        "municipalities/<str:cvegeo>/scenarios/compare/",
        views.compare,
        name="scenarios-compare",
    ),
    path("scenarios/<int:pk>/", views.scenario, name="scenario"),
    path("scenarios/<int:pk>/edit/", views.scenario_edit, name="scenario-edit"),
    path("municipalities/<str:cvegeo>/calls/", views.calls_page, name="calls"),
    path("municipalities/<str:cvegeo>/calls/import/", views.calls_import, name="calls-import"),
    path("municipalities/<str:cvegeo>/calls/map/", views.calls_map, name="calls-map"),
    path(
        "municipalities/<str:cvegeo>/calls/sectors.geojson",
        views.calls_sectors,
        name="calls-sectors",
    ),
    path("municipalities/<str:cvegeo>/figures.csv", views.profile_csv, name="municipality-csv"),
]
