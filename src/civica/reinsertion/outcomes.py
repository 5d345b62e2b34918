"""Where a lottery applicant's outcome at 6 or 12 months comes from.

The outcome is read from the follow-ups of her case — reinsertion's follow-ups after
release or exit, or the participants' follow-up outcomes, both read alike through
``participants.FollowUpAtMonths`` (working or studying; a new arrest, imprisonment or other
justice contact). Her case is the one the lottery gave her (winners who took the place,
crossovers) or, otherwise, her latest reinsertion or detention case with the lottery's
organization (a comparison woman followed after her release from detention).

A person of the comparison group usually has no case in the program, so nobody in Cívica
follows her up: the evaluation organization surveys her. That is the one use of the outcome
recorded by hand for the evaluation (``ApplicantOutcome``, "another source"), and it counts
only where no follow-up of a case answers. Who has neither is lost to follow-up (attrition
in the CONSORT flow).

Only follow-ups dated on or after the draw count: one before it is a baseline, not an
outcome.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civica.participants.models import Enrollment, Outcome, Track
from civica.reinsertion.models import (
    OUTCOME_MONTHS,
    Applicant,
    ApplicantOutcome,
    Lottery,
    ReleaseFollowUp,
)

__all__ = ["Observed", "Source", "observed_outcomes"]

#: Cases whose follow-ups can answer for an applicant who did not take up the place.
REINSERTION_TRACKS = (Track.REINSERTION, Track.WOMEN_DETENTION)


class Source(models.TextChoices):
    FOLLOW_UP = "follow_up", _("follow-up of her case")
    OTHER = "other", _("recorded for the evaluation (another source)")


@dataclass(frozen=True)
class Observed:
    employed_or_studying: bool | None
    new_justice_contact: bool | None
    source: str


def _cases(applicants: list[Applicant], lottery: Lottery) -> dict[int, list[int]]:
    """Per applicant, the enrollments whose follow-ups answer for her, preferred first."""
    persons = {a.person_id for a in applicants}
    tracks = {*REINSERTION_TRACKS, lottery.track}
    others: dict[int, list[int]] = {}
    for person_id, pk in (
        Enrollment.objects.filter(
            person_id__in=persons, organization_id=lottery.organization_id, track__in=tracks
        )
        .order_by("-start_date", "-id")
        .values_list("person_id", "id")
    ):
        others.setdefault(person_id, []).append(pk)
    cases = {}
    for a in applicants:
        own = [a.enrollment_id] if a.enrollment_id else []
        cases[a.pk] = own + [pk for pk in others.get(a.person_id, []) if pk != a.enrollment_id]
    return cases


def observed_outcomes(lottery: Lottery) -> dict[tuple[int, int], Observed]:
    """``{(applicant id, months): Observed}`` for the applicants with an outcome at 6 or 12
    months; an applicant missing at a month has none from any source."""
    if not lottery.drawn_at:
        return {}
    drawn_on = timezone.localtime(lottery.drawn_at).date()
    applicants = list(Applicant.objects.filter(lottery=lottery).exclude(arm=""))
    cases = _cases(applicants, lottery)
    ids = {pk for pks in cases.values() for pk in pks}
    follow_ups: dict[tuple[int, int], object] = {}
    # Read in this order, later rows win: reinsertion's own follow-up of a case and month
    # over the participants' outcome of the same case and month.
    for model, date in ((Outcome, "recorded_on"), (ReleaseFollowUp, "date")):
        rows = model.objects.filter(
            enrollment_id__in=ids, months__in=OUTCOME_MONTHS, **{f"{date}__gte": drawn_on}
        ).order_by(date)
        for row in rows:
            follow_ups[(row.enrollment_id, row.months)] = row
    entered = {
        (o.applicant_id, o.months): o
        for o in ApplicantOutcome.objects.filter(applicant__lottery=lottery)
    }
    found: dict[tuple[int, int], Observed] = {}
    for a in applicants:
        for months in OUTCOME_MONTHS:
            row = next(
                (follow_ups[(pk, months)] for pk in cases[a.pk] if (pk, months) in follow_ups),
                None,
            )
            if row is not None:
                found[(a.pk, months)] = Observed(
                    row.employed_or_studying, row.new_justice_contact, Source.FOLLOW_UP
                )
            elif (a.pk, months) in entered:
                o = entered[(a.pk, months)]
                found[(a.pk, months)] = Observed(
                    o.employed_or_studying, o.new_justice_contact, Source.OTHER
                )
    return found


def follow_up_answers(applicant: Applicant, months: int) -> bool:
    """Whether a follow-up of one of her cases already gives her outcome at ``months``."""
    found = observed_outcomes(applicant.lottery)
    hit = found.get((applicant.pk, months))
    return hit is not None and hit.source == Source.FOLLOW_UP
