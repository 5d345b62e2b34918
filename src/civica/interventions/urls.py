from django.urls import path

from civica.interventions import views

app_name = "interventions"
urlpatterns = [
    path("", views.intervention_list, name="list"),
    path("new/", views.intervention_create, name="create"),
    path("summary/", views.summary_page, name="summary"),
    path("<int:pk>/", views.intervention_detail, name="detail"),
    path("<int:pk>/edit/", views.intervention_edit, name="edit"),
    path("<int:pk>/designs/new/", views.design_create, name="design-create"),
    path("designs/<int:pk>/", views.design_page, name="design"),
    path("designs/<int:pk>/months.csv", views.design_csv, name="design-csv"),
]
