"""A lottery applicant's outcome at 6 or 12 months is read from the follow-ups of her case;
the outcome recorded by hand is only for those without one (another source); who has
neither is lost to follow-up in the CONSORT flow."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from civica.participants import casework
from civica.participants.models import Track
from civica.reinsertion import lottery as service
from civica.reinsertion import services
from civica.reinsertion.evaluation import evaluate
from civica.reinsertion.models import Applicant, Arm, Lottery
from civica.reinsertion.outcomes import Source, observed_outcomes
from civica.reinsertion.tests.factories import woman


@pytest.fixture
def drawn(personas, territory):
    made = service.create_lottery(
        actor=personas.supervisor_a,
        organization=personas.org_a,
        name="Reinserción 2024",
        places=6,
        track=Track.REINSERTION,
    )
    for n in range(14):
        service.add_applicant(
            actor=personas.supervisor_a,
            lottery=made,
            person=woman(personas, territory, n),
            applied_on=dt.date(2024, 1, 10),
            risk_level="high",
        )
    made = service.draw(actor=personas.supervisor_a, lottery=made, seed=7)
    # Drawn a year and a half ago, so that 6- and 12-month follow-ups exist.
    Lottery.objects.filter(pk=made.pk).update(
        drawn_at=timezone.make_aware(dt.datetime(2024, 1, 20, 10))
    )
    made.refresh_from_db()
    return made


def _enroll_and_exit(personas, applicant, exit_date=dt.date(2024, 3, 1)):
    applicant = service.enroll_applicant(
        actor=personas.supervisor_a,
        applicant=applicant,
        start_date=dt.date(2024, 2, 1),
        referral_source="civic_judge",
    )
    case = applicant.enrollment
    casework.close_enrollment(
        actor=personas.supervisor_a,
        enrollment=case,
        version=case.version,
        exit_date=exit_date,
        closure_reason="completed",
    )
    return case


def _follow_up(personas, case, months, *, activity="employed", arrest=False, prison=False):
    return services.record_follow_up(
        actor=personas.supervisor_a,
        enrollment=case,
        months=months,
        date=dt.date(2024, 3, 1) + dt.timedelta(days=31 * months),
        housing="stable",
        activity=activity,
        new_arrest=arrest,
        new_imprisonment=prison,
    )


def test_outcomes_are_read_from_follow_ups_and_the_rest_is_attrition(personas, drawn):
    winners = list(Applicant.objects.filter(lottery=drawn, arm=Arm.PROGRAM).order_by("id"))
    comparison = list(Applicant.objects.filter(lottery=drawn, arm=Arm.CONTROL).order_by("id"))
    assert len(winners) == 6 and len(comparison) == 8
    for i, applicant in enumerate(winners[:5]):
        case = _enroll_and_exit(personas, applicant)
        _follow_up(personas, case, 6, activity="studying" if i % 2 else "neither")
        _follow_up(personas, case, 12, prison=i == 0)
    # The comparison group has no case: the evaluation's survey, for six of the eight.
    for i, applicant in enumerate(comparison[:6]):
        for months in (6, 12):
            service.record_outcome(
                actor=personas.supervisor_a,
                applicant=applicant,
                months=months,
                recorded_on=dt.date(2024, 1, 20) + dt.timedelta(days=31 * months),
                employed_or_studying=i % 3 == 0,
                new_justice_contact=i == 1,
            )
    found = observed_outcomes(drawn)
    first = found[(winners[0].pk, 12)]
    # New imprisonment counts as a new arrest (justice contact); work is read from activity.
    assert first.source == Source.FOLLOW_UP and first.new_justice_contact is True
    assert first.employed_or_studying is True
    assert found[(winners[0].pk, 6)].employed_or_studying is False  # "neither"
    assert found[(winners[1].pk, 6)].employed_or_studying is True  # "studying"
    assert found[(comparison[0].pk, 6)].source == Source.OTHER
    assert (winners[5].pk, 6) not in found and (comparison[7].pk, 12) not in found

    result = evaluate(drawn)
    twelve = next(
        e for e in result.effects if e.months == 12 and e.outcome == "new_justice_contact"
    )
    assert twelve.flow.followed_program == 5 and twelve.flow.followed_control == 6
    assert twelve.lost_program == 1 and twelve.lost_control == 2
    assert twelve.from_follow_ups == 5 and twelve.from_other_source == 6
    # By hand: program 1 of 5 with a new arrest or imprisonment, comparison 1 of 6.
    assert twelve.mean_program == pytest.approx(1 / 5)
    assert twelve.mean_control == pytest.approx(1 / 6)
    six = next(e for e in result.effects if e.months == 6 and e.outcome == "employed_or_studying")
    # Winners 1 and 3 studying (of 5); comparison 0 and 3 (of 6).
    assert six.mean_program == pytest.approx(2 / 5)
    assert six.mean_control == pytest.approx(2 / 6)
    assert six.itt is not None
    assert six.itt.estimate == pytest.approx(2 / 5 - 2 / 6)


def test_an_outcome_a_follow_up_gives_is_not_entered_by_hand(personas, drawn):
    winner = Applicant.objects.filter(lottery=drawn, arm=Arm.PROGRAM).first()
    case = _enroll_and_exit(personas, winner)
    _follow_up(personas, case, 6)
    with pytest.raises(ValidationError) as refused:
        service.record_outcome(
            actor=personas.supervisor_a,
            applicant=winner,
            months=6,
            recorded_on=dt.date(2024, 9, 1),
            employed_or_studying=False,
            new_justice_contact=False,
        )
    assert refused.value.code == "follow_up_exists"


def test_a_follow_up_before_the_draw_is_no_outcome(personas, drawn):
    winner = Applicant.objects.filter(lottery=drawn, arm=Arm.PROGRAM).first()
    # Her case closed and followed up before the lottery was drawn (moved later than that).
    case = _enroll_and_exit(personas, winner)
    _follow_up(personas, case, 6)
    Lottery.objects.filter(pk=drawn.pk).update(
        drawn_at=timezone.make_aware(dt.datetime(2025, 6, 1, 10))
    )
    drawn.refresh_from_db()
    assert (winner.pk, 6) not in observed_outcomes(drawn)
