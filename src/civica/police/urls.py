from django.urls import path

from civica.police import views

app_name = "police"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("states/<str:code>/", views.state_profile, name="state"),
    path("municipalities/<str:cvegeo>/", views.municipality_profile, name="municipality"),
    path("municipalities/<str:cvegeo>/figures.csv", views.profile_csv, name="municipality-csv"),
]
