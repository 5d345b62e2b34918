"""Evaluate interventions as a panel of sectors by month: fixed effects and staggered starts.

Units are the intervention's target sectors, the design's comparison sectors (never
treated) and the target sectors of other registered interventions on the same crimes whose
full strength begins inside the windows (they start later: staggered adoption). Periods are
the calendar months of the before and after windows; the months between them (the start and
its ramp-up) are left out. A sector is treated from the first whole month at full strength.

Two estimators read the same panel (DOMAIN.md §7): a negative-binomial regression with sector
and month fixed effects (:func:`civica.stats.panel_regression`), whose treated × after
coefficient is an incidence rate ratio, and Callaway & Sant'Anna's group-time effects
(:func:`civica.stats.staggered_att`), which stay unbiased when starts are staggered and
effects differ by cohort, where the two-way regression can mislead (Goodman-Bacon 2021).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
from django.utils.translation import gettext as _

from civica.incidents.selectors import Selection, incidents
from civica.interventions.areas import EvaluationError, area_of
from civica.interventions.layer_checks import check_layer, month_start
from civica.interventions.models import EvaluationDesign, Intervention, Method
from civica.stats import (
    PanelDataError,
    PanelEffect,
    StaggeredEffect,
    panel_regression,
    staggered_att,
)

__all__ = ["PanelEvaluation", "evaluate_panel"]


@dataclass(frozen=True)
class PanelEvaluation:
    design: EvaluationDesign
    layer: str
    layer_version: str
    crimes: tuple[str, ...]
    months: tuple[dt.date, ...]
    cohorts: tuple[tuple[dt.date, tuple[str, ...]], ...]  # first treated month → sectors
    comparison: tuple[str, ...]
    regression: PanelEffect
    staggered: StaggeredEffect | None
    problem: str  # why the staggered estimator has no result, "" when it has one
    frame: pd.DataFrame  # sector, month, count, treated: the panel itself, for export


def _first_full_month(day: dt.date) -> dt.date:
    """The first calendar month entirely at full strength."""
    return day if day.day == 1 else (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def _later_cohorts(design: EvaluationDesign, first: dt.date, last: dt.date, exclude: set[int]):
    """Target sectors of other interventions on the same crimes that start inside the panel."""
    crimes = set(design.intervention.target_crimes)
    layers = set(design.intervention.target_sectors.values_list("layer", flat=True))
    cohorts = []
    for other in Intervention.objects.exclude(pk=design.intervention_id).prefetch_related(
        "target_sectors"
    ):
        start = _first_full_month(other.full_strength_date)
        if not (crimes & set(other.target_crimes)) or not first < start <= last:
            continue
        sectors = [
            s for s in other.target_sectors.all() if s.layer in layers and s.pk not in exclude
        ]
        if sectors:
            cohorts.append((start, sectors))
    return cohorts


def evaluate_panel(user, design: EvaluationDesign) -> PanelEvaluation:
    if not design.is_locked:
        raise EvaluationError(
            _(
                "Lock the evaluation design before looking at results: the windows and "
                "comparison sectors must be fixed first."
            )
        )
    if design.method != Method.PANEL:
        raise EvaluationError(_("This design is not a panel of sectors."))
    intervention = design.intervention
    layer_check = check_layer(user, design)
    snap, crimes = layer_check.snapshot, layer_check.crimes
    months = [
        m.date()
        for start, end in (
            (design.before_start, design.before_end),
            (design.after_start, design.after_end),
        )
        for m in pd.date_range(month_start(start), month_start(end), freq="MS")
    ]
    targets = list(intervention.target_sectors.all())
    comparison = list(design.comparison_sectors.all())
    if not targets or not comparison:
        raise EvaluationError(
            _(
                "A panel needs target sectors and comparison sectors that stay untreated; "
                "add the missing ones."
            )
        )
    own_start = _first_full_month(intervention.full_strength_date)
    taken = {s.pk for s in targets} | {s.pk for s in comparison}
    cohorts = [(own_start, targets), *_later_cohorts(design, months[0], months[-1], taken)]
    units = [(s, start) for start, sectors in cohorts for s in sectors] + [
        (s, None) for s in comparison
    ]
    frame = incidents(
        user,
        Selection(design.incident_layer, start=design.before_start, end=design.after_end),
        columns=("date", "crime", "x", "y"),
    )
    frame = frame[frame["crime"].isin(crimes)]
    month_of = pd.to_datetime(frame["date"]).dt.to_period("M").dt.to_timestamp().dt.date
    x, y = frame["x"].to_numpy(dtype=float), frame["y"].to_numpy(dtype=float)
    area = area_of([s for s, _start in units])
    by_name = dict(zip(area.names, area.part_masks(x, y), strict=True))
    rows = []
    for sector, start in units:
        counts = month_of[by_name[sector.name]].value_counts()
        for month in months:
            treated = start is not None and month >= start
            rows.append((sector.name, month, int(counts.get(month, 0)), int(treated)))
    panel = pd.DataFrame(rows, columns=["unit", "period", "count", "treated"])
    try:
        regression = panel_regression(panel, family="negbin")
    except PanelDataError as error:
        raise EvaluationError(str(error)) from error
    try:
        staggered, problem = staggered_att(panel), ""
    except PanelDataError as error:
        staggered, problem = None, str(error)
    return PanelEvaluation(
        design=design,
        layer=design.incident_layer,
        layer_version=snap.cut,
        crimes=tuple(crimes),
        months=tuple(months),
        cohorts=tuple(
            (start, tuple(sorted(s.name for s in sectors))) for start, sectors in cohorts
        ),
        comparison=tuple(sorted(s.name for s in comparison)),
        regression=regression,
        staggered=staggered,
        problem=problem,
        frame=panel,
    )
