"""Writes of a lottery: applicants, the draw (seeded, recorded and locked in one transaction),
enrolment of winners, crossovers, freed places offered in waiting-list order, outcomes.

What would break the lottery is refused: drawing twice, adding applicants or changing strata
or places after the draw, and enrolling a person of the comparison group without recording
the crossover and its reason.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civica.accounts import access, scope
from civica.accounts.roles import Capability
from civica.audit.services import Action, record
from civica.participants import casework
from civica.participants import selectors as people
from civica.participants.models import Purpose, Track
from civica.participants.services import require_consent
from civica.reinsertion.models import (
    Applicant,
    ApplicantOutcome,
    Arm,
    Lottery,
    LotteryStatus,
    StratumField,
)
from civica.reinsertion.outcomes import follow_up_answers
from civica.stats.lottery import draw_lottery

__all__ = [
    "add_applicant",
    "choose_instrument",
    "create_lottery",
    "draw",
    "eligibility_rule",
    "enroll_applicant",
    "next_on_waiting_list",
    "record_outcome",
    "screen_applicant",
    "screening_result",
    "stratum_of",
    "verify",
]


def _require_organization(actor, organization_id: int) -> None:
    if access.is_system(actor):
        return
    if not actor.can(Capability.EDIT_RECORDS) or not actor.can(Capability.VIEW_PERSONAL_DATA):
        raise PermissionDenied(_("Your role cannot run lotteries."))
    ids = scope.person_organization_ids(actor)
    if ids is not None and organization_id not in ids:
        raise PermissionDenied(_("You do not belong to that organization."))


def create_lottery(
    *, actor, organization, name: str, places: int, strata=(), track=Track.REINSERTION
) -> Lottery:
    _require_organization(actor, organization.pk)
    if track not in Track.values:
        raise ValidationError({"track": _("Unknown program.")})
    lottery = Lottery(
        organization=organization, name=name, places=places, strata=list(strata), track=track
    )
    lottery.full_clean()
    lottery.save()
    record(actor=actor, action=Action.CREATE, obj=lottery, detail={"strata": lottery.strata})
    return lottery


def _refuse_if_drawn(lottery: Lottery, what: str) -> None:
    if Lottery.objects.filter(pk=lottery.pk, status=LotteryStatus.DRAWN).exists():
        raise ValidationError(
            _("The lottery was drawn and locked: %(what)s is refused.") % {"what": what},
            code="lottery_locked",
        )


def change_strata(*, actor, lottery: Lottery, strata) -> Lottery:
    """Change the strata of a lottery not yet drawn."""
    _require_organization(actor, lottery.organization_id)
    _refuse_if_drawn(lottery, _("changing the strata"))
    lottery.strata = list(strata)
    lottery.full_clean()
    lottery.save(update_fields=["strata"])
    record(actor=actor, action=Action.UPDATE, obj=lottery, detail={"strata": lottery.strata})
    return lottery


def choose_instrument(*, actor, lottery: Lottery, instrument) -> Lottery:
    """The screening instrument (a version of one of participants' instruments) that decides
    who is eligible; refused once the lottery is drawn."""
    _require_organization(actor, lottery.organization_id)
    _refuse_if_drawn(lottery, _("changing the eligibility instrument"))
    lottery.instrument = instrument
    lottery.full_clean()
    lottery.save(update_fields=["instrument"])
    record(
        actor=actor,
        action=Action.UPDATE,
        obj=lottery,
        detail={"instrument": f"{instrument.code} v{instrument.version}" if instrument else ""},
    )
    return lottery


def eligibility_rule(instrument) -> str:
    """The instrument's rule in words: how many scales must reach their thresholds."""
    scales = ", ".join(
        f"{scale.get('label') or scale['code']} ≥ {scale['threshold']}"
        for scale in instrument.scales
    )
    return _(
        "Eligible when at least %(n)s of its %(m)s scales reach their threshold (%(scales)s)."
    ) % {
        "n": instrument.definition["eligibility"]["min_scales"],
        "m": len(instrument.scales),
        "scales": scales,
    }


def screening_result(screening) -> str:
    """A screening's verdict with the scores that led to it, for the page."""
    instrument = screening.instrument
    scores = ", ".join(
        f"{scale.get('label') or scale['code']} {screening.scores.get(scale['code'])}"
        f"{' ≥ ' if scale['code'] in screening.at_or_above else ' < '}{scale['threshold']}"
        for scale in instrument.scales
    )
    verdict = _("eligible") if screening.eligible else _("not eligible")
    return _(
        "%(pid)s: %(verdict)s — %(k)s of %(m)s scales at threshold, %(n)s needed (%(scores)s)."
    ) % {
        "pid": screening.person.pid,
        "verdict": verdict,
        "k": len(screening.at_or_above),
        "m": len(instrument.scales),
        "n": instrument.definition["eligibility"]["min_scales"],
        "scores": scores,
    }


def screen_applicant(
    *, actor, lottery: Lottery, person, date: dt.date, answers: dict, risk_level: str
) -> Applicant:
    """Screen a person with the lottery's instrument and make her an applicant (or update the
    eligibility of an applicant already added): her eligibility is the screening's."""
    _require_organization(actor, lottery.organization_id)
    _refuse_if_drawn(lottery, _("adding an applicant"))
    if lottery.instrument_id is None:
        raise ValidationError(
            _("Choose the lottery's eligibility instrument first."), code="no_instrument"
        )
    with transaction.atomic():
        screening = casework.apply_screening(
            actor=actor,
            person=person,
            organization=lottery.organization,
            instrument=lottery.instrument,
            date=date,
            answers=answers,
        )
        applicant = Applicant.objects.filter(lottery=lottery, person=person).first()
        if applicant is None:
            return add_applicant(
                actor=actor,
                lottery=lottery,
                person=person,
                applied_on=date,
                risk_level=risk_level,
                screening=screening,
            )
        applicant.screening = screening
        applicant.eligible = screening.eligible
        applicant.risk_level = risk_level
        applicant.full_clean()
        applicant.save(update_fields=["screening", "eligible", "risk_level"])
        record(
            actor=actor,
            action=Action.UPDATE,
            obj=applicant,
            detail={"eligible": applicant.eligible, "screening": screening.pk},
        )
        return applicant


def add_applicant(
    *,
    actor,
    lottery: Lottery,
    person,
    applied_on: dt.date,
    risk_level: str,
    screening=None,
    eligible: bool | None = None,
) -> Applicant:
    """Add an applicant; with an eligibility screening, eligibility is the screening's."""
    _require_organization(actor, lottery.organization_id)
    people.require_person(actor, person)
    _refuse_if_drawn(lottery, _("adding an applicant"))
    require_consent(person, Purpose.PARTICIPATION, applied_on)
    if screening is not None:
        if screening.person_id != person.pk:
            raise ValidationError(_("The screening is of another person."))
        if lottery.instrument_id and screening.instrument.code != lottery.instrument.code:
            raise ValidationError(
                _("The screening used another instrument than the lottery's (%(name)s).")
                % {"name": lottery.instrument},
                code="other_instrument",
            )
        eligible = screening.eligible
    applicant = Applicant(
        lottery=lottery,
        person=person,
        applied_on=applied_on,
        risk_level=risk_level,
        screening=screening,
        eligible=True if eligible is None else bool(eligible),
    )
    applicant.full_clean()
    applicant.save()
    record(
        actor=actor, action=Action.CREATE, obj=applicant, detail={"eligible": applicant.eligible}
    )
    return applicant


def stratum_of(applicant: Applicant, fields) -> str:
    values = {
        StratumField.SEX: applicant.person.sex,
        StratumField.MUNICIPALITY: applicant.person.municipality.cvegeo,
        StratumField.RISK: applicant.risk_level,
    }
    return "|".join(f"{f}={values[f]}" for f in fields) or "all"


def _fingerprint(rows) -> str:
    text = "\n".join(f"{a.person.pid};{a.stratum}" for a in rows)
    return hashlib.sha256(text.encode()).hexdigest()


def _eligible(lottery: Lottery):
    return list(
        Applicant.objects.filter(lottery=lottery, eligible=True)
        .select_related("person__municipality")
        .order_by("id")
    )


def draw(*, actor, lottery: Lottery, seed: int | None = None) -> Lottery:
    """Draw and lock in one transaction: nobody sees a winner before the draw is stored."""
    _require_organization(actor, lottery.organization_id)
    with transaction.atomic():
        locked = Lottery.objects.select_for_update().get(pk=lottery.pk)
        if locked.status == LotteryStatus.DRAWN:
            raise ValidationError(
                _("This lottery was already drawn (seed %(seed)s); a lottery is drawn once.")
                % {"seed": locked.seed},
                code="already_drawn",
            )
        rows = _eligible(locked)
        if len(rows) <= locked.places:
            raise ValidationError(
                _(
                    "%(n)s eligible applicants for %(p)s places: everyone gets a place, no "
                    "lottery is needed. Enroll them."
                )
                % {"n": len(rows), "p": locked.places},
                code="not_oversubscribed",
            )
        seed = secrets.randbits(62) if seed is None else int(seed)
        for applicant in rows:
            applicant.stratum = stratum_of(applicant, locked.strata)
        result = draw_lottery([a.stratum for a in rows], locked.places, seed)
        chance = result.probability()
        winners = set(result.winners)
        waiting = {index: position for position, index in enumerate(result.waiting_list, 1)}
        for index, applicant in enumerate(rows):
            applicant.arm = Arm.PROGRAM if index in winners else Arm.CONTROL
            applicant.rank = result.rank[index]
            applicant.waitlist_position = waiting.get(index)
            applicant.probability = float(chance[index])
        Applicant.objects.bulk_update(
            rows, ["stratum", "arm", "rank", "waitlist_position", "probability"]
        )
        locked.seed = seed
        locked.fingerprint = _fingerprint(rows)
        locked.status = LotteryStatus.DRAWN
        locked.drawn_at = timezone.now()
        locked.drawn_by = (
            access.user_of(actor) if getattr(actor, "is_authenticated", False) else None
        )
        locked.save(update_fields=["seed", "fingerprint", "status", "drawn_at", "drawn_by"])
        record(
            actor=actor,
            action=Action.UPDATE,
            obj=locked,
            detail={
                "draw": True,
                "seed": str(seed),
                "fingerprint": locked.fingerprint,
                "applicants": len(rows),
                "places": locked.places,
            },
        )
    return locked


def verify(lottery: Lottery) -> bool:
    """Draw again from the recorded seed and applicants: the same winners and waiting list."""
    if not lottery.drawn:
        return False
    rows = _eligible(lottery)
    if _fingerprint(rows) != lottery.fingerprint:
        return False
    result = draw_lottery([a.stratum for a in rows], lottery.places, lottery.seed)
    winners = {rows[i].pk for i in result.winners}
    order = [rows[i].pk for i in result.waiting_list]
    stored_winners = {a.pk for a in rows if a.arm == Arm.PROGRAM}
    stored_order = [
        a.pk for a in sorted(rows, key=lambda a: a.waitlist_position or 0) if a.arm == Arm.CONTROL
    ]
    return winners == stored_winners and order == stored_order


def next_on_waiting_list(lottery: Lottery) -> Applicant | None:
    """The comparison applicant a freed place is offered to: the first on the waiting list
    not yet enrolled. Enrolling her is a crossover and is recorded as one."""
    return (
        Applicant.objects.filter(lottery=lottery, arm=Arm.CONTROL, enrollment__isnull=True)
        .order_by("waitlist_position")
        .first()
    )


def enroll_applicant(
    *,
    actor,
    applicant: Applicant,
    start_date: dt.date,
    referral_source: str,
    case_worker=None,
    crossover_reason: str = "",
) -> Applicant:
    """Enroll a drawn applicant in the lottery's program; a person of the comparison group
    only with a recorded crossover (its reason), which the evaluation counts as take-up."""
    lottery = applicant.lottery
    _require_organization(actor, lottery.organization_id)
    if not lottery.drawn:
        raise ValidationError(_("Draw the lottery before enrolling anyone."), code="not_drawn")
    if applicant.arm == Arm.NONE:
        raise ValidationError(
            _("This applicant was not in the draw (not eligible)."), code="not_drawn"
        )
    if applicant.enrollment_id:
        raise ValidationError(_("Already enrolled."), code="already_enrolled")
    crossover_reason = (crossover_reason or "").strip()
    if applicant.arm == Arm.CONTROL and not crossover_reason:
        raise ValidationError(
            _(
                "%(pid)s is in the comparison group: enrolling her is a crossover. Record the "
                "crossover and its reason (for example, a place freed on the waiting list)."
            )
            % {"pid": applicant.person.pid},
            code="crossover_required",
        )
    with transaction.atomic():
        enrollment = casework.enroll(
            actor=actor,
            person=applicant.person,
            organization=lottery.organization,
            track=lottery.track,
            referral_source=referral_source,
            start_date=start_date,
            case_worker=case_worker,
        )
        applicant.enrollment = enrollment
        fields = ["enrollment"]
        if applicant.arm == Arm.CONTROL:
            applicant.crossover_reason = crossover_reason
            applicant.crossover_on = start_date
            fields += ["crossover_reason", "crossover_on"]
        applicant.save(update_fields=fields)
        record(
            actor=actor,
            action=Action.UPDATE,
            obj=applicant,
            detail={"enrolled": True, "crossover": applicant.arm == Arm.CONTROL},
        )
    return applicant


def record_outcome(
    *,
    actor,
    applicant: Applicant,
    months: int,
    recorded_on: dt.date,
    employed_or_studying: bool,
    new_justice_contact: bool,
) -> ApplicantOutcome:
    """An outcome from another source than a follow-up of a case in Cívica (the evaluation
    organization's survey of a person of the comparison group, who has no case): refused when
    a follow-up of one of her cases already gives it (``follow_up_exists``), so that each
    outcome has one source (``reinsertion.outcomes``)."""
    _require_organization(actor, applicant.lottery.organization_id)
    people.require_person(actor, applicant.person)
    require_consent(applicant.person, Purpose.FOLLOW_UP, recorded_on)
    if follow_up_answers(applicant, months):
        raise ValidationError(
            _(
                "The follow-up of %(pid)s at %(months)s months already gives her outcome: it is "
                "read from there, not entered again."
            )
            % {"pid": applicant.person.pid, "months": months},
            code="follow_up_exists",
        )
    outcome = ApplicantOutcome(
        applicant=applicant,
        months=months,
        recorded_on=recorded_on,
        employed_or_studying=employed_or_studying,
        new_justice_contact=new_justice_contact,
    )
    outcome.full_clean()
    outcome.save()
    record(
        actor=actor,
        action=Action.CREATE,
        obj=outcome,
        object_label=applicant.audit_label,
        detail={"months": months},
    )
    return outcome
