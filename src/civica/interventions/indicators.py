"""The interventions' indicator computation, registered in :mod:`civica.indicators` when the
app starts (``InterventionsConfig.ready``): evaluation results as a program indicator,
``priority_crime_change`` — "6–69 percent reduction in priority crime rates in selected
sectors of seven cities", with every city's interval beside it.

Which results a period reports: the most recent locked design of each intervention whose
**after window ends inside the period** — the result describes crime in that period and
could be known by its end. Designs are locked before any result is shown (DOMAIN.md §7), so
choosing by window, not by result, keeps the selection honest. The results are read from
:func:`civica.interventions.summary.program_summary` as the system (the fact sheet is an
aggregate of the program), limited to the municipalities of the viewer's scope and filters,
and the Holm adjustment (Holm 1979) covers exactly the results reported together.

The indicator's single value is the **least favourable** change (the largest percent
change): a ceiling target such as "−10" is met only when every evaluated city met it. The
sentence gives the whole range; the intervals are listed under it.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _

from civica.accounts.access import SYSTEM
from civica.indicators import Cell, Context, Interval, Result, registry
from civica.interventions.cities import city_label

__all__ = ["priority_crime_change", "priority_crime_change_result"]


def _municipality_filter(context: Context) -> Q:
    where = Q()
    if context.municipality_ids is not None:
        where &= Q(intervention__municipality_id__in=context.municipality_ids)
    if context.state_code:
        where &= Q(intervention__municipality__state__code=context.state_code)
    if context.municipality_code:
        where &= Q(intervention__municipality__cvegeo=context.municipality_code)
    if context.activity_id:
        # An evaluation belongs to no activity; with an activity filter it counts where the
        # activity worked during the period (the context says where: monitoring fills it).
        where &= Q(intervention__municipality_id__in=context.activity_municipality_ids or ())
    return where


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
    from civica.interventions.summary import program_summary

    period = context.period
    where = Q(after_end__gte=period.start, after_end__lte=period.end) & _municipality_filter(
        context
    )
    summary = program_summary(SYSTEM, where)
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
