from django.urls import path

from civica.official import views

app_name = "official"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("municipalities/<str:cvegeo>/", views.profile, name="profile"),
    path("series.csv", views.series_csv, name="series-csv"),
]
