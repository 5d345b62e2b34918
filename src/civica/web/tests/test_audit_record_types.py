"""Every record type the code writes to the audit log reads as words in Spanish.

The record types are found in the source (``object_type="app.Thing"``), not listed by hand,
so a new download or service that audits under a new type fails here until it has a name.
"""

import re
from pathlib import Path

import pytest
from django.apps import apps
from django.utils import translation

from civica.monitoring.reports.people import KINDS
from civica.web.templatetags.civica_labels import NOT_MODELS, model_label

SOURCE = Path(__file__).resolve().parents[2]
LITERAL = re.compile(r'object_type=f?"([^"]+)"')
# Words spelled the same in both languages.
SAME_IN_BOTH = {"sector"}


def written_record_types() -> set[str]:
    found = set()
    for path in SOURCE.rglob("*.py"):
        if "tests" in path.parts:
            continue
        for value in LITERAL.findall(path.read_text(encoding="utf-8")):
            if value == "monitoring.{people.KINDS[figure['kind']]}":
                found.update(f"monitoring.{name}" for name in KINDS.values())
            else:
                assert "{" not in value, f"{path}: a record type built at run time: {value}"
                found.add(value)
    return found


def test_the_source_writes_record_types():
    # The scan itself must find what it looks for, or the test below checks nothing.
    types = written_record_types()
    assert {"participants.Person", "monitoring.report", "monitoring.persons_reached"} <= types


@pytest.mark.parametrize("record_type", sorted(written_record_types()))
def test_every_record_type_has_a_spanish_name(record_type):
    if record_type not in NOT_MODELS:
        apps.get_model(record_type)  # a model, or a name NOT_MODELS must hold
    with translation.override("es-mx"):
        spanish = model_label(record_type)
    with translation.override("en"):
        english = model_label(record_type)
    assert spanish != record_type
    assert spanish != english or spanish in SAME_IN_BOTH, (record_type, spanish)
