from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "civica.api"
    verbose_name = "API"
