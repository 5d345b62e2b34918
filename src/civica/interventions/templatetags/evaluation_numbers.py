"""Interval bounds on result pages: an infinite bound is words, never "inf"."""

from __future__ import annotations

import math

from django import template
from django.template.defaultfilters import floatformat
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def bound(value, digits=1):
    """``value`` as ``floatformat:digits``, or "no upper bound" when it is infinite."""
    if isinstance(value, float) and math.isinf(value):
        return _("no upper bound")
    return floatformat(value, digits)


@register.filter
def percent_bound(value, digits=1):
    """As :func:`bound`, with a percent sign after a finite value."""
    text = bound(value, digits)
    return text if isinstance(value, float) and math.isinf(value) else f"{text}%"
