"""Evaluate a locked design on an incident layer: counts, RIRR, displacement and warnings.

The design fixes the windows, comparison sectors and buffer before anything is counted
(DOMAIN.md §7); :func:`evaluate` refuses an unlocked design. Incidents are read through the
scoped selectors, so a user evaluates only what they may see. Every refusal says what to
change; no number is produced when the data cannot support it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from scipy import stats as scipy_stats

from civica.incidents.selectors import Selection, incidents
from civica.interventions.areas import (
    Area,
    EvaluationError,
    area_of,
    buffer_ring,
    check_apart,
    in_ring,
)
from civica.interventions.layer_checks import check_layer, month_start
from civica.interventions.models import DataSource, EvaluationDesign
from civica.stats.dispersion import rirr_by_sector
from civica.stats.evaluation import (
    SMALL_COUNT,
    Displacement,
    RelativeIncidenceRateRatio,
    WeightedDisplacementDifference,
    rirr,
    weighted_displacement_difference,
    weighted_displacement_quotient,
)

__all__ = [
    "AreaCounts",
    "EvaluationError",
    "MonthRow",
    "Notice",
    "SectorEvaluation",
    "evaluate",
]

RTM_ALPHA = 0.05
"""One-sided level of the test that the baseline was unusually high (regression to the mean)."""


@dataclass(frozen=True)
class Notice:
    """A warning shown with a result, translated when it is shown (not when it is made)."""

    code: str
    template: object  # a lazy translation
    params: tuple[tuple[str, object], ...] = ()

    def __str__(self) -> str:
        # A callable parameter is evaluated now, so labels inside it follow the shown language.
        return str(self.template) % {k: v() if callable(v) else v for k, v in self.params}


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

    @property
    def significant(self) -> bool:
        return self.effect.upper < 1 or self.effect.lower > 1

    @property
    def p_value(self) -> float:
        """Two-sided Wald p-value of log RIRR = 0 (for multiple-comparison adjustment)."""
        z = abs(np.log(self.effect.rirr)) / self.effect.se_log
        return float(2 * scipy_stats.norm.sf(z))


def evaluate(user, design: EvaluationDesign) -> SectorEvaluation:
    """Count the design's areas and windows in its incident layer and estimate the effect."""
    if not design.is_locked:
        raise EvaluationError(
            _(
                "Lock the evaluation design before looking at results: the windows and "
                "comparison sectors must be fixed first."
            )
        )
    if design.source != DataSource.INCIDENTS:
        raise EvaluationError(
            _(
                "This design uses SESNSP municipal statistics; sector before/after "
                "evaluations need a local incident layer."
            )
        )
    intervention = design.intervention
    target = area_of(list(intervention.target_sectors.all()))
    comparison = area_of(list(design.comparison_sectors.all()))
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
    displacement, wdd = _displacement(t, c, b)
    notices = [*([interval_notice] if interval_notice else []), *_notices(effect, t, c, b)]
    notices += _regression_to_the_mean(design, first, dates, in_target, t.before)
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
    )


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


def _displacement(t: AreaCounts, c: AreaCounts, b: AreaCounts | None):
    if b is None:
        return None, None
    wdd = weighted_displacement_difference(
        t.before,
        t.after,
        b.before,
        b.after,
        control_b=c.before,
        control_a=c.after,
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
