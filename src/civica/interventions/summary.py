"""The program-level range across evaluations ("X–Y% in selected sectors of K cities").

Each intervention contributes its most recent locked design. Reported together, the results
are several tests at once, so their p-values are adjusted (Holm) and the sentence says how many
remain significant; every city keeps its own interval.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from civica.interventions import selectors
from civica.interventions.evaluate import SectorEvaluation, evaluate
from civica.interventions.models import DataSource, EvaluationDesign
from civica.stats.evaluation import adjust_pvalues


@dataclass(frozen=True)
class SummaryRow:
    design: EvaluationDesign
    evaluation: SectorEvaluation | None
    problem: str  # why there is no evaluation, in the user's language; "" when there is one
    adjusted_p: float | None = None

    @property
    def significant_after_adjustment(self) -> bool:
        return self.adjusted_p is not None and self.adjusted_p < 0.05


@dataclass(frozen=True)
class ProgramSummary:
    rows: tuple[SummaryRow, ...]

    @property
    def evaluated(self) -> list[SummaryRow]:
        return [r for r in self.rows if r.evaluation is not None]

    @property
    def cities(self) -> int:
        return len({r.design.intervention.municipality_id for r in self.evaluated})

    def sentence(self, language: str | None = None) -> str:
        rows = self.evaluated
        with translation.override(language or translation.get_language()):
            if not rows:
                return _("No locked evaluation design has a result yet.")
            changes = sorted(r.evaluation.effect.percent_change for r in rows)
            significant = sum(r.significant_after_adjustment for r in rows)
            values = {"k": self.cities, "n": significant, "m": len(rows)}
            if changes[-1] < 0:
                low, high = f"{-changes[-1]:.0f}", f"{-changes[0]:.0f}"
                values["range"] = low if low == high else f"{low}–{high}"
                text = ngettext(
                    "Target crimes fell %(range)s%% in selected sectors of %(k)s city",
                    "Target crimes fell %(range)s%% in selected sectors of %(k)s cities",
                    self.cities,
                )
            else:
                values |= {"low": f"{changes[0]:+.0f}", "high": f"{changes[-1]:+.0f}"}
                text = ngettext(
                    "Changes in target crimes ranged from %(low)s%% to %(high)s%% in selected "
                    "sectors of %(k)s city",
                    "Changes in target crimes ranged from %(low)s%% to %(high)s%% in selected "
                    "sectors of %(k)s cities",
                    self.cities,
                )
            tail = ngettext(
                "; %(n)s of %(m)s result remains significant after adjusting for multiple "
                "comparisons (Holm). Each interval is in the table.",
                "; %(n)s of %(m)s results remain significant after adjusting for multiple "
                "comparisons (Holm). Each interval is in the table.",
                len(rows),
            )
            return (text + tail) % values


def latest_locked_designs(user, where: Q | None = None) -> list[EvaluationDesign]:
    """Each intervention's most recent locked design, among those matching ``where``."""
    latest: dict[int, EvaluationDesign] = {}
    designs = (
        EvaluationDesign.objects.filter(
            intervention__in=selectors.interventions(user),
            locked_at__isnull=False,
            source=DataSource.INCIDENTS,
        )
        .filter(where or Q())
        .select_related("intervention__municipality")
        .order_by("intervention_id", "locked_at")
    )
    for design in designs:
        latest[design.intervention_id] = design
    return list(latest.values())


def program_summary(user, where: Q | None = None) -> ProgramSummary:
    """The summary of the designs ``user`` may see; ``where`` (a filter on
    :class:`EvaluationDesign`, e.g. a reporting period) chooses them before the most recent
    one of each intervention is taken, so the Holm adjustment covers exactly the results
    reported together."""
    rows = []
    for design in latest_locked_designs(user, where):
        try:
            rows.append(SummaryRow(design, evaluate(user, design), ""))
        except ValueError as error:  # EvaluationError and the selectors' data questions
            rows.append(SummaryRow(design, None, str(error)))
    done = [r for r in rows if r.evaluation is not None]
    if done:
        adjusted = adjust_pvalues([r.evaluation.p_value for r in done], "holm").adjusted
        by_design = {r.design.pk: float(p) for r, p in zip(done, adjusted, strict=True)}
        rows = [
            SummaryRow(r.design, r.evaluation, r.problem, by_design.get(r.design.pk)) for r in rows
        ]
    return ProgramSummary(tuple(rows))
