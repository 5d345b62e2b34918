from django.urls import path

from civica.jobs import views

app_name = "jobs"
urlpatterns = [
    path("", views.job_list, name="list"),
    path("<uuid:job_id>/", views.status, name="status"),
]
