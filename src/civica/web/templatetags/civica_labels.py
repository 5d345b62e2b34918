"""Template filters that turn internal identifiers into what a reader understands."""

from django import template
from django.apps import apps

register = template.Library()


@register.filter
def model_label(label: str) -> str:
    """``"monitoring.Indicator"`` → the model's name in the active language ("indicador");
    an unknown label is returned as it is (an old record type stays readable)."""
    try:
        return str(apps.get_model(label)._meta.verbose_name)
    except (LookupError, ValueError):
        return label
