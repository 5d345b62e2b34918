"""Template filters for numbers written one way across pages (see :mod:`civica.tables`)."""

from django import template

from civica.tables import p_value_text

register = template.Library()
register.filter("p_value", p_value_text)
