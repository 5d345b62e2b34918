from django.urls import path

from civica.organizations import views

app_name = "organizations"
urlpatterns = [path("", views.organization_list, name="list")]
