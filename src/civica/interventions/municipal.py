"""Evaluate a municipality-level intervention with a synthetic control from SESNSP series.

The treated municipality's monthly count of the target crimes is compared with a weighted
average of donor municipalities (:mod:`civica.stats.synthetic_control`), fitted on the
design's before window and read on its after window; placebo-in-space inference ranks the
result among every donor refitted as if treated, and a placebo in time checks that no effect
appears before the start. Donors are municipalities of the territory catalogue (SESNSP's
"Otros municipios"/"No especificado" rows are not places) with every month reported, and
without a registered intervention of their own on the same crimes in the windows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
from django.core.cache import cache
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civica.core.services import warehouse
from civica.interventions.areas import EvaluationError
from civica.interventions.evaluate import Notice
from civica.interventions.models import DonorPool, EvaluationDesign, Intervention, Method
from civica.official.selectors import FIRST_RNID_YEAR
from civica.stats.synthetic_control import (
    PlaceboInSpace,
    PlaceboInTime,
    SyntheticControlError,
    placebo_in_space,
    placebo_in_time,
)
from civica.territory.models import Municipality
from civica.warehouse import sesnsp

__all__ = ["MunicipalEvaluation", "evaluate_municipality"]

CACHE_SECONDS = 24 * 3600


@dataclass(frozen=True)
class MunicipalEvaluation:
    design: EvaluationDesign
    dataset: str
    cut: str
    crimes: tuple[str, ...]
    inference: PlaceboInSpace
    in_time: PlaceboInTime | None
    donor_names: dict[str, str]
    dropped_incomplete: tuple[str, ...]  # donors left out for unreported months
    dropped_treated: tuple[str, ...]  # donors left out for interventions of their own
    place_names: dict[str, str]  # every municipality of the panel, code → name
    notices: tuple[Notice, ...]

    @property
    def fit(self):
        return self.inference.fit

    @property
    def p_value(self) -> float:
        return self.inference.p_value

    @property
    def dropped_treated_names(self) -> list[str]:
        return [self.place_names.get(code, code) for code in self.dropped_treated]


def _months(start: dt.date, end: dt.date) -> list[pd.Period]:
    return list(pd.period_range(start, end, freq="M"))


def _methodology(design: EvaluationDesign) -> str:
    first, last = design.before_start.year, design.after_end.year
    if first < FIRST_RNID_YEAR <= last:
        raise EvaluationError(
            _(
                "The windows run from %(start)s to %(end)s, across the 2026 change of SESNSP "
                "methodology: the crime catalogues before and after are not the same series. "
                "Keep both windows on one side of January 2026."
            )
            % {"start": design.before_start, "end": design.after_end}
        )
    return "rnid2026" if first >= FIRST_RNID_YEAR else "2015"


def _other_interventions(design: EvaluationDesign) -> set[str]:
    crimes = set(design.intervention.target_crimes)
    others = Intervention.objects.exclude(pk=design.intervention_id).filter(
        start_date__lte=design.after_end
    )
    return {
        i.municipality.cvegeo
        for i in others.select_related("municipality")
        if crimes & set(i.target_crimes)
        and (i.end_date is None or i.end_date >= design.before_start)
    }


def evaluate_municipality(user, design: EvaluationDesign) -> MunicipalEvaluation:
    """Synthetic control with placebo inference for a locked SESNSP design (cached)."""
    if not design.is_locked:
        raise EvaluationError(
            _(
                "Lock the evaluation design before looking at results: the windows and "
                "comparison sectors must be fixed first."
            )
        )
    if design.method != Method.SYNTHETIC_CONTROL:
        raise EvaluationError(_("This design is not a synthetic control."))
    methodology = _methodology(design)
    dataset = sesnsp.dataset_name(measure="crimes", level="municipal", methodology=methodology)
    snapshot = warehouse().manifest().snapshot(dataset, None)
    if snapshot is None:
        raise EvaluationError(
            _(
                "No SESNSP municipal data (%(dataset)s) has been ingested: civica ingest "
                "sesnsp FILE."
            )
            % {"dataset": dataset}
        )
    key = f"civica:synth:{design.pk}:{design.locked_at.isoformat()}:{snapshot.id}"
    found = cache.get(key)
    if found is None:
        found = _evaluate(design, dataset, snapshot)
        cache.set(key, found, CACHE_SECONDS)
    return found


def _evaluate(design, dataset, snapshot) -> MunicipalEvaluation:
    treated = design.intervention.municipality
    crimes = list(design.intervention.target_crimes)
    months = _months(design.before_start, design.after_end)
    frame = sesnsp.monthly_panel(
        warehouse().path_of(snapshot),
        crimes=crimes,
        first=(months[0].year, months[0].month),
        last=(months[-1].year, months[-1].month),
        state_code=treated.state.code if design.donor_pool == DonorPool.STATE else None,
    )
    if frame.empty or treated.cvegeo not in set(frame["code"]):
        raise EvaluationError(
            _(
                "The SESNSP data (cut %(cut)s) has no %(crimes)s for %(municipality)s in the "
                "windows; check the crime names (SESNSP subtipo) and the cut."
            )
            % {"cut": snapshot.cut, "crimes": ", ".join(crimes), "municipality": treated.name}
        )
    frame["period"] = [
        pd.Period(year=y, month=m, freq="M")
        for y, m in zip(frame["year"], frame["month"], strict=True)
    ]
    # One row per code and month: pivot, never an aggregating pivot_table, whose sum would
    # turn an unreported (NULL) month into 0.
    table = frame.pivot(index="code", columns="period", values="count")
    table = table.reindex(columns=months)
    names = frame.groupby("code")["name"].first().to_dict()
    window = [p for p in months if p <= pd.Period(design.before_end, freq="M")] + [
        p for p in months if p >= pd.Period(design.after_start, freq="M")
    ]
    table = table[window]
    row = table.loc[treated.cvegeo]
    if row.isna().any():
        missing = [str(p) for p in row.index[row.isna()]]
        raise EvaluationError(
            _(
                "%(municipality)s has no reported count for %(months)s: a missing month is not "
                "a zero. Choose windows where every month is reported."
            )
            % {"municipality": treated.name, "months": ", ".join(missing)}
        )
    places = set(Municipality.objects.values_list("cvegeo", flat=True))
    excluded = _other_interventions(design)
    candidates = [c for c in table.index if c != treated.cvegeo and c in places]
    dropped_treated = tuple(sorted(c for c in candidates if c in excluded))
    candidates = [c for c in candidates if c not in excluded]
    complete = table.loc[candidates].notna().all(axis=1)
    dropped_incomplete = tuple(sorted(complete.index[~complete]))
    donors = list(complete.index[complete])
    start = pd.Period(design.after_start, freq="M")
    pre_months = [p for p in window if p < start]
    try:
        inference = placebo_in_space(table.astype(float), treated.cvegeo, start, donors=donors)
        in_time = None
        if len(pre_months) >= 24:  # half the pre-period as a fake post-period, 12 months at least
            fake = pre_months[len(pre_months) // 2]
            in_time = placebo_in_time(
                table.astype(float), treated.cvegeo, start, fake, donors=donors
            )
    except SyntheticControlError as error:
        raise EvaluationError(str(error)) from error
    notices = []
    if inference.fit.poor_pre_fit:
        notices.append(
            Notice(
                "poor_pre_fit",
                gettext_lazy(
                    "The synthetic control does not follow %(municipality)s well before the "
                    "start (typical monthly miss %(rmspe).1f): read no effect from it."
                ),
                (("municipality", treated.name), ("rmspe", inference.fit.pre_rmspe)),
            )
        )
    if dropped_incomplete:
        notices.append(
            Notice(
                "donors_incomplete",
                gettext_lazy("%(n)s donor municipalities were left out for unreported months."),
                (("n", len(dropped_incomplete)),),
            )
        )
    return MunicipalEvaluation(
        design=design,
        dataset=dataset,
        cut=snapshot.cut,
        crimes=tuple(crimes),
        inference=inference,
        in_time=in_time,
        donor_names={code: names.get(code, code) for code in donors},
        dropped_incomplete=dropped_incomplete,
        dropped_treated=dropped_treated,
        place_names=names,
        notices=tuple(notices),
    )
