"""Template filters that turn internal identifiers into what a reader understands."""

import re

from django import template
from django.apps import apps
from django.utils.translation import gettext_lazy as _

register = template.Library()

# Record types the audit log names that are not Django models (and models of libraries
# without a Spanish name); web/tests/test_audit_record_types.py finds every record type the
# code writes and fails on one that would show untranslated.
NOT_MODELS = {
    "warehouse.Snapshot": _("data snapshot"),
    "monitoring.report": _("program report"),
    "monitoring.persons_reached": _("list of persons reached"),
    "monitoring.services_delivered": _("list of services delivered"),
    "incidents": _("incident layer"),
    "justice.Indicator": _("civic justice indicators"),
    "official.series": _("official statistics series"),
    "police.official": _("official police figures"),
    "knox.AuthToken": _("API token"),
    "police.calls": _("calls for service per sector"),
    "core.ImportedFile": _("imported file"),
}


@register.filter
def model_label(label: str) -> str:
    """``"monitoring.Indicator"`` → the model's name in the active language ("indicador");
    an unknown label is returned as it is (an old record type stays readable)."""
    if label in NOT_MODELS:
        return str(NOT_MODELS[label])
    try:
        return str(apps.get_model(label)._meta.verbose_name)
    except (LookupError, ValueError):
        return label


MODEL_LABEL = re.compile(r"\b([a-z_]+)\.([A-Z]\w+)\b")


@register.filter
def model_labels(text: str) -> str:
    """Every ``app.Model`` inside ``text`` (an import's dataset name) written as
    :func:`model_label` writes it; the rest of the text is kept."""
    return MODEL_LABEL.sub(lambda m: model_label(m.group(0)), str(text or ""))
