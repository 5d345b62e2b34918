"""The evaluation of a drawn lottery: CONSORT flow, balance of the two groups on baseline
fields, and the effects on outcomes 6 and 12 months after the draw (intention to treat and,
with take-up, treatment on the treated). Arrays are built here; the statistics are
``civica.stats.randomized`` (no Django).

Nothing here is personal: group means, counts and estimates. Groups are the whole arms, so
no small cell names a person; an outcome followed up for fewer than ``MIN_ANALYSED`` people
in either group is not estimated.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import numpy as np
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civica.reinsertion.models import OUTCOME_MONTHS, Applicant, Arm, Lottery
from civica.reinsertion.outcomes import Source, observed_outcomes
from civica.stats.randomized import (
    BalanceRow,
    ConsortFlow,
    Effect,
    balance_table,
    consort_flow,
    intention_to_treat,
    treatment_on_treated,
)

__all__ = ["OUTCOMES", "Evaluation", "evaluate"]

#: Fewer people with the outcome in a group than this: no estimate (too few to say anything).
MIN_ANALYSED = 5

OUTCOMES = {
    "employed_or_studying": gettext_lazy("working or studying"),
    "new_justice_contact": gettext_lazy("new arrest or justice contact"),
}
_RISK = {"low": 1, "medium": 2, "high": 3}


@dataclass(frozen=True)
class OutcomeEffects:
    outcome: str
    months: int
    flow: ConsortFlow
    mean_program: float | None
    mean_control: float | None
    itt: Effect | None
    tot: Effect | None
    problem: str = ""
    #: Randomized applicants without this outcome from any source (attrition), per group.
    lost_program: int = 0
    lost_control: int = 0
    #: Where the outcomes came from: follow-ups of a case, or recorded for the evaluation.
    from_follow_ups: int = 0
    from_other_source: int = 0


@dataclass(frozen=True)
class Evaluation:
    lottery: Lottery
    balance: list[BalanceRow]
    effects: list[OutcomeEffects] = field(default_factory=list)
    take_up_program: int = 0
    take_up_control: int = 0
    dropped_strata: int = 0


def _age(applicant: Applicant) -> float:
    index = applicant.person.birth_month_index
    if index is None:
        return float("nan")
    day = applicant.applied_on
    return float((day.year * 12 + day.month - 1 - index) // 12)


def _baseline(rows: list[Applicant]) -> dict[str, list[float]]:
    fields: dict[str, list[float]] = {
        _("female"): [1.0 if a.person.sex == "F" else 0.0 for a in rows],
        _("age at application"): [_age(a) for a in rows],
        _("risk level (1 low – 3 high)"): [float(_RISK.get(a.risk_level, np.nan)) for a in rows],
        _("scales at or above threshold"): [
            float(len(a.screening.at_or_above)) if a.screening_id else np.nan for a in rows
        ],
    }
    if not any(a.screening_id for a in rows):
        del fields[_("scales at or above threshold")]
    places = Counter(a.person.municipality.name for a in rows)
    for name, _count in places.most_common(5):
        fields[_("lives in %(place)s") % {"place": name}] = [
            1.0 if a.person.municipality.name == name else 0.0 for a in rows
        ]
    return fields


def evaluate(lottery: Lottery) -> Evaluation:
    """Balance and effects of a drawn lottery (``lottery.drawn`` must be true)."""
    everyone = list(
        Applicant.objects.filter(lottery=lottery)
        .select_related("person__municipality", "screening")
        .order_by("id")
    )
    drawn = [a for a in everyone if a.arm in (Arm.PROGRAM, Arm.CONTROL)]
    assigned = np.array([1 if a.arm == Arm.PROGRAM else 0 for a in drawn])
    balance = balance_table(_baseline(drawn), assigned) if drawn else []
    outcomes = observed_outcomes(lottery)

    def value(a: Applicant, months: int, outcome: str) -> float:
        seen = outcomes.get((a.pk, months))
        answer = getattr(seen, outcome) if seen is not None else None
        return np.nan if answer is None else float(answer)

    # Strata where everyone (or no one) won give no contrast: left out of the estimates.
    usable = [a for a in drawn if a.probability is not None and 0 < a.probability < 1]
    dropped = len({a.stratum for a in drawn} - {a.stratum for a in usable})
    effects = []
    for months in OUTCOME_MONTHS:
        for outcome in OUTCOMES:
            y = np.array([value(a, months, outcome) for a in usable])
            followed = {a.pk for a in drawn if not np.isnan(value(a, months, outcome))}
            sources = Counter(outcomes[(pk, months)].source for pk in followed)
            extra = {
                "lost_program": sum(
                    1 for a in drawn if a.arm == Arm.PROGRAM and a.pk not in followed
                ),
                "lost_control": sum(
                    1 for a in drawn if a.arm == Arm.CONTROL and a.pk not in followed
                ),
                "from_follow_ups": sources[Source.FOLLOW_UP],
                "from_other_source": sources[Source.OTHER],
            }
            z = np.array([1 if a.arm == Arm.PROGRAM else 0 for a in usable])
            d = np.array([1 if a.took_up else 0 for a in usable])
            flow = consort_flow(
                assessed=len(everyone),
                eligible=[a.eligible for a in everyone],
                assigned=[a.arm == Arm.PROGRAM for a in everyone],
                randomized=[a.arm != Arm.NONE for a in everyone],
                took_up=[a.took_up for a in everyone],
                followed=[a.pk in followed for a in everyone],
                analysed=[a.pk in followed and a in usable for a in everyone],
            )
            known = ~np.isnan(y)
            n1, n0 = int((known & (z == 1)).sum()), int((known & (z == 0)).sum())
            mean1 = float(y[known & (z == 1)].mean()) if n1 else None
            mean0 = float(y[known & (z == 0)].mean()) if n0 else None
            if min(n1, n0) < MIN_ANALYSED:
                effects.append(
                    OutcomeEffects(
                        outcome,
                        months,
                        flow,
                        mean1,
                        mean0,
                        None,
                        None,
                        _("fewer than %(n)s followed up in a group: no estimate")
                        % {"n": MIN_ANALYSED},
                        **extra,
                    )
                )
                continue
            strata = [a.stratum for a in usable]
            p = [a.probability for a in usable]
            itt = intention_to_treat(y, z, strata, p)
            try:
                tot = treatment_on_treated(y, d, z, strata, p)
                problem = ""
            except ValueError:
                tot, problem = None, _("no one has been enrolled yet: no effect on the treated")
            effects.append(
                OutcomeEffects(outcome, months, flow, mean1, mean0, itt, tot, problem, **extra)
            )
    return Evaluation(
        lottery=lottery,
        balance=balance,
        effects=effects,
        take_up_program=sum(1 for a in drawn if a.arm == Arm.PROGRAM and a.took_up),
        take_up_control=sum(1 for a in drawn if a.arm == Arm.CONTROL and a.took_up),
        dropped_strata=dropped,
    )
