"""Before/after with comparison sectors (RIRR) on an incident layer: one registered method.

Counts, RIRR, displacement and warnings of a locked design.

The design fixes the windows, comparison sectors and buffer before anything is counted
(DOMAIN.md §7); :func:`evaluate` refuses an unlocked design. Incidents are read through the
scoped selectors, so a user evaluates only what they may see. Every refusal says what to
change; no number is produced when the data cannot support it.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from scipy import stats as scipy_stats

from civica.incidents.selectors import Selection, incidents
from civica.interventions.areas import (
    Area,
    EvaluationError,
    area_of,
    buffer_ring,
    check_apart,
    comparison_rule_errors,
    in_ring,
)
from civica.interventions.headline import crime_label, effect_clause, relative_to, window_label
from civica.interventions.layer_checks import check_layer, layer_version_at_lock, month_start
from civica.interventions.methods.base import (
    EvaluationMethod,
    Figures,
    Notice,
    register,
    require_locked,
)
from civica.interventions.models import DataSource, EvaluationDesign, Method, names_list
from civica.interventions.selectors import covers, visible_sectors
from civica.stats.dispersion import rirr_by_sector
from civica.stats.displacement import displacement_against_comparison
from civica.stats.evaluation import (
    SMALL_COUNT,
    Displacement,
    RelativeIncidenceRateRatio,
    WeightedDisplacementDifference,
    rirr,
    weighted_displacement_quotient,
)
from civica.tables import number_text, signed_number_text
from civica.web.charts import Series, line_chart

__all__ = [
    "METHOD",
    "AreaCounts",
    "EvaluationError",
    "MonthRow",
    "SectorEvaluation",
    "evaluate",
]

RTM_ALPHA = 0.05
"""One-sided level of the test that the baseline was unusually high (regression to the mean)."""


@dataclass(frozen=True)
class AreaCounts:
    role: str  # "target" | "comparison" | "buffer"
    names: tuple[str, ...]
    before: int
    after: int

    @property
    def change(self) -> float | None:
        return (self.after / self.before - 1) * 100 if self.before else None


@dataclass(frozen=True)
class MonthRow:
    """One calendar month of the windows: observed counts and the target's counterfactual.

    ``counterfactual`` is the target's count in the same month of the before window scaled by
    the comparison's after/before change; it is only defined for after-window months.
    """

    month: dt.date
    window: str  # "before" | "after"
    target: int
    comparison: int
    buffer: int | None
    counterfactual: float | None


@dataclass(frozen=True)
class PlacePart:
    """One municipality's part of an intervention across places: its target sectors against
    the comparison sectors of the same municipality (all comparison sectors when it has
    none of its own)."""

    municipality: str
    code: str
    target: AreaCounts
    comparison: AreaCounts
    effect: RelativeIncidenceRateRatio | None
    problem: str = ""  # why there is no estimate, "" when there is one

    @property
    def percent_change(self) -> float | None:
        return None if self.effect is None else self.effect.percent_change


@dataclass(frozen=True)
class SectorEvaluation:
    design: EvaluationDesign
    layer: str
    layer_version: str
    crimes: tuple[str, ...]
    target: AreaCounts
    comparison: AreaCounts
    buffer: AreaCounts | None
    effect: RelativeIncidenceRateRatio
    displacement: Displacement | None
    wdd: WeightedDisplacementDifference | None
    months: tuple[MonthRow, ...]
    notices: tuple[Notice, ...]
    places: tuple[str, ...] = ()  # the municipalities whose target sectors were counted
    parts: tuple[PlacePart, ...] = ()  # each municipality's own estimate (several places)
    partial: bool = False  # the user's scope holds only part of the intervention

    @property
    def significant(self) -> bool:
        return self.effect.upper < 1 or self.effect.lower > 1

    @property
    def buffer_percent(self) -> float | None:
        """The buffer's change beyond the comparison's trend, in percent of its expected count."""
        if self.wdd is None or self.buffer is None or self.buffer.before == 0:
            return None
        expected = self.buffer.after - self.wdd.displacement
        return self.wdd.displacement / expected * 100


def evaluate(user, design: EvaluationDesign, progress=None) -> SectorEvaluation:
    """Count the design's areas and windows in its incident layer and estimate the effect
    (within a second: ``progress`` is not called)."""
    require_locked(design)
    if design.source != DataSource.INCIDENTS:
        raise EvaluationError(
            _(
                "This design uses SESNSP municipal statistics; sector before/after "
                "evaluations need a local incident layer."
            )
        )
    intervention = design.intervention
    # A user whose scope holds part of a program across places counts their own sectors.
    target_sectors = visible_sectors(user, intervention.target_sectors.all())
    comparison_sectors = visible_sectors(user, design.comparison_sectors.all())
    target = area_of(target_sectors)
    comparison = area_of(comparison_sectors)
    if target.shape is None:
        raise EvaluationError(
            _("The intervention has no target sectors; add the sectors where it took place.")
        )
    if comparison.shape is None:
        raise EvaluationError(
            _(
                "The design has no comparison sectors; without them a before/after change "
                "cannot be told apart from the city's trend. Create a design with comparison "
                "sectors."
            )
        )
    ring = buffer_ring(target, design.buffer_metres) if design.buffer_metres else None
    check_apart(target, comparison, ring)

    layer = design.incident_layer
    layer_check = check_layer(user, design)
    snap, crimes, first = layer_check.snapshot, layer_check.crimes, layer_check.first

    pre_start = design.before_start - (design.before_end - design.before_start) - dt.timedelta(1)
    start = max(pre_start, first)
    frame = incidents(
        user,
        Selection(layer, start=start, end=design.after_end, version=snap.cut),
        columns=("date", "crime", "x", "y"),
    )
    frame = frame[frame["crime"].isin(crimes)]
    dates = pd.to_datetime(frame["date"]).dt.date.to_numpy()
    x, y = frame["x"].to_numpy(dtype=float), frame["y"].to_numpy(dtype=float)
    in_target, in_comparison = target.contains(x, y), comparison.contains(x, y)
    in_buffer = (in_ring(ring, x, y) & ~in_target) if ring is not None else None
    before = (dates >= design.before_start) & (dates <= design.before_end)
    after = (dates >= design.after_start) & (dates <= design.after_end)

    def counts(role: str, area: Area, mask: np.ndarray) -> AreaCounts:
        return AreaCounts(role, area.names, int((mask & before).sum()), int((mask & after).sum()))

    t = counts("target", target, in_target)
    c = counts("comparison", comparison, in_comparison)
    b = None
    if in_buffer is not None:
        names = (_("%(metres)s m ring") % {"metres": design.buffer_metres},)
        b = counts("buffer", Area(names, ring), in_buffer)
    _check_counts(t, c)
    effect, interval_notice = _effect(target, comparison, x, y, before, after, t, c)
    displacement, wdd = _displacement(t, c, b, effect)
    notices = [*([interval_notice] if interval_notice else []), *_notices(effect, t, c, b)]
    notices += _regression_to_the_mean(design, first, dates, in_target, t.before)
    parts = _parts(target_sectors, comparison_sectors, x, y, before, after)
    windows = before | after
    months = _months(
        design,
        dates,
        in_target & windows,
        in_comparison & windows,
        in_buffer & windows if in_buffer is not None else None,
        c,
    )
    return SectorEvaluation(
        design=design,
        layer=layer,
        layer_version=snap.cut,
        crimes=tuple(crimes),
        target=t,
        comparison=c,
        buffer=b,
        effect=effect,
        displacement=displacement,
        wdd=wdd,
        months=tuple(months),
        notices=tuple(notices),
        places=tuple(m.name for m in _places_of(intervention, target_sectors)),
        parts=tuple(parts),
        partial=not covers(user, intervention),
    )


def _places_of(intervention, sectors) -> list:
    """The intervention's municipalities that hold any of ``sectors``, in its order."""
    held = {s.municipality_id for s in sectors}
    return [m for m in intervention.municipalities() if m.pk in held]


def _parts(targets, comparison, x, y, before, after) -> list[PlacePart]:
    """Each municipality's estimate when the target sectors lie in several: its targets
    against its own comparison sectors, or against all of them when it has none."""
    by_place: dict[int, list] = {}
    for sector in targets:
        by_place.setdefault(sector.municipality_id, []).append(sector)
    if len(by_place) < 2:
        return []
    parts = []
    for sectors in by_place.values():
        place = sectors[0].municipality
        own = [s for s in comparison if s.municipality_id == place.pk] or comparison
        t_area, c_area = area_of(sectors), area_of(own)
        in_t, in_c = t_area.contains(x, y), c_area.contains(x, y)
        t = AreaCounts(
            "target", t_area.names, int((in_t & before).sum()), int((in_t & after).sum())
        )
        c = AreaCounts(
            "comparison", c_area.names, int((in_c & before).sum()), int((in_c & after).sum())
        )
        effect, problem = None, ""
        try:
            _check_counts(t, c)
            effect, _notice = _effect(t_area, c_area, x, y, before, after, t, c)
        except EvaluationError as error:
            problem = str(error)
        parts.append(PlacePart(place.name, place.cvegeo, t, c, effect, problem))
    return sorted(parts, key=lambda p: p.code)


def _check_counts(target: AreaCounts, comparison: AreaCounts) -> None:
    for counts, area in ((target, _("target sectors")), (comparison, _("comparison sectors"))):
        for window, value in ((_("before"), counts.before), (_("after"), counts.after)):
            if value == 0:
                raise EvaluationError(
                    _(
                        "The %(area)s had no incidents of the target crimes in the %(window)s "
                        "window, so the rate ratio is undefined (a division by zero, not a "
                        "100%% change). Use longer windows, more sectors or a broader crime "
                        "category."
                    )
                    % {"area": area, "window": window}
                )


MIN_SECTORS_FOR_DISPERSION = 3


def _effect(target: Area, comparison: Area, x, y, before, after, t: AreaCounts, c: AreaCounts):
    """The RIRR with an interval widened by how much the sectors really vary.

    Crime counts are overdispersed: the plain Poisson interval covers far less than 95% on
    real CDMX series (``benchmarks/bench_evaluation_simulation.py``). With three sectors or
    more the sectors' own before/after variation sets the width (Williams 1982 extra-binomial
    dispersion, :func:`civica.stats.rirr_by_sector`); with fewer there is nothing to measure
    it from, the Poisson interval is used and a notice says it is too narrow.
    """
    if target.size + comparison.size < MIN_SECTORS_FOR_DISPERSION:
        notice = Notice(
            "poisson_interval",
            gettext_lazy(
                "With only %(n)s sectors their variation cannot be measured: the interval "
                "assumes Poisson counts and is too narrow for real crime data. Add comparison "
                "sectors for an honest interval."
            ),
            (("n", target.size + comparison.size),),
        )
        return rirr(t.after, t.before, c.after, c.before), notice

    def windows(area: Area) -> np.ndarray:
        masks = area.part_masks(x, y)
        return np.array([[(m & before).sum(), (m & after).sum()] for m in masks], dtype=float)

    return rirr_by_sector(windows(target), windows(comparison)), None


def _displacement(t: AreaCounts, c: AreaCounts, b: AreaCounts | None, effect):
    """The buffer judged against the comparison's trend (WDD with the comparison as control,
    the RIRR's over-dispersion allowance and degrees of freedom) and the WDQ."""
    if b is None:
        return None, None
    wdd = displacement_against_comparison(
        t.before,
        t.after,
        b.before,
        b.after,
        c.before,
        c.after,
        dispersion=effect.dispersion,
        df=effect.df,
    )
    try:
        wdq = weighted_displacement_quotient(
            t.before, t.after, b.before, b.after, c.before, c.after
        )
    except ValueError:  # no direct effect (success measure 0): the quotient has no meaning
        wdq = None
    return wdq, wdd


def _notices(effect, t: AreaCounts, c: AreaCounts, b: AreaCounts | None):
    small = [
        (name, value)
        for name, value in (
            (gettext_lazy("target before"), t.before),
            (gettext_lazy("target after"), t.after),
            (gettext_lazy("comparison before"), c.before),
            (gettext_lazy("comparison after"), c.after),
        )
        if value < SMALL_COUNT
    ]
    if small:
        yield Notice(
            "small_counts",
            gettext_lazy(
                "Small counts (%(counts)s; fewer than %(limit)s events): percent changes this "
                "size happen by chance alone, so read the interval, not the point estimate."
            ),
            (
                ("counts", lambda: ", ".join(f"{n} {v}" for n, v in small)),
                ("limit", SMALL_COUNT),
            ),
        )
    if b is not None and b.before + b.after == 0:
        yield Notice(
            "empty_buffer",
            gettext_lazy(
                "No incidents in the buffer ring in either window: displacement cannot be "
                "assessed; try a wider buffer."
            ),
        )


def _regression_to_the_mean(design, first, dates, in_target, baseline: int) -> list[Notice]:
    """Compare the baseline with the equally long window just before it.

    Sectors chosen because they were high in the baseline tend to fall anyway. If the target
    had clearly more crime in the baseline than in the window before it (one-sided exact test
    conditional on the total, p < :data:`RTM_ALPHA`), part of any fall is expected by chance.
    """
    length = design.before_end - design.before_start
    pre_end = design.before_start - dt.timedelta(days=1)
    pre_start = pre_end - length
    if pre_start < first:
        return [
            Notice(
                "rtm_unchecked",
                gettext_lazy(
                    "Regression to the mean could not be checked: the layer has no data for "
                    "the window before the baseline (%(start)s to %(end)s). If the target "
                    "sectors were chosen because crime was high in the baseline, part of the "
                    "fall is expected anyway."
                ),
                (("start", pre_start), ("end", pre_end)),
            )
        ]
    earlier = int((in_target & (dates >= pre_start) & (dates <= pre_end)).sum())
    total = earlier + baseline
    if total == 0:
        return []
    p = scipy_stats.binomtest(baseline, total, 0.5, alternative="greater").pvalue
    if p >= RTM_ALPHA:
        return []
    return [
        Notice(
            "regression_to_the_mean",
            gettext_lazy(
                "The baseline looks unusually high: the target sectors had %(baseline)s "
                "incidents in the before window but %(earlier)s in the equally long window "
                "before it (%(start)s to %(end)s). Sectors chosen when crime peaks tend to "
                "fall anyway (regression to the mean): choose a longer or earlier baseline, or "
                "comparison sectors that were equally high."
            ),
            (
                ("baseline", baseline),
                ("earlier", earlier),
                ("start", pre_start),
                ("end", pre_end),
            ),
        )
    ]


def _months(design, dates, in_target, in_comparison, in_buffer, c: AreaCounts) -> list[MonthRow]:
    """Monthly counts of both windows and the target's counterfactual in the after window.

    The windows are a whole number of years apart (a design rule), so the after window's
    month m faces the before window's month m − 12k: the counterfactual is that month's
    target count times the comparison's after/before ratio, and sums to R_b × C_a / C_b.
    """
    years = design.after_start.year - design.before_start.year
    scale = c.after / c.before
    months = pd.Series([month_start(d) for d in dates], dtype=object)

    def by_month(mask):
        return months[mask].value_counts().to_dict() if len(months) else {}

    target, comparison = by_month(in_target), by_month(in_comparison)
    buffer = by_month(in_buffer) if in_buffer is not None else None
    rows = []
    for window, start, end in (
        ("before", design.before_start, design.before_end),
        ("after", design.after_start, design.after_end),
    ):
        for month in pd.date_range(month_start(start), month_start(end), freq="MS"):
            month = month.date()
            counterfactual = None
            if window == "after":
                earlier = month.replace(year=month.year - years)
                counterfactual = target.get(earlier, 0) * scale
            rows.append(
                MonthRow(
                    month=month,
                    window=window,
                    target=int(target.get(month, 0)),
                    comparison=int(comparison.get(month, 0)),
                    buffer=int(buffer.get(month, 0)) if buffer is not None else None,
                    counterfactual=counterfactual,
                )
            )
    return rows


# --- The method's other entry points -------------------------------------------------------


def check_design(design, targets, comparison) -> list:
    """Before/after rules that need the sectors: comparison apart from the target, its buffer
    and its border (the window rules live on the model)."""
    return comparison_rule_errors(targets, comparison, design.buffer_metres)


def freeze(user, design) -> dict:
    """The layer cut the design will be counted on, fixed at lock (empty when the layer is
    not loaded yet: the cut current at the first evaluation is used then)."""
    return layer_version_at_lock(user, design)


def _t_crit(df: float) -> float:
    return float(scipy_stats.norm.ppf(0.975) if math.isinf(df) else scipy_stats.t.ppf(0.975, df))


def displacement_clause(evaluation) -> str:
    """The buffer against the comparison's trend, tested with the RIRR's allowance."""
    wdd, metres, buffer = evaluation.wdd, evaluation.design.buffer_metres, evaluation.buffer
    if wdd is None or not metres or buffer is None:
        return ""
    if buffer.before + buffer.after == 0 or wdd.se_displacement == 0:
        return _("; no incidents in the %(metres)s m buffer to assess displacement") % {
            "metres": metres
        }
    statistic = wdd.displacement / wdd.se_displacement
    values = {
        "metres": metres,
        "pct": number_text(abs(evaluation.buffer_percent or 0), decimals=0),
    }
    if abs(statistic) < _t_crit(wdd.df):
        values["pct"] = signed_number_text(evaluation.buffer_percent or 0, decimals=0)
        return (
            _(
                "; no significant displacement to the %(metres)s m buffer (%(pct)s%% relative "
                "to the comparison)"
            )
            % values
        )
    if statistic > 0:
        return (
            _(
                "; crime rose %(pct)s%% in the %(metres)s m buffer relative to the comparison "
                "(possible displacement)"
            )
            % values
        )
    return (
        _(
            "; crime also fell %(pct)s%% in the %(metres)s m buffer relative to the comparison "
            "(diffusion of benefits)"
        )
        % values
    )


def _places_text(evaluation) -> str:
    """Every municipality counted, and when the reader sees part of a program across places,
    which program it is part of."""
    intervention = evaluation.design.intervention
    text = names_list(list(evaluation.places) or [intervention.municipality.name])
    if evaluation.partial:
        text += " " + _("(your part of an intervention across %(places)s)") % {
            "places": intervention.places_label
        }
    return text


def headline(evaluation, language: str | None = None) -> str:
    """The sentence for ``evaluation`` in ``language`` (default: the active one)."""
    with translation.override(language or translation.get_language()):
        design = evaluation.design
        crimes = ", ".join(crime_label(c) for c in evaluation.crimes)
        n = len(evaluation.target.names)
        m = len(evaluation.comparison.names)
        places = ngettext(
            "in the %(n)s target sector of %(municipality)s",
            "in the %(n)s target sectors of %(municipality)s",
            n,
        ) % {"n": n, "municipality": _places_text(evaluation)}
        periods = _("%(after)s vs %(before)s") % {
            "after": window_label(design.after_start, design.after_end),
            "before": window_label(design.before_start, design.before_end),
        }
        sentence = (
            f"{effect_clause(evaluation.effect, crimes)} {places} {relative_to(m)}, {periods}"
        )
        return sentence + displacement_clause(evaluation) + "."


def _chart(evaluation) -> dict:
    after = [m for m in evaluation.months if m.window == "after"]
    before = [m for m in evaluation.months if m.window == "before"]
    return line_chart(
        [m.month.strftime("%Y-%m") for m in after],
        [
            Series(_("Observed in the target sectors"), tuple(m.target for m in after)),
            Series(
                _("Counterfactual: same month before × comparison change"),
                tuple(m.counterfactual for m in after),
            ),
            Series(_("Same month of the before window"), tuple(m.target for m in before)),
        ],
    )


def page_data(evaluation) -> dict:
    return {
        "evaluation": evaluation,
        "chart": _chart(evaluation),
        "csv_url": reverse("interventions:design-csv", args=[evaluation.design.pk]),
    }


def figures(evaluation) -> Figures:
    """The RIRR, its interval and a p-value from the same Student-*t* (Welch–Satterthwaite
    df) or, with fewer than three sectors, normal reference."""
    e = evaluation.effect
    statistic = abs(math.log(e.rirr)) / e.se_log
    if math.isinf(e.df):
        p, inference = 2 * scipy_stats.norm.sf(statistic), "normal"
    else:
        p, inference = 2 * scipy_stats.t.sf(statistic, e.df), "t_welch_satterthwaite"
    return Figures(
        method=Method.BEFORE_AFTER,
        measure="rirr",
        inference=inference,
        scale="counts",
        estimate=e.rirr,
        lower=e.lower,
        upper=e.upper,
        percent_change=e.percent_change,
        percent_lower=e.percent_lower,
        percent_upper=e.percent_upper,
        p_value=float(p),
        df=e.df,
        se=e.se_log,
        level=e.level,
        treated_units=len(evaluation.target.names),
        treated_before=evaluation.target.before,
        treated_after=evaluation.target.after,
    )


def table(evaluation) -> tuple[list[dict], dict]:
    rows = [
        {"area": area.role, "sectors": len(area.names), "before": area.before, "after": area.after}
        for area in (evaluation.target, evaluation.comparison, evaluation.buffer)
        if area is not None
    ]
    facts: dict = {"layer": evaluation.layer, "layer_version": evaluation.layer_version}
    if evaluation.wdd is not None:
        w = evaluation.wdd
        facts |= {
            "wdd": w.wdd,
            "wdd_se": w.se,
            "wdd_p_value": w.p_value,
            "buffer_beyond_trend": w.displacement,
            "buffer_beyond_trend_se": w.se_displacement,
            "buffer_percent_relative_to_comparison": evaluation.buffer_percent,
        }
    if evaluation.displacement is not None and math.isfinite(evaluation.displacement.wdq):
        facts["wdq"] = evaluation.displacement.wdq
    for part in evaluation.parts:
        rows.append(
            {
                "area": f"target {part.code}",
                "sectors": len(part.target.names),
                "before": part.target.before,
                "after": part.target.after,
            }
        )
        if part.effect is not None:
            facts[f"percent_change_{part.code}"] = part.effect.percent_change
            facts[f"percent_lower_{part.code}"] = part.effect.percent_lower
            facts[f"percent_upper_{part.code}"] = part.effect.percent_upper
    if evaluation.partial:
        facts["partial"] = True
    for notice in evaluation.notices:
        facts[f"warning_{notice.code}"] = str(notice)
    return rows, facts


METHOD = register(
    EvaluationMethod(
        name=Method.BEFORE_AFTER,
        check_design=check_design,
        freeze=freeze,
        evaluate=evaluate,
        headline=headline,
        page_data=page_data,
        figures=figures,
        table=table,
    )
)
