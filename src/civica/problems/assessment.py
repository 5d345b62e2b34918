"""Assessment: did the response happen as planned (process), and did the problem change
(impact, the locked evaluation designs of its interventions, by their own methods)?

The impact comes from :mod:`civica.interventions.methods` (each intervention's most recent
locked design; headline with its interval and displacement, figures); the process from the
milestones, planned against done. Nothing here computes an effect of its own.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from civica.interventions import methods
from civica.interventions.models import EvaluationDesign
from civica.problems import selectors


@dataclass(frozen=True)
class Process:
    planned: int
    done: int
    on_time: int
    late: int
    overdue: int  # not done, planned date passed
    pending: int  # not done, not yet due

    @property
    def as_planned(self) -> bool:
        return self.planned > 0 and self.done == self.planned and self.late == 0

    def sentence(self) -> str:
        if not self.planned:
            return _(
                "No milestone was planned, so whether the response happened as planned "
                "cannot be told."
            )
        done = ngettext(
            "%(done)s of %(planned)s planned milestone was done",
            "%(done)s of %(planned)s planned milestones were done",
            self.planned,
        ) % {"done": self.done, "planned": self.planned}
        detail = _(
            "%(on_time)s on time, %(late)s late, %(overdue)s overdue, %(pending)s not yet due"
        ) % {
            "on_time": self.on_time,
            "late": self.late,
            "overdue": self.overdue,
            "pending": self.pending,
        }
        verdict = (
            _("The response happened as planned")
            if self.as_planned
            else _("The response did not happen as planned")
        )
        return f"{verdict}: {done} ({detail})."


@dataclass(frozen=True)
class Impact:
    response: object
    design: EvaluationDesign | None
    headline: str
    figures: methods.Figures | None
    problem: str  # why there is no result, "" when there is one


@dataclass(frozen=True)
class Assessment:
    process: Process
    impacts: tuple[Impact, ...]

    @property
    def evaluated(self) -> list[Impact]:
        return [i for i in self.impacts if i.figures is not None]


def process_of(responses, today: dt.date | None = None) -> Process:
    today = today or dt.date.today()
    milestones = [m for r in responses for m in r.milestones.all()]
    done = [m for m in milestones if m.done_date is not None]
    open_ = [m for m in milestones if m.done_date is None]
    return Process(
        planned=len(milestones),
        done=len(done),
        on_time=sum(m.on_time for m in done),
        late=sum(not m.on_time for m in done),
        overdue=sum(m.planned_date < today for m in open_),
        pending=sum(m.planned_date >= today for m in open_),
    )


def assess(user, problem, today: dt.date | None = None) -> Assessment:
    responses = list(selectors.responses(user, problem))
    impacts = []
    for response in responses:
        design = (
            EvaluationDesign.objects.filter(
                intervention=response.intervention, locked_at__isnull=False
            )
            .order_by("-locked_at")
            .first()
        )
        if design is None:
            impacts.append(
                Impact(
                    response,
                    None,
                    "",
                    None,
                    _("No locked evaluation design yet: lock one before reading results."),
                )
            )
            continue
        try:
            result = methods.evaluate(user, design)
        except ValueError as error:  # EvaluationError and the selectors' data questions
            impacts.append(Impact(response, design, "", None, str(error)))
            continue
        impacts.append(
            Impact(response, design, methods.headline(result), methods.figures(result), "")
        )
    return Assessment(process_of(responses, today), tuple(impacts))
