"""Civic-justice indicators and reincidence, in aggregates only.

The indicators read the cases' columns kept by juzgado and month
(:mod:`civica.justice.columns`: per case, its month, instants, hours to resolution, the
grouping keys it stores and one integer of flags the database evaluated from the indicators'
conditions; never a name or a birth date), read again from the cases only for the months
that changed. From them numpy counts each flag per group of the breakdowns asked, sums the
groups to each breakdown's keys, hides small cells, divides, and adds the CONAPO population
of the rate; takes the exact median hours to resolution; and gives
:mod:`civica.stats.reincidence` its frames. Mediation agreements are read as their own few
rows.
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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from civica.justice import columns
from civica.justice.columns import Columns, bounds, month_of
from civica.justice.measures import (
    AGE_BANDS,
    BY,
    BY_NAMES,  # noqa: F401  (analysis.BY_NAMES, for the pages)
    MEASURES,
    UNKNOWN,
    Measure,
)
from civica.justice.models import Case, Juzgado, Mediation, Sanction
from civica.justice.models import Family as OffenceFamily
from civica.territory.models import PopulationEstimate

__all__ = [
    "BY",
    "MEASURES",
    "Breakdown",
    "Figure",
    "Measure",
    "breakdowns",
    "figure",
    "figures",
    "reincidence",
    "reincidence_frames",
    "table",
]

#: The indicator table of the dashboard, CLI and API: (measure, parameter).
DASHBOARD_MEASURES = (
    ("presentations_rate", ""),
    ("medical_certificate", ""),
    ("screened", ""),
    ("risk_level", "high"),
    ("sanction_mix", "multa"),
    ("sanction_mix", "arresto"),
    ("alternative_sanctions", ""),
    ("commutation", ""),
    ("community_work_compliance", ""),
    ("mediation_kept", "30"),
    ("mediation_kept", "90"),
    ("hours_to_resolution", ""),
    ("arrests_within_36h", ""),
    ("rnd_folio", ""),
    ("reincidence", "6"),
    ("reincidence", "12"),
)


@dataclass(frozen=True)
class Breakdown:
    """One row of a figure: the group (``key`` = its value), numerator, denominator and
    value; ``hidden`` when the denominator is a small cell (then the numbers are None)."""

    key: str
    numerator: float | None
    denominator: float | None
    value: float | None
    hidden: bool = False


@dataclass(frozen=True)
class Figure:
    measure: Measure
    parameter: str
    total: Breakdown
    rows: tuple[Breakdown, ...]
    by: str | None
    note: str = ""


def _threshold() -> int:
    return int(settings.CIVICA_SUPPRESSION_THRESHOLD)


def _age_band(months: pd.Series) -> pd.Series:
    years = months // 12
    out = pd.Series(UNKNOWN, index=months.index, dtype=object)
    for low, high, label in AGE_BANDS:
        out[(years >= low) & (years < high)] = label
    out[years >= AGE_BANDS[-1][1]] = f"{AGE_BANDS[-1][1]}+"
    return out


# --- The counts: a sum per numerator and denominator, from the kept columns. -------------

#: (denominator, numerator) sums of each share, by measure (and parameter).
SHARES = {
    "medical_certificate": ("presentations", "medical"),
    "screened": ("presentations", "screened"),
    "rnd_folio": ("presentations", "rnd"),
    "alternative_sanctions": ("responsible", "alternative"),
    "commutation": ("commutation_asked", "commutation_granted"),
    "community_work_compliance": ("work_closed", "work_complied"),
    "arrests_within_36h": ("arrests", "arrests_36h"),
}


def _share_sums(name: str, parameter: str) -> tuple[str, str]:
    if name == "risk_level":
        return "screened", f"risk_{parameter}"
    if name == "sanction_mix":
        return "responsible", f"sanction_{parameter}"
    return SHARES[name]


@dataclass(frozen=True)
class Counts:
    """The sums of :func:`_count_conditions` per group of ``dims`` (``rows``: one dict per
    group, its keys already as the pages show them), answered by one query."""

    dims: tuple[str, ...]
    rows: tuple[dict, ...]

    def by(self, dim: str | None) -> tuple[dict, list[tuple[str, dict]]]:
        """The total and the groups of ``dim`` (sorted by key), each a dict of sums."""
        total: dict[str, int] = {}
        groups: dict[str, dict[str, int]] = {}
        for row in self.rows:
            sums = row["sums"]
            for k, v in sums.items():
                total[k] = total.get(k, 0) + v
            if dim:
                group = groups.setdefault(row[dim], {})
                for k, v in sums.items():
                    group[k] = group.get(k, 0) + v
        return total, sorted(groups.items())


def _month_text(index) -> str:
    return UNKNOWN if index is None else f"{int(index) // 12:04d}-{int(index) % 12 + 1:02d}"


def _family_names() -> dict[str, str]:
    return {key: str(label) for key, label in OffenceFamily.choices}


def _juzgado_names(ids) -> dict[int, str]:
    return dict(Juzgado.objects.filter(pk__in=set(ids)).values_list("pk", "name"))


def counts(
    municipality_ids,
    *,
    start: dt.date,
    end: dt.date,
    dims: Sequence[str] = (),
    sums: Iterable[str] | None = None,
) -> Counts:
    """The sums (named in :func:`civica.justice.columns.conditions`; default all) that every
    indicator but reincidence, mediation and the median divides, of the cases presented in
    the period, per group of ``dims`` (one group without). ``presentations`` is always
    counted."""
    read = columns.read(municipality_ids, first=month_of(start), last=month_of(end))
    cases = _period(read, start, end)
    return _counts(cases, dims, sums, _Keys(cases))


def _period(cases: Columns, start: dt.date, end: dt.date) -> Columns:
    """The cases presented from ``start`` to ``end`` (inclusive local dates)."""
    low, high = bounds(start, end)
    seconds = cases["presented"]
    return cases.where((seconds >= low.timestamp()) & (seconds < high.timestamp()))


def _counts(cases: Columns, dims: Sequence[str], sums: Iterable[str] | None, keys) -> Counts:
    """:func:`counts` of the cases of a period; ``keys(dim)`` their keys of a breakdown."""
    dims = tuple(dict.fromkeys(dims))
    names = list(columns.conditions())
    if sums is not None:
        wanted = {"presentations", *sums}
        names = [name for name in names if name in wanted]
    if not len(cases):
        return Counts(dims, ())
    # One integer per group of the dims (the codes of each key, in mixed radix).
    group = np.zeros(len(cases), np.int64)
    labels = []
    for dim in dims:
        codes, uniques = pd.factorize(keys(dim))
        group = group * len(uniques) + codes
        labels.append(uniques)
    groups, inverse = np.unique(group, return_inverse=True)
    flags = cases["flags"]
    bits = {name: i for i, name in enumerate(columns.conditions())}
    totals = {
        name: np.bincount(inverse, weights=(flags >> bits[name]) & 1, minlength=len(groups))
        for name in names
    }
    rows = []
    for index, code in enumerate(groups):
        row: dict = {"sums": {name: int(totals[name][index]) for name in names}}
        for dim, uniques in zip(reversed(dims), reversed(labels), strict=True):
            code, at = divmod(int(code), len(uniques))
            row[dim] = str(uniques[at])
        rows.append(row)
    return Counts(dims, tuple(rows))


def _fetch(queryset, columns) -> pd.DataFrame:
    """The rows of a ``values_list`` queryset as a frame, read with the database cursor: the
    per-value converters of the ORM (dates on SQLite) cost more than the query, pandas
    converts whole columns at once."""
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:  # e.g. no municipality in scope: nothing to read
        return pd.DataFrame(columns=list(columns))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return pd.DataFrame.from_records(rows, columns=list(columns))


def _population(municipality_ids: Iterable[int] | None, year: int) -> int | None:
    estimates = PopulationEstimate.objects.filter(municipality__isnull=False)
    if municipality_ids is not None:
        estimates = estimates.filter(municipality_id__in=list(municipality_ids))
    # The municipalities with a case (one index probe per juzgado, not a scan of the cases).
    juzgados = Juzgado.objects.filter(Exists(Case.objects.filter(juzgado=OuterRef("pk"))))
    if municipality_ids is not None:
        juzgados = juzgados.filter(municipality_id__in=list(municipality_ids))
    ids = set(juzgados.values_list("municipality_id", flat=True))
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
    return figures(
        [(name, parameter, by)], municipality_ids=municipality_ids, start=start, end=end
    )[0]


def table(
    municipality_ids: Iterable[int] | None, *, start: dt.date, end: dt.date, by: str | None = None
) -> list[Figure]:
    """The figures of :data:`DASHBOARD_MEASURES` (dashboard, CLI and API), in that order."""
    wanted = [(name, parameter, by) for name, parameter in DASHBOARD_MEASURES]
    return figures(wanted, municipality_ids=municipality_ids, start=start, end=end)


def breakdowns(
    name: str, *, municipality_ids, start: dt.date, end: dt.date, parameter: str = ""
) -> list[Figure]:
    """One indicator by each disaggregation of :data:`BY` (the drill-down page), in order."""
    wanted = [(name, parameter, by) for by in BY]
    return figures(wanted, municipality_ids=municipality_ids, start=start, end=end)


def _parameter(measure: Measure, parameter: str) -> str:
    if measure.choices and parameter not in measure.choices:
        return measure.choices[-1] if measure.name != "sanction_mix" else "arresto"
    return parameter


def figures(
    wanted: Sequence[tuple[str, str, str | None]],
    *,
    municipality_ids: Iterable[int] | None,
    start: dt.date,
    end: dt.date,
) -> list[Figure]:
    """The figures of ``wanted`` (``(measure, parameter, by)`` each) over one period and
    scope, reading the cases' kept columns once (:mod:`civica.justice.columns`: the months
    of the period, and every later one when reincidence is asked) and the mediations once;
    the counts are summed once over every breakdown asked."""
    ids = None if municipality_ids is None else frozenset(municipality_ids)
    asked = []
    for name, parameter, by in wanted:
        if by is not None and by not in BY:
            raise ValueError(f"by is one of {', '.join(BY)}")
        measure = MEASURES[name]
        asked.append((measure, _parameter(measure, parameter), by))
    counted = [
        by
        for m, _p, by in asked
        if m.name not in ("reincidence", "mediation_kept", "hours_to_resolution")
    ]
    needed = {
        part
        for m, p, _by in asked
        if m.name in SHARES or m.name in ("risk_level", "sanction_mix")
        for part in _share_sums(m.name, p)
    }
    follow = any(m.name == "reincidence" for m, _p, _by in asked)
    read = columns.read(ids, first=month_of(start), last=None if follow else month_of(end))
    cases = _period(read, start, end)
    keys = _Keys(cases)
    sums = _counts(cases, [b for b in counted if b], needed, keys) if counted else None
    kept: dict = {}
    out = []
    for measure, parameter, by in asked:
        name = measure.name
        if name == "reincidence":
            # The table's totals need no group (the pages' breakdowns: by sanction or key).
            group = by if by in BY else None
            if ("reincidence", group) not in kept:
                kept[("reincidence", group)] = _reincidence(
                    ids, start=start, end=end, group=group, curves=False, later=read
                )
            out.append(
                _reincidence_figure(measure, kept[("reincidence", group)], by, int(parameter))
            )
        elif name == "mediation_kept":
            if "mediations" not in kept:
                kept["mediations"] = _mediations(ids, start, end)
            out.append(_mediation_figure(measure, kept["mediations"], by, parameter))
        elif name == "hours_to_resolution":
            if ("hours", by) not in kept:
                kept[("hours", by)] = _resolution_hours(cases, keys, by)
            out.append(_median_figure(measure, kept[("hours", by)], by))
        elif name == "presentations_rate":
            out.append(_rate_figure(measure, sums, ids, start, end, by))
        else:
            denominator, numerator = _share_sums(name, parameter)
            total, groups = sums.by(by)
            rows = [_share_row("", total, denominator, numerator)]
            rows += [
                _share_row(key, group, denominator, numerator)
                for key, group in groups
                if group.get(denominator, 0) > 0
            ]
            out.append(Figure(measure, parameter, rows[0], tuple(rows[1:]), by))
    return out


def _share_row(key: str, sums: dict, denominator: str, numerator: str) -> Breakdown:
    d, n = sums.get(denominator, 0), sums.get(numerator, 0)
    if d == 0:
        return Breakdown(key, None, 0.0, None)
    if d < _threshold():
        return Breakdown(key, None, None, None, hidden=True)
    return Breakdown(key, float(n), float(d), 100.0 * n / d)


def _rate_figure(measure, sums: Counts, municipality_ids, start, end, by) -> Figure:
    """Presentations per 100,000 inhabitants a year: the count annualised by days over the
    CONAPO population of the municipalities with juzgados (the latest estimate up to the
    period's year). Groups get their counts only: a rate needs the group's own population."""
    population = _population(municipality_ids, start.year)
    days = (end - start).days + 1
    total, groups = sums.by(by)
    count = total.get("presentations", 0)
    note = ""
    if population:
        total = Breakdown(
            "", float(count), float(population), count * 365.0 / days / population * 1e5
        )
    else:
        total = Breakdown("", float(count), None, None)
        note = str(_("No CONAPO population for these municipalities: counts only."))
    rows = []
    for key, group in groups:
        n = group["presentations"]
        hidden = n < _threshold()
        rows.append(Breakdown(str(key), None if hidden else float(n), None, None, hidden))
    return Figure(measure, "", total, tuple(rows), by, note)


def _keys_of(frame: pd.DataFrame, by: str) -> pd.Series:
    """The breakdown keys, as the pages show them, of rows read with the stored keys."""
    if by == "month":
        months = frame["presented_month"]
        return months.map({m: _month_text(m) for m in months.unique()}).fillna(UNKNOWN)
    if by == "family":
        return frame["family"].map(_family_names()).fillna(UNKNOWN)
    if by == "juzgado":
        return frame["juzgado_id"].map(_juzgado_names(frame["juzgado_id"].unique())).fillna(UNKNOWN)
    if by == "age_band":
        return _age_band(frame["age_years"].astype("float") * 12)
    return frame["sex"].fillna(UNKNOWN).astype(str)


class _Keys:
    """The breakdown keys of a set of cases (:func:`_keys_of`), each computed once."""

    #: The kept column of each stored key.
    COLUMNS = {
        "presented_month": "month",
        "family": "family",
        "juzgado_id": "juzgado",
        "age_years": "age_years",
        "sex": "sex",
    }

    def __init__(self, cases: Columns):
        self.cases = cases
        self.found: dict[str, np.ndarray] = {}

    def __call__(self, by: str) -> np.ndarray:
        if by not in self.found:
            stored = _KEY_COLUMNS[by]
            frame = pd.DataFrame({stored: self.cases[self.COLUMNS[stored]]})
            self.found[by] = _keys_of(frame, by).astype(str).to_numpy()
        return self.found[by]


_KEY_COLUMNS = {
    "month": "presented_month",
    "family": "family",
    "juzgado": "juzgado_id",
    "age_band": "age_years",
    "sex": "sex",
}


def _resolution_hours(cases: Columns, keys: _Keys, by) -> pd.DataFrame:
    """The hours from presentation to resolution of the resolved cases of the period (the
    stored ``Case.resolution_micros``), with the key of ``by``: what an exact median needs."""
    resolved = cases.flag("resolved")
    hours = cases["micros"][resolved] / 1e6 / 3600
    key = keys(by)[resolved] if by else ""
    return pd.DataFrame({"hours": hours, "key": key})


def _median_figure(measure, frame: pd.DataFrame, by) -> Figure:
    threshold = _threshold()

    def median(values: pd.Series, key: str) -> Breakdown:
        if values.empty:
            return Breakdown(key, None, 0, None)
        if len(values) < threshold:
            return Breakdown(key, None, None, None, hidden=True)
        middle = float(values.median())
        return Breakdown(key, middle, float(len(values)), middle)

    rows = [median(frame["hours"], "")]
    if by:
        rows += [median(part, str(k)) for k, part in frame.groupby("key")["hours"]]
    return Figure(measure, "", rows[0], tuple(rows[1:]), by)


def _mediations(municipality_ids, start, end) -> pd.DataFrame:
    """The mediations agreed in the period, with the keys of their case (``—`` for a case
    presented before the period, which the period's breakdowns do not know)."""
    low, _high = bounds(start, None)
    # The period's few agreements (index on agreed_on), joined to their cases by key; the
    # scope is applied to those rows: a condition on the juzgados in SQL makes SQLite walk
    # every case of the municipalities instead.
    # Read with the cursor (``_fetch``): 0/1 or booleans and None, as the figure reads them.
    agreed = Mediation.objects.filter(agreed_on__gte=start, agreed_on__lte=end).annotate(
        known=ExpressionWrapper(Q(case__presented_at__gte=low), output_field=BooleanField())
    )
    columns = ["kept_30", "kept_90", "known", *_KEY_COLUMNS.values()]
    frame = _fetch(
        agreed.values_list(
            "kept_30",
            "kept_90",
            "known",
            "case__presented_month",
            "case__family",
            "case__juzgado_id",
            "case__age_years",
            "case__sex",
        ),
        columns,
    )
    if municipality_ids is not None:
        scope = Juzgado.objects.filter(municipality_id__in=list(municipality_ids))
        frame = frame[frame["juzgado_id"].isin(list(scope.values_list("id", flat=True)))]
        frame = frame.reset_index(drop=True)
    frame["known"] = frame["known"].astype(bool)
    return frame


def _mediation_figure(measure, frame: pd.DataFrame, by, parameter) -> Figure:
    kept = frame[f"kept_{parameter}"] if not frame.empty else pd.Series([], dtype=object)
    checked = kept.notna().to_numpy()
    numerator = kept.fillna(False).astype(bool).to_numpy() & checked
    base = pd.DataFrame({"d": checked.astype(int), "n": numerator.astype(int)})
    totals = {"d": int(base["d"].sum()), "n": int(base["n"].sum())}
    rows = [_share_row("", totals, "d", "n")]
    if by and not frame.empty:
        # The breakdown's keys, of the cases presented in the period only.
        keys = _keys_of(frame, by).where(frame["known"], UNKNOWN).astype(str).to_numpy()
        for key, group in base.groupby(keys).sum().iterrows():
            if group["d"] > 0:
                rows.append(
                    _share_row(str(key), {"d": int(group["d"]), "n": int(group["n"])}, "d", "n")
                )
    return Figure(measure, parameter, rows[0], tuple(rows[1:]), by)


def _local_days(seconds) -> np.ndarray:
    """Local calendar days (``datetime64[D]``; NaT for a missing value) of UTC epoch
    seconds: one time-zone conversion of the whole column (the zone's rules, any DST)."""
    instants = pd.to_datetime(pd.Series(seconds, dtype="float64"), unit="s", utc=True)
    local = instants.dt.tz_convert(settings.TIME_ZONE).dt.tz_localize(None)
    return local.to_numpy("datetime64[D]")


def reincidence_frames(
    municipality_ids: Iterable[int] | None,
    *,
    start: dt.date,
    end: dt.date,
    group: str | None = "sanction",
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The inputs of :func:`civica.stats.reincidence.reincidence`: resolutions in the period
    (person key, date, group, adolescent, observed until = the last presentation recorded
    by the case's juzgado) and every later presentation of the municipalities, from the
    kept columns of the cases presented since ``start`` (``Case.person_key`` links a
    person's presentations), dates as ``datetime64[D]``. ``group=None``: one group (``—``)
    for the totals alone."""
    later = columns.read(municipality_ids, first=month_of(start))
    return _reincidence_frames(later, start, end, group)


def _reincidence_frames(later: Columns, start, end, group) -> tuple[pd.DataFrame, pd.DataFrame]:
    low, _high = bounds(start, None)
    later = later.where(later["presented"] >= low.timestamp())
    presented = _local_days(later["presented"])
    resolved_day = _local_days(later["resolved"])
    # The last presentation of each juzgado: among these, since a juzgado with a resolution
    # here has a case presented since ``start``.
    last = {}
    if len(later):
        order = np.lexsort((later["presented"], later["juzgado"]))
        ends = np.r_[later["juzgado"][order][1:] != later["juzgado"][order][:-1], True]
        last = dict(zip(later["juzgado"][order][ends], presented[order][ends], strict=True))
    lo, hi = np.datetime64(start, "D"), np.datetime64(end, "D")
    in_period = ~np.isnat(resolved_day) & (resolved_day >= lo) & (resolved_day <= hi)
    resolved = later.where(in_period)
    day = resolved_day[in_period]
    if group is None:  # one group: the cohort's totals only
        groups = np.full(len(resolved), UNKNOWN, dtype=object)
    elif group == "sanction":
        names = {key: str(label) for key, label in Sanction.choices}
        groups = pd.Series(resolved["sanction"]).map(names).fillna(UNKNOWN).to_numpy()
    else:
        groups = _Keys(resolved)(group)
    until = pd.Series(resolved["juzgado"]).map(last).to_numpy("datetime64[D]")
    resolutions = pd.DataFrame(
        {
            "person": resolved["person"],
            "date": day,
            "group": groups,
            "adolescent": resolved["minor"],
            # A resolution recorded after the last presentation of its juzgado observes
            # nothing more.
            "observed_until": np.maximum(until, day),
        }
    )
    presentations = pd.DataFrame({"person": later["person"], "date": presented})
    return resolutions, presentations


def reincidence(municipality_ids, *, start: dt.date, end: dt.date, group: str = "sanction"):
    """Reincidence of the persons resolved from ``start`` to ``end`` (see
    :mod:`civica.stats.reincidence`), or ``None`` without any resolution."""
    return _reincidence(municipality_ids, start=start, end=end, group=group, curves=True)


def _reincidence(municipality_ids, *, start, end, group, curves: bool, later=None):
    """:func:`reincidence`; without ``curves`` the cohort table only (the indicators');
    ``later``: the kept columns of the cases presented since ``start``, when read."""
    from civica.stats.reincidence import reincidence as compute

    if later is None:
        later = columns.read(municipality_ids, first=month_of(start))
    resolutions, presentations = _reincidence_frames(later, start, end, group)
    if resolutions.empty:
        return None
    return compute(resolutions, presentations, curves=curves)


def _reincidence_figure(measure, result, by, months) -> Figure:
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


#: Names of the parameter values (risk levels and sanctions) on pages and files.
CHOICE_NAMES = {
    "low": _("low"),
    "medium": _("medium"),
    "high": _("high"),
    **dict(Sanction.choices),
}


def suppression_threshold() -> int:
    """Groups of fewer persons than this are not shown (``CIVICA_SUPPRESSION_THRESHOLD``)."""
    return _threshold()


def note_text(note) -> str:
    """A statistics note in the reader's language."""
    from civica.messages import note_text as words

    return words(note)


def aggregate_municipalities(user) -> list:
    """The municipalities of the user's scope that have juzgados (by name): where the
    aggregate pages can read figures."""
    from civica.accounts import scope
    from civica.justice.models import Juzgado
    from civica.territory.models import Municipality

    ids = scope.municipality_ids(user)
    juzgados = Juzgado.objects.all()
    if ids is not None:
        juzgados = juzgados.filter(municipality_id__in=ids)
    return list(
        Municipality.objects.filter(id__in=juzgados.values("municipality_id")).order_by("name")
    )


def monthly(
    municipality_ids, *, start: dt.date, end: dt.date
) -> list[tuple[str, int, float | None]]:
    """``(YYYY-MM, presentations, share screened %)`` for every month from ``start`` to
    ``end``; a month with too few presentations has no share (``None``)."""
    months = pd.period_range(start, end, freq="M").strftime("%Y-%m")
    found = counts(municipality_ids, start=start, end=end, dims=["month"], sums=["screened"])
    _total, groups = found.by("month")
    found = dict(groups)
    out = []
    for month in months:
        sums = found.get(month, {})
        n = int(sums.get("presentations", 0))
        share = 100.0 * int(sums.get("screened", 0)) / n if n >= _threshold() else None
        out.append((month, n, share))
    return out
