"""Panel of sectors by month (fixed effects; staggered starts): one registered method.

Units are the intervention's target sectors, the design's comparison sectors (never
treated) and the target sectors of other registered interventions on the same crimes and
sector layer, in the same municipality, whose full strength begins inside the windows (they
start later: staggered adoption). Those later cohorts and the layer's cut are frozen when the
design is locked (:func:`freeze`): an intervention registered afterwards never changes a
locked result. Periods are
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
import math
from dataclasses import dataclass

import pandas as pd
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from civica.incidents.selectors import Selection, incidents
from civica.interventions.areas import EvaluationError, area_of, comparison_rule_errors
from civica.interventions.headline import (
    crime_label,
    effect_clause,
    interval_text,
    relative_to,
    window_label,
)
from civica.interventions.layer_checks import check_layer, layer_version_at_lock, month_start
from civica.interventions.methods.base import EvaluationMethod, Figures, register, require_locked
from civica.interventions.models import EvaluationDesign, Intervention, Method, names_list
from civica.interventions.selectors import covers, visible_sectors
from civica.interventions.stat_notes import panel_note, staggered_note
from civica.stats import (
    PanelDataError,
    PanelEffect,
    StaggeredEffect,
    panel_regression,
    staggered_att,
)
from civica.territory.models import Sector

__all__ = ["METHOD", "PanelEvaluation", "evaluate_panel"]


@dataclass(frozen=True)
class PartCounts:
    """Incidents of a municipality's target sectors in the before and after windows."""

    names: tuple[str, ...]
    before: int
    after: int


@dataclass(frozen=True)
class PanelPart:
    """One municipality's own estimate of an intervention across places: the same model on
    its target sectors (and later cohorts) against its own comparison sectors (all of them
    when it has none)."""

    municipality: str
    code: str
    target: PartCounts
    effect: PanelEffect | None
    problem: str = ""  # why there is no estimate, "" when there is one

    @property
    def percent_change(self) -> float | None:
        return None if self.effect is None else self.effect.percent_change


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
    places: tuple[str, ...] = ()  # municipalities of the intervention's counted sectors
    partial: bool = False  # the user's scope holds only part of the intervention
    parts: tuple[PanelPart, ...] = ()  # each municipality's own estimate (several places)


def _first_full_month(day: dt.date) -> dt.date:
    """The first calendar month entirely at full strength."""
    return day if day.day == 1 else (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def _later_cohorts(design: EvaluationDesign, first: dt.date, last: dt.date, exclude: set[int]):
    """Target sectors of other interventions on the same crimes, in the same municipality and
    sector layer, whose full strength starts inside the panel."""
    crimes = set(design.intervention.target_crimes)
    layers = set(design.intervention.target_sectors.values_list("layer", flat=True))
    cohorts: dict[dt.date, list[Sector]] = {}
    places = design.intervention.municipality_ids
    others = (
        Intervention.objects.exclude(pk=design.intervention_id)
        .filter(Q(municipality_id__in=places) | Q(more_municipalities__in=places))
        .distinct()
    )
    for other in others.prefetch_related("target_sectors").order_by("pk"):
        start = _first_full_month(other.full_strength_date)
        if not (crimes & set(other.target_crimes)) or not first < start <= last:
            continue
        for sector in other.target_sectors.all():
            if sector.layer in layers and sector.pk not in exclude:
                cohorts.setdefault(start, []).append(sector)
                exclude = exclude | {sector.pk}
    return sorted(cohorts.items())


def _months(design: EvaluationDesign) -> list[dt.date]:
    return [
        m.date()
        for start, end in (
            (design.before_start, design.before_end),
            (design.after_start, design.after_end),
        )
        for m in pd.date_range(month_start(start), month_start(end), freq="MS")
    ]


def freeze(user, design: EvaluationDesign) -> dict:
    """The layer's cut and the later cohorts as they are when the design is locked."""
    months = _months(design)
    taken = set(design.intervention.target_sectors.values_list("pk", flat=True))
    taken |= set(design.comparison_sectors.values_list("pk", flat=True))
    cohorts = _later_cohorts(design, months[0], months[-1], taken)
    return layer_version_at_lock(user, design) | {
        "later_cohorts": [
            [start.isoformat(), sorted(s.pk for s in sectors)] for start, sectors in cohorts
        ]
    }


def _frozen_cohorts(design: EvaluationDesign, first, last, taken):
    frozen = (design.frozen or {}).get("later_cohorts")
    if frozen is None:  # locked before cohorts were frozen: read them as they are now
        return _later_cohorts(design, first, last, taken)
    by_pk = Sector.objects.in_bulk([pk for _start, pks in frozen for pk in pks])
    return [
        (dt.date.fromisoformat(start), [by_pk[pk] for pk in pks if pk in by_pk])
        for start, pks in frozen
    ]


def evaluate_panel(user, design: EvaluationDesign, progress=None) -> PanelEvaluation:
    # Within a second: ``progress`` (methods.evaluate's) is not called.
    require_locked(design)
    if design.method != Method.PANEL:
        raise EvaluationError(_("This design is not a panel of sectors."))
    intervention = design.intervention
    layer_check = check_layer(user, design)
    snap, crimes = layer_check.snapshot, layer_check.crimes
    months = _months(design)
    # A user whose scope holds part of a program across places counts their own sectors.
    targets = visible_sectors(user, intervention.target_sectors.all())
    comparison = visible_sectors(user, design.comparison_sectors.all())
    if not targets or not comparison:
        raise EvaluationError(
            _(
                "A panel needs target sectors and comparison sectors that stay untreated; "
                "add the missing ones."
            )
        )
    own_start = _first_full_month(intervention.full_strength_date)
    taken = {s.pk for s in targets} | {s.pk for s in comparison}
    later = [
        (start, visible_sectors(user, sectors))
        for start, sectors in _frozen_cohorts(design, months[0], months[-1], taken)
    ]
    cohorts = [(own_start, targets), *[(start, s) for start, s in later if s]]
    units = [(s, start) for start, sectors in cohorts for s in sectors] + [
        (s, None) for s in comparison
    ]
    frame = incidents(
        user,
        Selection(
            design.incident_layer,
            start=design.before_start,
            end=design.after_end,
            version=snap.cut,
        ),
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
        # The whole before window as the base: one base month would set every difference.
        staggered, problem = staggered_att(panel, baseline="pre_mean"), ""
    except PanelDataError as error:
        staggered, problem = None, str(error)
    parts = _parts(design, targets, comparison, later, panel)
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
        places=tuple(
            m.name
            for m in intervention.municipalities()
            if m.pk in {s.municipality_id for s in targets}
        ),
        partial=not covers(user, intervention),
        parts=tuple(parts),
    )


def _parts(design, targets, comparison, later, panel: pd.DataFrame) -> list[PanelPart]:
    """Each municipality's estimate when the target sectors lie in several: the panel of its
    own units (its target sectors, its sectors of later cohorts, its comparison sectors or
    all of them when it has none) fitted by the same regression."""
    by_place: dict[int, list] = {}
    for sector in targets:
        by_place.setdefault(sector.municipality_id, []).append(sector)
    if len(by_place) < 2:
        return []
    last_before = month_start(design.before_end)
    parts = []
    for sectors in by_place.values():
        place = sectors[0].municipality
        own = [s for s in comparison if s.municipality_id == place.pk] or comparison
        cohorts = [s for _start, group in later for s in group if s.municipality_id == place.pk]
        names = {s.name for s in [*sectors, *own, *cohorts]}
        target_names = sorted(s.name for s in sectors)
        rows = panel[panel["unit"].isin(target_names)]
        counts = PartCounts(
            tuple(target_names),
            int(rows.loc[rows["period"] <= last_before, "count"].sum()),
            int(rows.loc[rows["period"] > last_before, "count"].sum()),
        )
        effect, problem = None, ""
        try:
            effect = panel_regression(panel[panel["unit"].isin(names)], family="negbin")
        except PanelDataError as error:
            problem = str(error)
        parts.append(PanelPart(place.name, place.cvegeo, counts, effect, problem))
    return sorted(parts, key=lambda p: p.code)


# --- The method's other entry points -------------------------------------------------------


def check_design(design, targets, comparison) -> list:
    """The comparison sectors stay apart from the treated ones (no overlap, no shared border)."""
    return comparison_rule_errors(targets, comparison, design.buffer_metres)


def _places_text(evaluation) -> str:
    intervention = evaluation.design.intervention
    text = names_list(list(evaluation.places) or [intervention.municipality.name])
    if evaluation.partial:
        text += " " + _("(your part of an intervention across %(places)s)") % {
            "places": intervention.places_label
        }
    return text


def headline(evaluation, language: str | None = None) -> str:
    """The sentence of a panel design: the fixed-effects IRR, then Callaway–Sant'Anna."""
    with translation.override(language or translation.get_language()):
        design = evaluation.design
        crimes = ", ".join(crime_label(c) for c in evaluation.crimes)
        treated = sum(len(sectors) for _start, sectors in evaluation.cohorts)
        m = len(evaluation.comparison)
        places = ngettext(
            "in %(n)s treated sector of %(municipality)s",
            "in %(n)s treated sectors of %(municipality)s",
            treated,
        ) % {"n": treated, "municipality": _places_text(evaluation)}
        model = _("sector-by-month negative-binomial panel with fixed effects, %(months)s") % {
            "months": f"{window_label(design.before_start, design.before_end)}, "
            f"{window_label(design.after_start, design.after_end)}"
        }
        text = f"{effect_clause(evaluation.regression, crimes)} {places} {relative_to(m)} ({model})"
        if evaluation.staggered is not None:
            s = evaluation.staggered
            text += _(
                "; staggered-adoption estimate (Callaway–Sant'Anna): %(pct)s%% (%(interval)s)"
            ) % {
                "pct": f"{s.percent_change:+.0f}",
                "interval": interval_text(s.percent_lower, s.percent_upper),
            }
        return text + "."


def page_data(evaluation) -> dict:
    notes = [panel_note(n, evaluation.regression) for n in evaluation.regression.notes]
    if evaluation.staggered is not None:  # its own remarks, not the ones both estimators share
        shared = {n.code for n in evaluation.regression.notes}
        notes += [
            staggered_note(n, evaluation.staggered)
            for n in evaluation.staggered.notes
            if n.code not in shared
        ]
    return {"panel": evaluation, "panel_notes": notes}


def figures(evaluation) -> Figures:
    """The fixed-effects IRR with its cluster-robust interval and the p-value of the same *t*."""
    r = evaluation.regression
    return Figures(
        method=Method.PANEL,
        measure="irr",
        inference="normal" if math.isinf(r.df) else "t_clusters",
        scale="counts",
        estimate=r.irr,
        lower=r.lower,
        upper=r.upper,
        percent_change=r.percent_change,
        percent_lower=r.percent_lower,
        percent_upper=r.percent_upper,
        p_value=r.p_value,
        df=r.df,
        se=r.se,
        level=r.level,
        treated_units=r.treated_units,
        treated_before=r.baseline_events,
        treated_after=r.treated_events,
    )


def table(evaluation) -> tuple[list[dict], dict]:
    """The event study (Callaway–Sant'Anna) as rows; cohorts and data as facts."""
    rows = [
        {
            "months_since_start": e.event_time,
            "percent_change": e.percent_change,
            "lower": e.percent_lower,
            "upper": None if math.isinf(e.percent_upper) else e.percent_upper,
        }
        for e in (evaluation.staggered.event_study if evaluation.staggered else ())
    ]
    facts: dict = {
        "cohorts": {f"{s:%Y-%m}": list(names) for s, names in evaluation.cohorts},
        "comparison": list(evaluation.comparison),
        "layer": evaluation.layer,
        "layer_version": evaluation.layer_version,
    }
    if evaluation.staggered is not None:
        s = evaluation.staggered
        facts["staggered"] = {
            "att": s.att,
            "se": s.se,
            "percent_change": s.percent_change,
            "percent_lower": s.percent_lower,
            "percent_upper": None if math.isinf(s.percent_upper) else s.percent_upper,
        }
    if evaluation.problem:
        facts["staggered_problem"] = evaluation.problem
    for part in evaluation.parts:
        if part.effect is not None:
            facts[f"percent_change_{part.code}"] = part.effect.percent_change
            facts[f"percent_lower_{part.code}"] = part.effect.percent_lower
            facts[f"percent_upper_{part.code}"] = part.effect.percent_upper
        else:
            facts[f"problem_{part.code}"] = part.problem
    for note in page_data(evaluation)["panel_notes"]:
        facts.setdefault("warnings", []).append(note)
    return rows, facts


METHOD = register(
    EvaluationMethod(
        name=Method.PANEL,
        check_design=check_design,
        freeze=freeze,
        evaluate=evaluate_panel,
        headline=headline,
        page_data=page_data,
        figures=figures,
        table=table,
    )
)
