from django.urls import path

from civica.territory import views

app_name = "territory"
urlpatterns = [
    path("", views.state_list, name="states"),
    path("states/<str:code>/", views.state_detail, name="state"),
    path("municipalities/<str:cvegeo>/", views.municipality_detail, name="municipality"),
    path(
        "municipalities/<str:cvegeo>/sectors.<str:fmt>",
        views.sectors_export,
        name="sectors-export",
    ),
    path("sectors/<int:pk>/", views.sector_detail, name="sector"),
]
