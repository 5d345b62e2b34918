"""The civic-justice indicators as computed before they were counted in the database (a
frame of every case in pandas), kept only as the reference of ``test_indicators_in_sql``:
the figures of :mod:`civica.justice.analysis` must equal these.

Civic-justice indicators and reincidence, in aggregates only.

Everything here reads the cases of a set of municipalities as a frame of non-personal
columns (no name, no birth date: the age comes from the month index kept beside the
encrypted birth date, the person from the keyed ``link_index``) and answers counts, shares
with their denominators, medians and the reincidence of :mod:`civica.stats.reincidence`.
No figure ever names a person: a share whose denominator is below
``CIVICA_SUPPRESSION_THRESHOLD`` persons is not shown (``hidden``), and neither is the
count behind it.

Which cases a figure counts (docs/justice.md, "Indicators"):

* presentations in the period — cases whose presentation falls in it (local date);
* shares of presentations (medical certificate, tamizaje, RND folio) over those cases;
* resolutions (sanction mix, alternative sanctions, commutation, arrests within 36 hours,
  hours to resolution) over the presentations of the period that were resolved;
* community-work compliance over the closed cases with community work;
* mediation agreements kept at 30/90 days over the agreements checked;
* reincidence over the persons with a resolution in the period (their first one).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
from django.conf import settings
from django.db.models import Max, Min
from django.utils.translation import gettext_lazy as _

from civica.justice.analysis import (  # the parts that did not change
    Breakdown,
    Figure,
    _age_band,
    _fetch,
    _threshold,
)
from civica.justice.measures import (
    BY,
    BY_NAMES,  # noqa: F401  (analysis.BY_NAMES, for the pages)
    MEASURES,
    UNKNOWN,
    Measure,
)
from civica.justice.models import Case, Mediation, Sanction
from civica.justice.models import Family as OffenceFamily
from civica.territory.models import PopulationEstimate

__all__ = [
    "BY",
    "MEASURES",
    "Breakdown",
    "Figure",
    "Measure",
    "case_frame",
    "figure",
    "reincidence",
    "reincidence_frames",
]


def scoped_cases(municipality_ids: Iterable[int] | None):
    """Cases of the municipalities (``None``: all). The one query every figure starts from."""
    cases = Case.objects.all()
    if municipality_ids is not None:
        cases = cases.filter(juzgado__municipality_id__in=list(municipality_ids))
    return cases


def _local(series: pd.Series) -> pd.Series:
    return pd.to_datetime(series, utc=True, format="ISO8601").dt.tz_convert(settings.TIME_ZONE)


CASE_COLUMNS = (
    "id",
    "juzgado_id",
    "juzgado__name",
    "juzgado__municipality_id",
    "person_id",
    "person__link_index",
    "person__sex",
    "person__birth_month_index",
    "presented_at",
    "detained_at",
    "medical_at",
    "screened_at",
    "risk_level",
    "resolved_at",
    "responsible",
    "sanction",
    "commutation",
    "community_hours",
    "arrest_hours",
    "rnd_folio",
    "closure",
    "minor",
)


def case_frame(municipality_ids, *, start=None, end=None) -> pd.DataFrame:
    ids = None if municipality_ids is None else frozenset(municipality_ids)
    return _case_frame(ids, start=start, end=end)


def _until(frame: pd.DataFrame, end: dt.date | None) -> pd.DataFrame:
    """The rows of a frame presented on ``end`` or before (local date)."""
    if end is None or frame.empty:
        return frame
    return frame[frame["presented_at"].dt.date <= end]


def _case_frame(municipality_ids, *, start, end) -> pd.DataFrame:
    cases = scoped_cases(municipality_ids)
    local = ZoneInfo(settings.TIME_ZONE)
    if start is not None:
        cases = cases.filter(
            presented_at__gte=dt.datetime.combine(start, dt.time.min, tzinfo=local)
        )
    if end is not None:
        cases = cases.filter(
            presented_at__lt=dt.datetime.combine(
                end + dt.timedelta(days=1), dt.time.min, tzinfo=local
            )
        )
    frame = _fetch(cases.order_by().values_list(*CASE_COLUMNS), CASE_COLUMNS)
    for column in ("presented_at", "detained_at", "medical_at", "screened_at", "resolved_at"):
        frame[column] = _local(frame[column])
    for column in ("responsible", "minor"):
        # SQLite answers 0/1 or booleans, PostgreSQL booleans; None stays None.
        frame[column] = [None if v is None else bool(v) for v in frame[column]]
    families = _fetch(
        Case.offences.through.objects.filter(case_id__in=cases.values("id"))
        .order_by()
        .values_list("case_id")
        .annotate(family=Min("offence__family")),
        ("id", "family"),
    )
    frame = frame.merge(families, on="id", how="left")
    names = {key: str(label) for key, label in OffenceFamily.choices}
    frame["family"] = frame["family"].map(names).fillna(UNKNOWN)
    frame["juzgado"] = frame["juzgado__name"]
    frame["sex"] = frame["person__sex"].fillna(UNKNOWN)
    months = (
        frame["presented_at"].dt.year * 12
        + frame["presented_at"].dt.month
        - 1
        - frame["person__birth_month_index"]
    )
    frame["age_band"] = _age_band(months.astype("float"))
    frame["month"] = frame["presented_at"].dt.strftime("%Y-%m")
    frame["person_key"] = frame["person__link_index"].where(
        frame["person__link_index"].fillna("") != "", "p" + frame["person_id"].astype(str)
    )
    return frame


def _share(frame: pd.DataFrame, denominator, numerator, by: str | None) -> Figure | list:
    denominator = np.asarray(denominator, dtype=bool)
    numerator = np.asarray(numerator, dtype=bool) & denominator
    base = pd.DataFrame(
        {"d": denominator.astype(int), "n": numerator.astype(int)}, index=frame.index
    )
    return _rows(base, frame, by, lambda n, d: 100.0 * n / d if d else None)


def _rows(base: pd.DataFrame, frame: pd.DataFrame, by: str | None, value) -> list[Breakdown]:
    threshold = _threshold()

    def one(key, n, d) -> Breakdown:
        if d == 0:
            return Breakdown(str(key), None, 0.0, None)
        if d < threshold:
            return Breakdown(str(key), None, None, None, hidden=True)
        return Breakdown(str(key), float(n), float(d), value(n, d))

    total = one("", base["n"].sum(), base["d"].sum())
    rows = []
    if by:
        grouped = base.groupby(frame[by].astype(str)).sum()
        rows = [one(key, r.n, r.d) for key, r in grouped.iterrows() if r.d > 0]
    return [total, *rows]


def _population(municipality_ids: Iterable[int] | None, year: int) -> int | None:
    estimates = PopulationEstimate.objects.filter(municipality__isnull=False)
    if municipality_ids is not None:
        estimates = estimates.filter(municipality_id__in=list(municipality_ids))
    ids = set(scoped_cases(municipality_ids).values_list("juzgado__municipality_id", flat=True))
    estimates = estimates.filter(municipality_id__in=ids)
    total = 0
    for municipality in ids:
        row = (
            estimates.filter(municipality_id=municipality, year__lte=year)
            .order_by("-year")
            .values_list("total", flat=True)
            .first()
        ) or (
            estimates.filter(municipality_id=municipality)
            .order_by("year")
            .values_list("total", flat=True)
            .first()
        )
        if not row:
            return None
        total += row
    return total or None


def figure(
    name: str,
    *,
    municipality_ids: Iterable[int] | None,
    start: dt.date,
    end: dt.date,
    by: str | None = None,
    parameter: str = "",
) -> Figure:
    """One indicator over the cases of the municipalities presented from ``start`` to
    ``end`` (inclusive), in total and by ``by``."""
    measure = MEASURES[name]
    if measure.choices and parameter not in measure.choices:
        parameter = measure.choices[-1] if name != "sanction_mix" else "arresto"
    if by is not None and by not in BY:
        raise ValueError(f"by is one of {', '.join(BY)}")
    if name == "reincidence":
        return _reincidence_figure(measure, municipality_ids, start, end, by, int(parameter))
    if name == "mediation_kept":
        return _mediation_figure(measure, municipality_ids, start, end, by, parameter)
    frame = _until(case_frame(municipality_ids, start=start), end)
    every = np.ones(len(frame), dtype=bool)
    resolved = frame["resolved_at"].notna().to_numpy()
    responsible = resolved & (frame["responsible"] == True).to_numpy()  # noqa: E712
    sanction = frame["sanction"].fillna("").to_numpy()
    hours = frame["community_hours"].fillna(0).to_numpy() > 0
    if name == "presentations_rate":
        return _rate_figure(measure, frame, municipality_ids, start, end, by)
    if name == "hours_to_resolution":
        spent = ((frame["resolved_at"] - frame["presented_at"]).dt.total_seconds() / 3600).where(
            pd.Series(resolved, index=frame.index)
        )
        threshold = _threshold()

        def median(part: pd.Series, key: str) -> Breakdown:
            values = part.dropna()
            if values.empty:
                return Breakdown(key, None, 0, None)
            if len(values) < threshold:
                return Breakdown(key, None, None, None, hidden=True)
            return Breakdown(
                key, float(values.median()), float(len(values)), float(values.median())
            )

        rows = [median(spent, "")]
        if by:
            rows += [median(part, str(k)) for k, part in spent.groupby(frame[by].astype(str))]
            rows = [rows[0], *[r for r in rows[1:] if r.denominator != 0]]
        return Figure(measure, parameter, rows[0], tuple(rows[1:]), by)
    if name == "medical_certificate":
        d, n = every, frame["medical_at"].notna()
    elif name == "screened":
        d, n = every, frame["screened_at"].notna()
    elif name == "rnd_folio":
        d, n = every, frame["rnd_folio"].fillna("") != ""
    elif name == "risk_level":
        d, n = frame["screened_at"].notna(), frame["risk_level"] == parameter
    elif name == "sanction_mix":
        d, n = responsible, sanction == parameter
    elif name == "alternative_sanctions":
        d, n = responsible, hours | (sanction == Sanction.MEASURE)
    elif name == "commutation":
        d = frame["commutation"].isin(["asked", "granted", "denied"])
        n = frame["commutation"] == "granted"
    elif name == "community_work_compliance":
        d = hours & frame["closure"].isin(["complied", "noncompliance"]).to_numpy()
        n = frame["closure"] == "complied"
    elif name == "arrests_within_36h":
        d = resolved & (sanction == Sanction.ARREST)
        release = frame["detained_at"].fillna(frame["presented_at"]) + pd.to_timedelta(
            frame["arrest_hours"].fillna(0), unit="h"
        )
        custody_end = release.where(release > frame["resolved_at"], frame["resolved_at"])
        custody = (
            custody_end - frame["detained_at"].fillna(frame["presented_at"])
        ).dt.total_seconds()
        n = custody <= 36 * 3600
    else:  # pragma: no cover - every measure is handled above
        raise ValueError(name)
    rows = _share(frame, d, n, by)
    return Figure(measure, parameter, rows[0], tuple(rows[1:]), by)


def _rate_figure(measure, frame, municipality_ids, start, end, by) -> Figure:
    """Presentations per 100,000 inhabitants a year: the count annualised by days over the
    CONAPO population of the municipalities with juzgados (the latest estimate up to the
    period's year). Groups get their counts only: a rate needs the group's own population."""
    population = _population(municipality_ids, start.year)
    days = (end - start).days + 1
    count = len(frame)
    note = ""
    if population:
        total = Breakdown(
            "", float(count), float(population), count * 365.0 / days / population * 1e5
        )
    else:
        total = Breakdown("", float(count), None, None)
        note = str(_("No CONAPO population for these municipalities: counts only."))
    rows = []
    if by:
        for key, n in frame.groupby(frame[by].astype(str)).size().items():
            hidden = n < _threshold()
            rows.append(Breakdown(str(key), None if hidden else float(n), None, None, hidden))
    return Figure(measure, "", total, tuple(rows), by, note)


def _mediation_figure(measure, municipality_ids, start, end, by, parameter) -> Figure:
    days = int(parameter)
    mediations = Mediation.objects.filter(case__in=scoped_cases(municipality_ids))
    mediations = mediations.filter(agreed_on__gte=start, agreed_on__lte=end)
    kept = f"kept_{days}"
    rows = list(mediations.values_list("case_id", kept))
    frame = case_frame(municipality_ids, start=start)
    table = pd.DataFrame(rows, columns=["id", "kept"]).merge(frame, on="id", how="left")
    for column in BY:
        table[column] = table[column].fillna(UNKNOWN)
    checked = table["kept"].notna().to_numpy()
    shares = _share(table, checked, table["kept"].fillna(False).astype(bool), by)
    return Figure(measure, parameter, shares[0], tuple(shares[1:]), by)


def reincidence_frames(
    municipality_ids: Iterable[int] | None, *, start: dt.date, end: dt.date, group: str = "sanction"
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The inputs of :func:`civica.stats.reincidence.reincidence`: resolutions in the period
    (person key, date, group, adolescent, observed until = the last presentation recorded
    by the case's juzgado) and every later presentation of the municipalities."""
    later = case_frame(municipality_ids, start=start)
    observed = (
        scoped_cases(municipality_ids)
        .values("juzgado_id")
        .annotate(last=Max("presented_at"))
        .values_list("juzgado_id", "last")
    )
    last = {k: pd.Timestamp(v).tz_convert(settings.TIME_ZONE).date() for k, v in observed}
    resolved = later[later["resolved_at"].notna()]
    resolved = resolved[resolved["resolved_at"].dt.date <= end]
    resolved = resolved[resolved["resolved_at"].dt.date >= start]
    groups = {key: str(label) for key, label in Sanction.choices}
    resolutions = pd.DataFrame(
        {
            "person": resolved["person_key"],
            "date": resolved["resolved_at"].dt.date,
            "group": [str(groups.get(s, UNKNOWN)) if s else UNKNOWN for s in resolved["sanction"]]
            if group == "sanction"
            else resolved[group].astype(str),
            "adolescent": resolved["minor"].astype(bool),
            "observed_until": resolved["juzgado_id"].map(last),
        }
    )
    # A resolution recorded after the last presentation of its juzgado observes nothing more.
    resolutions["observed_until"] = np.maximum(
        pd.to_datetime(resolutions["observed_until"]), pd.to_datetime(resolutions["date"])
    )
    presentations = pd.DataFrame(
        {"person": later["person_key"], "date": later["presented_at"].dt.date}
    )
    return resolutions, presentations


def reincidence(municipality_ids, *, start: dt.date, end: dt.date, group: str = "sanction"):
    """Reincidence of the persons resolved from ``start`` to ``end`` (see
    :mod:`civica.stats.reincidence`), or ``None`` without any resolution."""
    from civica.stats.reincidence import reincidence as compute

    ids = None if municipality_ids is None else frozenset(municipality_ids)
    resolutions, presentations = reincidence_frames(ids, start=start, end=end, group=group)
    return None if resolutions.empty else compute(resolutions, presentations)


def _reincidence_figure(measure, municipality_ids, start, end, by, months) -> Figure:
    group = by if by in ("sex", "age_band", "juzgado", "family", "month") else "sanction"
    result = reincidence(municipality_ids, start=start, end=end, group=group)
    threshold = _threshold()

    def one(row, key) -> Breakdown:
        if row is None or row.observed == 0:
            return Breakdown(key, None, 0 if row is None else row.observed, None)
        if row.observed < threshold:
            return Breakdown(key, None, None, None, hidden=True)
        return Breakdown(key, float(row.events), float(row.observed), 100.0 * row.share)

    if result is None:
        return Figure(measure, str(months), Breakdown("", None, 0, None), (), by)
    adults = [r for r in result.table if r.population == "adult" and r.window_months == months]
    total = next((r for r in adults if r.group == "*"), None)
    rows = [one(r, r.group) for r in adults if r.group != "*"] if by else []
    pending = total.under_observation if total else 0
    note = (
        str(_("%(n)s persons are still under observation and are not in the denominator."))
        % {"n": pending}
        if pending
        else ""
    )
    return Figure(measure, str(months), one(total, ""), tuple(rows), by, note)


def monthly(
    municipality_ids, *, start: dt.date, end: dt.date
) -> list[tuple[str, int, float | None]]:
    """``(YYYY-MM, presentations, share screened %)`` for every month from ``start`` to
    ``end``; a month with too few presentations has no share (``None``)."""
    frame = _until(case_frame(municipality_ids, start=start), end)
    months = pd.period_range(start, end, freq="M").strftime("%Y-%m")
    counts = frame.groupby("month").size()
    screened = frame.groupby("month")["screened_at"].count()
    out = []
    for month in months:
        n = int(counts.get(month, 0))
        share = 100.0 * int(screened.get(month, 0)) / n if n >= _threshold() else None
        out.append((month, n, share))
    return out
