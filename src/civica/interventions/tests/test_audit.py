"""Creating an intervention or a design, importing a file and locking a design each leave
an event in the audit log."""

import pytest

from civica.audit.models import Action, AuditEvent
from civica.interventions.models import EvaluationDesign, Intervention
from civica.interventions.services import create_design, create_intervention, lock_design
from civica.interventions.tests.factories import (
    design_fields,
    intervention_fields,
    make_comparison_sector,
)

pytestmark = pytest.mark.django_db


def events_of(obj):
    return AuditEvent.objects.filter(object_type=obj._meta.label, object_id=str(obj.pk))


def test_creating_an_intervention_is_recorded(personas, territory):
    intervention = create_intervention(
        actor=personas.analyst_cuauhtemoc,
        target_sectors=[territory.sectors["09015"]],
        **intervention_fields(territory),
    )
    event = events_of(intervention).get()
    assert event.action == Action.CREATE
    assert event.actor_username == "ana"
    assert event.detail["sectors"] == ["Sector Cuauhtémoc"]
    assert event.detail["municipality"] == "09015"


def test_creating_and_locking_a_design_is_recorded(personas, territory):
    actor = personas.analyst_cuauhtemoc
    intervention = create_intervention(
        actor=actor, target_sectors=[territory.sectors["09015"]], **intervention_fields(territory)
    )
    design = create_design(
        actor=actor,
        intervention=intervention,
        comparison_sectors=[make_comparison_sector(territory)],
        **design_fields(),
    )
    lock_design(design=design, actor=actor)
    actions = list(events_of(design).order_by("id").values_list("action", "actor_username"))
    assert actions == [(Action.CREATE, "ana"), (Action.UPDATE, "ana")]
    assert (
        events_of(design).order_by("id").last().detail["locked_at"] == design.locked_at.isoformat()
    )


def test_a_refused_write_leaves_no_record_and_no_row(personas, territory):
    with pytest.raises(Exception):  # noqa: B017 - any refusal will do
        create_intervention(
            actor=personas.analyst_cuauhtemoc,
            target_sectors=[territory.sectors["02004"]],
            **intervention_fields(territory),
        )
    assert not Intervention.objects.exists()
    assert not EvaluationDesign.objects.exists()
    assert not AuditEvent.objects.filter(object_type="interventions.Intervention").exists()
