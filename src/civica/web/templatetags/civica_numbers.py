"""Template filters for numbers written one way across pages (see :mod:`civica.tables`)."""

from django import template

from civica.tables import number_text, p_value_text

register = template.Library()
register.filter("p_value", p_value_text)
register.filter("number", lambda value: number_text(value))
