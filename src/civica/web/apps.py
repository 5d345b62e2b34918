from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "civica.web"
    verbose_name = "Web"
