"""Synthetic control of the municipality from SESNSP series: one registered method.

The treated municipality's monthly count of the target crimes is compared with a weighted
average of donor municipalities (:mod:`civica.stats.synthetic_control`), fitted on the
design's before window and read on its after window; placebo-in-space inference ranks the
result among every donor refitted as if treated, and a placebo in time checks that no effect
appears before the start. Donors are municipalities of the territory catalogue (SESNSP's
"Otros municipios"/"No especificado" rows are not places) with every month reported, and
without a registered intervention of their own on the same crimes in the windows. The SESNSP
cut and the donor pool are frozen when the design is locked (:func:`freeze`): an intervention
registered afterwards, or a later cut, never changes a locked result.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civica.core.services import warehouse
from civica.interventions.areas import EvaluationError
from civica.interventions.headline import crime_label, window_label
from civica.interventions.methods.base import (
    EvaluationMethod,
    Figures,
    Notice,
    register,
    require_locked,
)
from civica.interventions.models import (
    DonorPool,
    EvaluationDesign,
    Intervention,
    Method,
    OutcomeScale,
)
from civica.interventions.stat_notes import synthetic_notes
from civica.official.selectors import FIRST_RNID_YEAR
from civica.stats.synthetic_control import (
    PlaceboInSpace,
    PlaceboInTime,
    SyntheticControlError,
    placebo_in_space,
    placebo_in_time,
)
from civica.tables import number_text
from civica.territory.models import Municipality, PopulationEstimate
from civica.warehouse import sesnsp
from civica.web.charts import Series, line_chart

__all__ = ["METHOD", "MunicipalEvaluation", "evaluate_municipality"]

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
    scale: str = OutcomeScale.COUNTS  # "counts" or "rate" (per 100,000 inhabitants a month)
    dropped_no_population: tuple[str, ...] = ()  # donors without a CONAPO population

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


def _snapshot(design: EvaluationDesign):
    """The SESNSP dataset and snapshot of the design: the cut frozen at lock, else the current."""
    frozen = design.frozen or {}
    dataset = frozen.get("dataset") or sesnsp.dataset_name(
        measure="crimes", level="municipal", methodology=_methodology(design)
    )
    snapshot = warehouse().manifest().snapshot(dataset, frozen.get("cut"))
    if snapshot is None:
        raise EvaluationError(
            _(
                "No SESNSP municipal data (%(dataset)s) has been ingested: civica ingest "
                "sesnsp FILE."
            )
            % {"dataset": dataset}
            if not frozen.get("cut")
            else _(
                "The SESNSP cut %(cut)s this design was locked on is no longer in the "
                "warehouse; re-import it to see this result."
            )
            % {"cut": frozen["cut"]}
        )
    return dataset, snapshot


def freeze(user, design: EvaluationDesign) -> dict:
    """The SESNSP cut and the donor pool as they are when the design is locked (empty when
    the data is not loaded yet: the first evaluation then reads them as they are)."""
    try:
        dataset, snapshot = _snapshot(design)
        inputs = _inputs(design, snapshot)
    except EvaluationError:
        return {}
    return {
        "dataset": dataset,
        "cut": snapshot.cut,
        "snapshot": snapshot.id,
        "donors": list(inputs.donors),
        "dropped_treated": list(inputs.dropped_treated),
        "scale": inputs.scale,
    }


def evaluate_municipality(user, design: EvaluationDesign, progress=None) -> MunicipalEvaluation:
    """Synthetic control with placebo inference for a locked SESNSP design (cached);
    ``progress(done, total)`` after each donor's placebo fit."""
    require_locked(design)
    if design.method != Method.SYNTHETIC_CONTROL:
        raise EvaluationError(_("This design is not a synthetic control."))
    dataset, snapshot = _snapshot(design)
    key = f"civica:synth:{design.pk}:{design.locked_at.isoformat()}:{snapshot.id}"
    found = cache.get(key)
    if found is None:
        found = _evaluate(design, dataset, snapshot, progress)
        cache.set(key, found, CACHE_SECONDS)
    return found


@dataclass(frozen=True)
class _Inputs:
    table: pd.DataFrame  # code × month counts of the windows
    names: dict[str, str]
    donors: tuple[str, ...]
    dropped_incomplete: tuple[str, ...]
    dropped_treated: tuple[str, ...]
    window: list[pd.Period]
    scale: str = OutcomeScale.COUNTS
    dropped_no_population: tuple[str, ...] = ()


def _inputs(design, snapshot) -> _Inputs:
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
    frozen = design.frozen or {}
    if "donors" in frozen:  # the pool fixed at lock; later registrations do not move it
        candidates = [c for c in frozen["donors"] if c in table.index]
        dropped_treated = tuple(frozen.get("dropped_treated", ()))
    else:
        excluded = _other_interventions(design)
        candidates = [c for c in table.index if c != treated.cvegeo and c in places]
        dropped_treated = tuple(sorted(c for c in candidates if c in excluded))
        candidates = [c for c in candidates if c not in excluded]
    complete = table.loc[candidates].notna().all(axis=1)
    dropped_incomplete = tuple(sorted(complete.index[~complete]))
    donors = tuple(complete.index[complete])
    scale, table, donors, no_population = _on_scale(design, table, treated, donors, window)
    return _Inputs(
        table, names, donors, dropped_incomplete, dropped_treated, window, scale, no_population
    )


SIZE_RATIO = 10.0
"""With ``auto``, rates are used when the largest municipality of the panel (treated and
donors) has more than this many times the population of the smallest: on counts the weights
would mix towns of very different size to match a level, not a trend."""


def _populations(codes, years) -> pd.DataFrame:
    """CONAPO mid-year population, municipality code × year (missing: NaN)."""
    rows = PopulationEstimate.objects.filter(
        municipality__cvegeo__in=list(codes), year__in=sorted(years)
    ).values_list("municipality__cvegeo", "year", "total")
    frame = pd.DataFrame(list(rows), columns=["code", "year", "total"])
    return (
        frame.pivot(index="code", columns="year", values="total")
        .reindex(index=list(codes), columns=sorted(years))
        .astype(float)
    )


def _on_scale(design, table, treated, donors, window):
    """The outcome on the design's scale: counts, or monthly rates per 100,000 inhabitants
    (each month's count over its year's population). Returns the scale, the table on it, the
    donors that have a population for every year, and the ones left out for lacking one."""
    frozen = (design.frozen or {}).get("scale")
    years = {p.year for p in window}
    codes = [treated.cvegeo, *donors]
    population = _populations(codes, years)
    known = population.notna().all(axis=1)
    scale = frozen or design.outcome_scale
    if scale == OutcomeScale.AUTO:
        sizes = population[known].iloc[:, 0]
        wide = known[treated.cvegeo] and sizes.max() > SIZE_RATIO * sizes.min()
        scale = OutcomeScale.RATE if wide else OutcomeScale.COUNTS
    if scale == OutcomeScale.COUNTS:
        return scale, table, donors, ()
    if not known[treated.cvegeo]:
        raise EvaluationError(
            _(
                "%(municipality)s has no CONAPO population for every year of the windows, so "
                "its rate per 100,000 cannot be computed: import the population or choose "
                "counts."
            )
            % {"municipality": treated.name}
        )
    no_population = tuple(sorted(c for c in donors if not known[c]))
    donors = tuple(c for c in donors if known[c])
    by_month = pd.DataFrame(
        {p: population[p.year] for p in window}, index=population.index
    ).reindex(columns=table.columns)
    rates = table.loc[[treated.cvegeo, *donors]] / by_month.loc[[treated.cvegeo, *donors]] * 1e5
    return scale, rates, donors, no_population


def _evaluate(design, dataset, snapshot, progress=None) -> MunicipalEvaluation:
    treated = design.intervention.municipality
    crimes = list(design.intervention.target_crimes)
    inputs = _inputs(design, snapshot)
    table, names, window = inputs.table, inputs.names, inputs.window
    donors = list(inputs.donors)
    dropped_incomplete, dropped_treated = inputs.dropped_incomplete, inputs.dropped_treated
    start = pd.Period(design.after_start, freq="M")
    pre_months = [p for p in window if p < start]
    try:
        inference = placebo_in_space(
            table.astype(float), treated.cvegeo, start, donors=donors, progress=progress
        )
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
    if inputs.dropped_no_population:
        notices.append(
            Notice(
                "donors_without_population",
                gettext_lazy(
                    "%(n)s donor municipalities were left out for lacking a CONAPO population "
                    "(their rate per 100,000 cannot be computed)."
                ),
                (("n", len(inputs.dropped_no_population)),),
            )
        )
    return MunicipalEvaluation(
        scale=inputs.scale,
        dropped_no_population=inputs.dropped_no_population,
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


# --- The method's other entry points -------------------------------------------------------


def check_design(design, targets, comparison) -> list:
    """A synthetic control has no sectors to check: its rules are on the model (monthly
    windows, no buffer, no comparison sectors). It follows one municipality's series, so an
    intervention across several municipalities needs a sector design."""
    places = design.intervention.municipalities()
    if len(places) > 1:
        return [
            (
                "method",
                ValidationError(
                    _(
                        "A synthetic control follows one municipality; this intervention "
                        "spans %(places)s. Use a before/after or panel design of its sectors."
                    ),
                    code="synthetic_control_of_one_municipality",
                    params={"places": design.intervention.places_label},
                ),
            )
        ]
    return []


def headline(evaluation, language: str | None = None) -> str:
    """The sentence of a synthetic-control evaluation: percent gap, placebo rank, donors."""
    with translation.override(language or translation.get_language()):
        design, fit, inference = evaluation.design, evaluation.fit, evaluation.inference
        digits = 1 if evaluation.scale == OutcomeScale.RATE else 0
        values = {
            "crimes": ", ".join(crime_label(c) for c in evaluation.crimes),
            "municipality": design.intervention.municipality.name,
            "donors": len(evaluation.donor_names),
            "after": window_label(design.after_start, design.after_end),
            "observed": number_text(fit.observed_post_total, decimals=digits),
            "synthetic": number_text(fit.synthetic_post_total, decimals=digits),
            "rank": inference.rank,
            "of": inference.n_included + 1,
            "p": number_text(inference.p_value, decimals=2),
        }
        if fit.effect_percent is None:
            return (
                _(
                    "%(crimes)s in %(municipality)s, %(after)s: %(observed)s observed against a "
                    "synthetic control of 0; no percent can be given."
                )
                % values
            )
        values["pct"] = number_text(abs(fit.effect_percent), decimals=0)
        if fit.effect_percent < 0:
            text = _(
                "%(crimes)s in %(municipality)s was %(pct)s%% lower than its synthetic control "
                "from %(donors)s municipalities in %(after)s (%(observed)s vs %(synthetic)s); "
                "placebo rank %(rank)s of %(of)s, p = %(p)s"
            )
        else:
            text = _(
                "%(crimes)s in %(municipality)s was %(pct)s%% higher than its synthetic control "
                "from %(donors)s municipalities in %(after)s (%(observed)s vs %(synthetic)s); "
                "placebo rank %(rank)s of %(of)s, p = %(p)s"
            )
        text = text % values
        if inference.p_value >= 0.05:
            text += _(": not distinguishable from the placebos")
        if fit.poor_pre_fit:
            text += _("; the pre-period fit is poor, so this is not evidence either way")
        return text + scale_clause(evaluation.scale) + "."


def scale_clause(scale: str) -> str:
    """Which outcome the synthetic control matched, said in every sentence."""
    if scale == OutcomeScale.RATE:
        return _("; outcome: rates per 100,000 inhabitants (CONAPO), summed over the months")
    return _("; outcome: counts of events")


def _chart(result) -> dict:
    fit = result.fit
    return line_chart(
        [str(m) for m in fit.months],
        [
            Series(result.design.intervention.municipality.name, tuple(fit.observed)),
            Series(_("Synthetic control"), tuple(fit.synthetic)),
        ],
    )


def page_data(result) -> dict:
    weights = [(result.donor_names.get(code, code), w) for code, w in result.fit.weights]
    return {
        "synthetic": result,
        "chart": _chart(result),
        "weights": weights,
        "synthetic_notes": synthetic_notes(result.inference),
    }


def figures(result) -> Figures:
    """Observed over synthetic after the start, with the placebo-in-space p-value (the
    method's inference has no interval: its p is the rank among the placebos)."""
    fit = result.fit
    ratio = fit.observed_post_total / fit.synthetic_post_total if fit.synthetic_post_total else None
    return Figures(
        method=Method.SYNTHETIC_CONTROL,
        measure="observed_over_synthetic",
        inference="placebo_in_space",
        scale="rate_per_100k" if result.scale == OutcomeScale.RATE else "counts",
        estimate=ratio,
        lower=None,
        upper=None,
        percent_change=fit.effect_percent,
        percent_lower=None,
        percent_upper=None,
        p_value=result.p_value,
        df=None,
        se=None,
        treated_units=1,
        treated_before=float(sum(fit.observed[: fit.n_pre])),
        treated_after=fit.observed_post_total,
    )


def table(result) -> tuple[list[dict], dict]:
    """Donor weights as rows; fit, placebo rank and data as facts."""
    fit = result.fit
    rows = [
        {"donor": code, "name": result.donor_names.get(code, code), "weight": weight}
        for code, weight in fit.weights
    ]
    facts: dict = {
        "observed_after": fit.observed_post_total,
        "synthetic_after": fit.synthetic_post_total,
        "pre_rmspe": fit.pre_rmspe,
        "placebo_rank": result.inference.rank,
        "placebos": result.inference.n_included,
        "data": result.dataset,
        "cut": result.cut,
        "donors": len(result.donor_names),
    }
    for notice in result.notices:
        facts[f"warning_{notice.code}"] = str(notice)
    return rows, facts


METHOD = register(
    EvaluationMethod(
        name=Method.SYNTHETIC_CONTROL,
        check_design=check_design,
        freeze=freeze,
        evaluate=evaluate_municipality,
        headline=headline,
        page_data=page_data,
        figures=figures,
        table=table,
    )
)
