"""A lottery is drawn once, locked with its seed before anyone sees who won, keeps its
waiting list, and refuses re-drawing, changing strata or places after the draw, and enrolling
a comparison person without a recorded crossover."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from civica.audit.models import AuditEvent
from civica.participants.models import Track
from civica.reinsertion import lottery as service
from civica.reinsertion.evaluation import evaluate
from civica.reinsertion.models import Applicant, Arm, Lottery
from civica.reinsertion.tests.factories import woman


@pytest.fixture
def drawn(personas, territory):
    lottery = service.create_lottery(
        actor=personas.supervisor_a,
        organization=personas.org_a,
        name="Reinserción comunitaria 2025",
        places=6,
        strata=["sex", "risk_level"],
        track=Track.REINSERTION,
    )
    for n in range(14):
        person = woman(personas, territory, n, sex="F" if n % 3 else "M")
        service.add_applicant(
            actor=personas.supervisor_a,
            lottery=lottery,
            person=person,
            applied_on=dt.date(2024, 1, 10),
            risk_level="high" if n % 2 else "medium",
            eligible=n != 13,
        )
    return service.draw(actor=personas.supervisor_a, lottery=lottery, seed=20250101)


def test_the_draw_is_recorded_with_its_seed_and_can_be_checked(drawn):
    assert drawn.drawn and drawn.seed == 20250101 and len(drawn.fingerprint) == 64
    arms = list(Applicant.objects.filter(lottery=drawn).values_list("arm", flat=True))
    assert arms.count(Arm.PROGRAM) == 6 and arms.count(Arm.CONTROL) == 7
    assert arms.count(Arm.NONE) == 1  # the ineligible applicant is not drawn
    waiting = list(
        Applicant.objects.filter(lottery=drawn, arm=Arm.CONTROL)
        .order_by("waitlist_position")
        .values_list("waitlist_position", flat=True)
    )
    assert waiting == list(range(1, 8))
    assert service.verify(drawn)
    event = AuditEvent.objects.filter(object_type="reinsertion.Lottery", detail__draw=True).get()
    assert event.detail["seed"] == "20250101"


def test_drawing_again_is_refused(personas, drawn):
    with pytest.raises(ValidationError, match="ya se realizó"):
        service.draw(actor=personas.supervisor_a, lottery=drawn)


def test_strata_and_places_cannot_change_after_the_draw(personas, drawn):
    with pytest.raises(ValidationError):
        service.change_strata(actor=personas.supervisor_a, lottery=drawn, strata=["sex"])
    drawn.refresh_from_db()
    drawn.strata = ["municipality"]
    with pytest.raises(ValidationError):
        drawn.save()
    drawn.refresh_from_db()
    drawn.places = 9
    with pytest.raises(ValidationError):
        drawn.save()
    assert Lottery.objects.get(pk=drawn.pk).strata == ["sex", "risk_level"]


def test_no_applicant_joins_after_the_draw(personas, territory, drawn):
    late = woman(personas, territory, 40)
    with pytest.raises(ValidationError, match="bloqueado"):
        service.add_applicant(
            actor=personas.supervisor_a,
            lottery=drawn,
            person=late,
            applied_on=dt.date(2024, 2, 1),
            risk_level="high",
        )


def test_a_comparison_person_is_enrolled_only_as_a_recorded_crossover(personas, drawn):
    control = service.next_on_waiting_list(drawn)
    assert control.arm == Arm.CONTROL and control.waitlist_position == 1
    with pytest.raises(ValidationError, match="cruce"):
        service.enroll_applicant(
            actor=personas.supervisor_a,
            applicant=control,
            start_date=dt.date(2024, 2, 1),
            referral_source="civic_judge",
        )
    service.enroll_applicant(
        actor=personas.supervisor_a,
        applicant=control,
        start_date=dt.date(2024, 2, 1),
        referral_source="civic_judge",
        crossover_reason="Lugar liberado por una ganadora",
    )
    control.refresh_from_db()
    assert control.took_up and control.crossover_on == dt.date(2024, 2, 1)
    assert service.next_on_waiting_list(drawn).waitlist_position == 2


def test_a_lottery_with_places_for_everyone_is_not_drawn(personas, territory):
    lottery = service.create_lottery(
        actor=personas.supervisor_a,
        organization=personas.org_a,
        name="Pocas",
        places=5,
    )
    service.add_applicant(
        actor=personas.supervisor_a,
        lottery=lottery,
        person=woman(personas, territory, 50),
        applied_on=dt.date(2024, 1, 1),
        risk_level="low",
    )
    with pytest.raises(ValidationError, match="no hace falta sorteo"):
        service.draw(actor=personas.supervisor_a, lottery=lottery)


def test_evaluation_reads_balance_flow_and_effects(personas, drawn):
    winners = Applicant.objects.filter(lottery=drawn, arm=Arm.PROGRAM)
    for applicant in winners[:5]:
        service.enroll_applicant(
            actor=personas.supervisor_a,
            applicant=applicant,
            start_date=dt.date(2024, 2, 1),
            referral_source="detention",
        )
    for i, applicant in enumerate(Applicant.objects.filter(lottery=drawn).exclude(arm="")):
        service.record_outcome(
            actor=personas.supervisor_a,
            applicant=applicant,
            months=6,
            recorded_on=timezone.localdate(),
            employed_or_studying=applicant.arm == Arm.PROGRAM or i % 2 == 0,
            new_justice_contact=i % 4 == 0,
        )
    result = evaluate(drawn)
    assert {row.field for row in result.balance} >= {"mujer", "edad al solicitar"} or result.balance
    six = next(e for e in result.effects if e.months == 6 and e.outcome == "employed_or_studying")
    assert six.flow.assessed == 14 and six.flow.eligible == 13 and six.flow.randomized == 13
    assert six.flow.allocated_program == 6 and six.flow.received_program == 5
    assert six.itt is not None and six.itt.lower <= six.itt.estimate <= six.itt.upper
    assert six.tot is not None and six.tot.first_stage > 0
    twelve = next(e for e in result.effects if e.months == 12)
    assert twelve.itt is None and twelve.problem
