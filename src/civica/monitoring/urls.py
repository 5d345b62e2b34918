from django.urls import path

from civica.monitoring import people_views, views

app_name = "monitoring"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("factsheet/", views.factsheet_page, name="factsheet"),
    path("factsheet.pdf", views.factsheet_pdf, name="factsheet-pdf"),
    path("indicators.<str:fmt>", views.indicators_export, name="indicators-export"),
    path("coverage/", views.coverage, name="coverage"),
    path("activities/", views.activities, name="activities"),
    path("alliances/", views.alliances, name="alliances"),
    path("people/", people_views.people_figure, name="people"),
    path("people.csv", people_views.people_export, name="people-export"),
]
