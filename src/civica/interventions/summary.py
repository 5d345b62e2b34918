"""The program-level range across evaluations ("X–Y% in selected sectors of K cities").

Each intervention contributes its most recent locked design, evaluated by the design's own
method (before/after, panel or synthetic control, through :mod:`civica.interventions.methods`).
Reported together, the results are several tests at once, so their p-values are adjusted
(Holm) and the sentence says how many remain significant. Each p-value comes from the same
inference as the interval shown beside it (Student's *t* with the method's degrees of
freedom; the placebo rank for a synthetic control), so "significant" never contradicts an
interval that includes no change.

Beside the range, the results with an interval are pooled into one program-level estimate
(random effects, :func:`civica.stats.pooling.pool_random_effects`), shown next to each city's
own estimate; an intervention across several municipalities also shows each municipality's
part next to its pooled row.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from civica.interventions import methods, selectors
from civica.interventions.cities import cities_of
from civica.interventions.models import EvaluationDesign
from civica.jobs.progress import within
from civica.stats.evaluation import adjust_pvalues
from civica.stats.pooling import PooledEffect, pool_random_effects
from civica.tables import number_text, signed_number_text


@dataclass(frozen=True)
class SummaryRow:
    design: EvaluationDesign
    evaluation: object | None  # the method's result object
    problem: str  # why there is no evaluation, in the user's language; "" when there is one
    adjusted_p: float | None = None
    figures: methods.Figures | None = None

    @property
    def significant_after_adjustment(self) -> bool:
        return self.adjusted_p is not None and self.adjusted_p < 0.05

    @property
    def places(self) -> str:
        return self.design.intervention.places_label

    @property
    def parts(self) -> tuple:
        """Each municipality's own estimate of an intervention across places."""
        return tuple(getattr(self.evaluation, "parts", ()) or ())


@dataclass(frozen=True)
class ProgramSummary:
    rows: tuple[SummaryRow, ...]

    @property
    def pooled(self) -> PooledEffect | None:
        """The random-effects mean of the results with an interval (two or more)."""
        rows = [
            r
            for r in self.evaluated
            if r.figures.lower is not None and r.figures.se and r.figures.estimate
        ]
        if len(rows) < 2:
            return None
        return pool_random_effects([r.figures.estimate for r in rows], [r.figures.se for r in rows])

    @property
    def evaluated(self) -> list[SummaryRow]:
        """Rows with a percent change to report (a synthetic control of 0 has none)."""
        return [
            r
            for r in self.rows
            if r.evaluation is not None and r.figures.percent_change is not None
        ]

    @property
    def cities(self) -> int:
        """Cities with a result: every municipality of each evaluated intervention, Mexico
        City's alcaldías as one city (:mod:`civica.interventions.cities`)."""
        return len(
            {
                city.code
                for r in self.evaluated
                for city in cities_of(r.design.intervention.municipalities())
            }
        )

    def sentence(self, language: str | None = None) -> str:
        rows = self.evaluated
        with translation.override(language or translation.get_language()):
            if not rows:
                return _("No locked evaluation design has a result yet.")
            changes = sorted(r.figures.percent_change for r in rows)
            significant = sum(r.significant_after_adjustment for r in rows)
            values = {"k": self.cities, "n": significant, "m": len(rows)}
            if changes[-1] < 0:
                low = number_text(-changes[-1], decimals=0)
                high = number_text(-changes[0], decimals=0)
                values["range"] = low if low == high else f"{low}–{high}"
                text = ngettext(
                    "Target crimes fell %(range)s%% in selected sectors of %(k)s city",
                    "Target crimes fell %(range)s%% in selected sectors of %(k)s cities",
                    self.cities,
                )
            else:
                values |= {
                    "low": signed_number_text(changes[0], decimals=0),
                    "high": signed_number_text(changes[-1], decimals=0),
                }
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
        )
        .filter(where or Q())
        .select_related("intervention__municipality__state")
        .prefetch_related("intervention__more_municipalities__state")
        .order_by("intervention_id", "locked_at")
    )
    for design in designs:
        latest[design.intervention_id] = design
    return list(latest.values())


def selection_filter(selection: dict) -> Q:
    """The designs a report of the program covers, from its JSON ``selection`` (the inputs of
    the ``interventions.summary`` job a fact sheet asks for; built by
    :func:`civica.interventions.indicators.selection_of`): designs whose after window ends in
    ``after_end`` (two ISO dates), in the named municipalities / state / municipality code,
    and with an activity filter among the municipalities the activity covers."""
    start, end = selection["after_end"]
    where = Q(after_end__gte=start, after_end__lte=end)
    if selection.get("municipalities") is not None:
        where &= Q(intervention__municipality_id__in=selection["municipalities"])
    if selection.get("state"):
        where &= Q(intervention__municipality__state__code=selection["state"])
    if selection.get("municipality"):
        where &= Q(intervention__municipality__cvegeo=selection["municipality"])
    if selection.get("activity_municipalities") is not None:
        # An evaluation belongs to no activity; with an activity filter it counts where the
        # activity worked during the period.
        where &= Q(intervention__municipality_id__in=selection["activity_municipalities"])
    return where


def program_summary(user, where: Q | None = None, *, progress=None) -> ProgramSummary:
    """The summary of the designs ``user`` may see; ``where`` (a filter on
    :class:`EvaluationDesign`, e.g. a reporting period) chooses them before the most recent
    one of each intervention is taken, so the Holm adjustment covers exactly the results
    reported together. ``progress(done, total, step)`` is told of each design (the summary
    page runs this as a job, ``interventions.summary``)."""
    rows = []
    designs = latest_locked_designs(user, where)
    for done, design in enumerate(designs):
        inner = None
        if progress is not None:
            # Each design is a stage; a synthetic control's placebo fits move the bar inside it.
            label = _("Evaluating %(intervention)s") % {"intervention": design.intervention.name}
            inner = within(progress, done, len(designs), label, unit=_("placebo"))
            progress(done, len(designs), label)
        try:
            result = methods.evaluate(user, design, progress=inner)
        except ValueError as error:  # EvaluationError and the selectors' data questions
            rows.append(SummaryRow(design, None, str(error)))
        else:
            rows.append(SummaryRow(design, result, "", figures=methods.figures(result)))
    tested = [r for r in rows if r.figures is not None and r.figures.p_value is not None]
    if tested:
        adjusted = adjust_pvalues([r.figures.p_value for r in tested], "holm").adjusted
        by_design = {r.design.pk: float(p) for r, p in zip(tested, adjusted, strict=True)}
        rows = [
            SummaryRow(r.design, r.evaluation, r.problem, by_design.get(r.design.pk), r.figures)
            for r in rows
        ]
    if progress is not None:
        progress(len(designs), len(designs), "")
    return ProgramSummary(tuple(rows))
