"""Every date and number field of every form renders what its widget expects and round-trips.

A browser only accepts ``YYYY-MM-DD`` in an ``<input type="date">`` and a plain decimal in an
``<input type="number">``; anything else (``31/08/2009``, ``1,5``) arrives empty, and an
unchanged save would erase the value. The walk covers every Form and ModelForm defined in
Cívica's modules, in both languages, so a new form cannot reintroduce the loss.
"""

from __future__ import annotations

import copy
import datetime as dt
import decimal
import importlib
import pkgutil
import re

import pytest
from django import forms
from django.conf import settings
from django.utils import translation

import civica

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$")
PLAIN_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
VALUE = re.compile(r'value="([^"]*)"')


def _civica_form_classes():
    for info in pkgutil.walk_packages(civica.__path__, "civica."):
        leaf = info.name.rsplit(".", 1)[-1]
        if leaf in {"forms", "admin", "views"} or ".forms." in info.name:
            importlib.import_module(info.name)
    seen, stack = set(), [forms.BaseForm]
    while stack:
        cls = stack.pop()
        for sub in cls.__subclasses__():
            if sub not in seen:
                seen.add(sub)
                stack.append(sub)
    return sorted(
        (c for c in seen if c.__module__.startswith("civica.")),
        key=lambda c: f"{c.__module__}.{c.__qualname__}",
    )


def _sample(field):
    if isinstance(field, forms.DateTimeField):
        # Aware, as a form cleans it (USE_TZ): the same instant must come back.
        from django.utils import timezone

        return timezone.make_aware(dt.datetime(2009, 8, 31, 14, 5))
    if isinstance(field, forms.DateField):
        return dt.date(2009, 8, 31)
    if isinstance(field, forms.DecimalField):
        return decimal.Decimal("1234.5")
    if isinstance(field, forms.FloatField):
        return 1234.5
    if isinstance(field, forms.IntegerField) and not isinstance(field.widget, forms.HiddenInput):
        return 1234
    return None


def _date_and_number_fields():
    cases = []
    for cls in _civica_form_classes():
        for name, field in getattr(cls, "base_fields", {}).items():
            if _sample(field) is not None:
                cases.append(pytest.param(cls, name, id=f"{cls.__module__}.{cls.__name__}.{name}"))
    return cases


CASES = _date_and_number_fields()


def test_the_walk_finds_the_forms_that_lost_data():
    names = {case.id for case in CASES}
    assert "civica.participants.forms.PersonForm.birth_date" in names
    assert "civica.interventions.forms.DesignForm.before_start" in names
    assert len(names) > 15


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
@pytest.mark.parametrize(("form_class", "name"), CASES)
def test_the_value_is_rendered_in_the_widgets_format_and_round_trips(form_class, name, language):
    field = form_class.base_fields[name]
    sample = _sample(field)
    single = type("Single", (forms.Form,), {name: copy.deepcopy(field)})
    with translation.override(language):
        form = single(initial={name: sample})
        html = str(form[name])
        rendered = VALUE.search(html)
        assert rendered, html
        value = rendered.group(1)
        input_type = getattr(field.widget, "input_type", None)
        if input_type == "date":
            assert ISO_DATE.match(value), (html, language)
        elif input_type == "datetime-local":
            assert ISO_DATETIME.match(value), (html, language)
        elif input_type == "number":
            assert PLAIN_NUMBER.match(value), (html, language)
        bound = single(data={name: value}, initial={name: sample})
        assert bound.is_valid(), bound.errors
        assert bound.cleaned_data[name] == sample
        assert not bound.has_changed()


@pytest.mark.django_db
@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_screening_items_render_as_plain_numbers(language):
    from civica.participants.forms import ScreeningForm
    from civica.participants.models import Instrument

    instrument = Instrument(
        code="T",
        version=1,
        definition={
            "answers": {"min": 0, "max": 4},
            "scales": [{"name": "a", "items": ["q1"], "cutoff": 1}],
        },
    )
    with translation.override(language):
        form = ScreeningForm(
            instrument=instrument, initial={"item_q1": 2.5, "date": dt.date(2009, 8, 31)}
        )
        assert 'value="2.5"' in str(form["item_q1"])
        assert 'value="2009-08-31"' in str(form["date"])
