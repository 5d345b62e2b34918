"""Form widgets shared by every app's forms.

``SearchableSelect`` is the one widget for choosing among long lists (the 2,475
municipalities): a plain ``<select>`` that still submits the primary key and works without
JavaScript, rendered without Django's per-option template (which made a form with the
municipality list take about a second), and made searchable by ``civica/searchable.js``,
which adds a filter box above it.
"""

from __future__ import annotations

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _


class SearchableSelect(forms.Select):
    """A single choice among many: typed letters filter the options (progressive enhancement)."""

    def __init__(self, attrs=None, choices=()):
        super().__init__({"data-searchable": _("Type to filter"), **(attrs or {})}, choices)

    def render(self, name, value, attrs=None, renderer=None):
        final = self.build_attrs(self.attrs, attrs)
        chosen = set(self.format_value(value))
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            ((str(v), " selected" if str(v) in chosen else "", label) for v, label in self.choices),
        )
        # The name first, as Django's own Select writes it (flatatt sorts the rest).
        return format_html('<select name="{}"{}>{}</select>', name, flatatt(final), options)
