"""The interventions' indicator computation, registered in :mod:`civica.indicators` when the
app starts (``InterventionsConfig.ready``): evaluation results as a program indicator,
``priority_crime_change`` — "6–69 percent reduction in priority crime rates in selected
sectors of seven cities", with every city's interval beside it.

Which results a period reports: the most recent locked design of each intervention whose
**after window ends inside the period** — the result describes crime in that period and
could be known by its end. Designs are locked before any result is shown (DOMAIN.md §7), so
choosing by window, not by result, keeps the selection honest. The results are
:func:`civica.interventions.summary.program_summary`'s, evaluated as the system (the fact
sheet is an aggregate of the program), limited to the municipalities of the viewer's scope
and filters, and the Holm adjustment (Holm 1979) covers exactly the results reported
together. They are the stored result of the ``interventions.summary`` background job for
that selection: a page reads it and, while it is being computed, shows the job's progress
(``Context.stored_only``); the command line and the PDF job compute it through the store.

The indicator's single value is the **least favourable** change (the largest percent
change): a ceiling target such as "−10" is met only when every evaluated city met it. The
sentence gives the whole range; the intervals are listed under it.
"""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _

from civica.accounts.access import SYSTEM
from civica.indicators import Cell, Context, Interval, PendingJob, Result, registry
from civica.interventions.cities import city_label

__all__ = ["priority_crime_change", "priority_crime_change_result", "selection_of", "summary_of"]


def selection_of(context: Context) -> dict:
    """The designs ``context`` reports, as the JSON inputs of the summary job (read back by
    :func:`civica.interventions.summary.selection_filter`)."""

    def ids(values):
        return None if values is None else sorted(values)

    return {
        "after_end": [context.period.start.isoformat(), context.period.end.isoformat()],
        "municipalities": ids(context.municipality_ids),
        "state": context.state_code or None,
        "municipality": context.municipality_code or None,
        # With an activity filter, where the activity worked (none: no municipality).
        "activity_municipalities": ids(context.activity_municipality_ids or ())
        if context.activity_id
        else None,
    }


def _designs_to_evaluate(selection: dict) -> bool:
    from civica.interventions.summary import latest_locked_designs, selection_filter

    return bool(latest_locked_designs(SYSTEM, selection_filter(selection)))


def summary_of(context: Context):
    """The program summary of ``context``'s selection: the stored result of the
    ``interventions.summary`` job (the same function and inference as the summary page),
    computed here and stored when absent — or, for a page (``context.stored_only``), ``None``
    when absent, never computed in the request."""
    from civica.interventions.jobs import SUMMARY
    from civica.jobs import services

    # The rows' "not evaluated" reasons are sentences: one stored summary per language.
    inputs = {"program": selection_of(context), "language": translation.get_language() or ""}
    if context.stored_only:
        summary = services.stored(SYSTEM, SUMMARY, inputs)
        if summary is not None or _designs_to_evaluate(inputs["program"]):
            return summary, inputs
        # Nothing to evaluate: the (empty) summary costs one query, no job needed.
    summary, _cached = services.compute(SYSTEM, SUMMARY, inputs)
    return summary, inputs


def _signed(change: float) -> str:
    """A whole percent with its sign, "+22" or "-69" (the same in Spanish and English)."""
    return f"{change:+.0f}"


def _range(changes: list[float]) -> str:
    """Reductions as magnitudes, "6–69" (one figure when they round alike)."""
    low, high = f"{-max(changes):.0f}", f"{-min(changes):.0f}"
    return low if low == high else f"{low}–{high}"


@registry.register(
    "priority_crime_change",
    parameters={},
    description="Percent change in priority crime rates in evaluated sectors (locked designs "
    "whose after window ends in the period), with each city's 95% interval and Holm-adjusted "
    "significance.",
)
def priority_crime_change(context: Context) -> Result:
    return priority_crime_change_result(context)


def priority_crime_change_result(context: Context) -> Result:
    from civica.interventions.jobs import SUMMARY

    period = context.period
    summary, inputs = summary_of(context)
    if summary is None:
        return Result.waiting_for(
            PendingJob(SUMMARY, inputs, _("Evaluations of the period %(p)s") % {"p": period.label})
        )
    if not summary.rows:
        return Result.missing(
            _("not available: no locked evaluation design has its after window ending in %(p)s")
            % {"p": period.label}
        )
    intervals = tuple(
        sorted((_interval(row) for row in summary.rows), key=lambda i: (i.city, i.intervention))
    )
    evaluated = [i for i in intervals if i.change is not None]
    if not evaluated:
        return Result(
            value=None,
            unavailable=_("not available: no locked evaluation design could be evaluated"),
            intervals=intervals,
        )
    changes = [i.change for i in evaluated]
    by_city: dict[str, float] = {}
    for item in evaluated:
        by_city[item.city_code] = max(item.change, by_city.get(item.city_code, item.change))
    parts: dict[str, float | str] = {
        "cities": summary.cities,
        "evaluations": len(evaluated),
        "significant": sum(i.significant for i in evaluated),
        "not_evaluated": len(intervals) - len(evaluated),
        "low": round(min(changes), 1),
        "high": round(max(changes), 1),
    }
    if max(changes) < 0:  # "reduction" only when every evaluated city saw one
        parts["range"] = _range(changes)
    # Signed whole percents for a sentence that holds whatever the signs ("−69 to +22").
    parts |= {"low_signed": _signed(min(changes)), "high_signed": _signed(max(changes))}
    pooled = summary.pooled
    if pooled is not None:
        parts |= {
            "pooled": round(pooled.percent_change, 1),
            "pooled_lower": round(pooled.percent_lower, 1),
            "pooled_upper": round(pooled.percent_upper, 1),
            "pooled_signed": _signed(pooled.percent_change),
            "pooled_lower_signed": _signed(pooled.percent_lower),
            "pooled_upper_signed": _signed(pooled.percent_upper),
        }
        intervals = (*intervals, _pooled_interval(pooled))
    return Result(
        value=round(max(changes), 1),
        parts=parts,
        cells=tuple(
            Cell((("municipality", code),), round(change, 1))
            for code, change in sorted(by_city.items())
        ),
        records=("interventions:summary", ()),
        intervals=intervals,
    )


def _pooled_interval(pooled) -> Interval:
    """The program-level estimate after every city's: the random-effects mean of the results
    with an interval (``civica.stats.pooling``); one estimate, so no Holm adjustment."""
    return Interval(
        city=_("All cities, pooled (random effects)"),
        city_code="",
        intervention=_("%(k)s results") % {"k": pooled.k},
        change=pooled.percent_change,
        lower=pooled.percent_lower,
        upper=pooled.percent_upper,
        adjusted_p=None,
        significant=pooled.upper < 1 or pooled.lower > 1,
    )


def _interval(row) -> Interval:
    intervention = row.design.intervention
    municipality = intervention.municipality
    city = city_label(intervention)  # "Ciudad de México (Iztapalapa y Cuauhtémoc)"
    if row.figures is None or row.figures.percent_change is None:
        return Interval(
            city=city,
            city_code=municipality.cvegeo,
            intervention=intervention.name,
            change=None,
            lower=None,
            upper=None,
            adjusted_p=None,
            significant=False,
            problem=row.problem or _("the synthetic control is 0 after the start: no percent"),
        )
    f = row.figures
    return Interval(
        city=city,
        city_code=municipality.cvegeo,
        intervention=intervention.name,
        change=f.percent_change,
        lower=f.percent_lower,
        upper=f.percent_upper,
        adjusted_p=row.adjusted_p,
        significant=row.significant_after_adjustment,
    )
