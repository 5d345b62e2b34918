"""Admin change forms refuse a save made from a stale copy, like the pages do.

Django admin writes whatever the form holds, so an old admin tab saved after a case worker
closed a case would reopen it. The change form carries a fingerprint of each field as it was
when the page was drawn (a short hash per field: no value reaches the page that the form does
not already show); a save is refused, naming the fields, when the stored record no longer
matches. It works for every model, with or without a version column.
"""

from __future__ import annotations

import base64
import hashlib
import json

from django import forms
from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext as _

LOADED_STATE = "_loaded_state"


def _field_values(obj: models.Model) -> dict[str, str]:
    """Every concrete and many-to-many field of the stored record, as text."""
    values = {}
    for field in obj._meta.get_fields():
        if field.many_to_many and not field.auto_created:
            ids = sorted(str(pk) for pk in getattr(obj, field.name).values_list("pk", flat=True))
            values[field.name] = ",".join(ids)
        elif getattr(field, "concrete", False) and not field.auto_created:
            value = field.value_to_string(obj)  # JSONField gives the value itself
            values[field.name] = value if isinstance(value, str) else json.dumps(value, default=str)
    return values


def fingerprint(obj: models.Model) -> str:
    """A short hash per field, packed into one opaque token."""
    hashes = {
        name: hashlib.sha256(value.encode()).hexdigest()[:12]
        for name, value in _field_values(obj).items()
    }
    return base64.urlsafe_b64encode(json.dumps(hashes, sort_keys=True).encode()).decode()


def changed_since(token: str, obj: models.Model) -> list[str]:
    """Names of the fields whose stored value differs from the one the token was made from."""
    try:
        loaded = json.loads(base64.urlsafe_b64decode(token.encode()))
    except (ValueError, TypeError):
        return ["?"]
    current = json.loads(base64.urlsafe_b64decode(fingerprint(obj).encode()))
    return sorted(name for name, digest in current.items() if loaded.get(name) != digest)


class StaleEditGuardMixin:
    """For ``ModelAdmin``: the change form refuses to save over changes made since it was drawn."""

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets
        readonly = set(self.get_readonly_fields(request, obj))
        flat = flatten_fieldsets(fieldsets)
        if not [f for f in flat if f != LOADED_STATE and f not in readonly]:
            # Nothing can be saved (a locked design, a person's identity): no guard to draw.
            return [
                (name, {**options, "fields": [f for f in options["fields"] if f != LOADED_STATE]})
                for name, options in fieldsets
            ]
        if LOADED_STATE in flat:
            return fieldsets
        *first, (name, options) = fieldsets
        return [*first, (name, {**options, "fields": [*options["fields"], LOADED_STATE]})]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            return super().get_form(request, obj, change=change, **kwargs)
        if "fields" not in kwargs:
            kwargs["fields"] = flatten_fieldsets(self.get_fieldsets(request, obj))
        # ``fields=None`` is admin asking which fields the form has (get_fields): guarded too.
        if kwargs["fields"] is not None and LOADED_STATE not in kwargs["fields"]:
            return super().get_form(request, obj, change=change, **kwargs)
        token = fingerprint(obj)
        base = kwargs.pop("form", self.form)
        # ModelAdmin.get_form blanks declared fields that are read-only; keep doing so.
        readonly = dict.fromkeys(
            f for f in self.get_readonly_fields(request, obj) if f in base.declared_fields
        )
        guarded = type(
            base.__name__,
            (_GuardedForm, base),
            {
                **readonly,
                LOADED_STATE: forms.CharField(
                    widget=forms.HiddenInput, required=False, initial=token, label=""
                ),
            },
        )
        return super().get_form(request, obj, change=change, form=guarded, **kwargs)


class _GuardedForm(forms.ModelForm):
    def clean(self):
        cleaned = super().clean()
        token = self.data.get(self.add_prefix(LOADED_STATE))
        # A browser always sends the field it was given; a form posted without it (a script
        # that never drew the page) has nothing to compare and is judged by the rest.
        if token and self.instance.pk is not None:
            stored = type(self.instance)._default_manager.get(pk=self.instance.pk)
            changed = changed_since(token, stored)
            if changed:
                names = [
                    capfirst(str(stored._meta.get_field(name).verbose_name)) if name != "?" else "?"
                    for name in changed
                ]
                raise ValidationError(
                    _(
                        "Someone saved this record after you opened it (changed: %(fields)s). "
                        "Nothing was saved: reload the page to see the current values."
                    ),
                    code="stale",
                    params={"fields": ", ".join(names)},
                )
        return cleaned
