from django.urls import path

from civica.problems import views

app_name = "problems"
urlpatterns = [
    path("", views.problem_list, name="list"),
    path("scan/", views.scan_page, name="scan"),
    path("<int:pk>/", views.problem_detail, name="detail"),
    path("<int:pk>/analysis/", views.analysis_edit, name="analysis-edit"),
    path("<int:pk>/attach/", views.attach, name="attach"),
    path("<int:pk>/responses/new/", views.response_create, name="response-create"),
    path("<int:pk>/priority-owner/", views.priority_owner, name="priority-owner"),
    path("<int:pk>/advance/", views.advance, name="advance"),
    path("analyses/<int:pk>/", views.analysis_page, name="analysis"),
    path("responses/<int:pk>/milestones/new/", views.milestone_create, name="milestone-create"),
    path("milestones/<int:pk>/done/", views.milestone_done, name="milestone-done"),
]
