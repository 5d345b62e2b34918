from django.urls import path

from civica.web import views

urlpatterns = [path("", views.home, name="home")]
