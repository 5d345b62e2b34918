"""Reads of official statistics on behalf of a user: the CLI, the API and the pages all
answer from here.

Figures come from the current warehouse snapshot of the right dataset (or the cut asked
for); populations from CONAPO in the territory catalogue. Official statistics are public
aggregates: any user allowed to see aggregates may read them, nationwide.
"""

from __future__ import annotations

import dataclasses
import math
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.utils.dates import MONTHS_3
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from civica.accounts import access
from civica.accounts.roles import Capability
from civica.core.services import warehouse
from civica.errors import DataQuestionError
from civica.official.models import Crosswalk
from civica.sources.sesnsp_catalog import catalogue as sesnsp_catalogue
from civica.stats._monthly import monthly_values

# Only what a series and a ranking need at import: the traffic light and the priority
# crimes (pandas) are imported by the functions that compute them, so `civica stats series`
# loads neither pandas nor scipy.stats.
from civica.stats.intervals import rank_by_lower_bound
from civica.stats.periods import Period, PeriodKind, period_of
from civica.stats.rates import period_rate
from civica.tables import p_value_text
from civica.territory import selectors as territory
from civica.territory.catalog import normalise_name as fold
from civica.territory.models import Municipality, State
from civica.warehouse import sesnsp
from civica.warehouse.kept import kept, kept_frame
from civica.warehouse.sesnsp import AreaFilter, CrimeFilter
from civica.warehouse.store import Snapshot

if TYPE_CHECKING:
    import pandas as pd

FIRST_RNID_YEAR = 2026
SEMAFORO_ALPHA = 0.05  # a colour other than yellow needs a difference beyond Poisson noise
GRANULARITIES = {
    "month": PeriodKind.MONTH,
    "quarter": PeriodKind.QUARTER,
    "year": PeriodKind.YEAR,
    "fiscal-year": PeriodKind.FISCAL_YEAR,
}


class StatisticsError(DataQuestionError):
    """A question the data cannot answer, with the reason in the user's language."""


def _allowed(user) -> None:
    access.check(user, Capability.VIEW_AGGREGATES)


def _snapshot(*, measure: str, level: str, methodology: str, cut: str | None) -> Snapshot:
    dataset = sesnsp.dataset_name(measure=measure, level=level, methodology=methodology)
    manifest = warehouse().manifest()
    snapshot = manifest.snapshot(dataset, cut)
    if snapshot is not None:
        return snapshot
    available = [s.cut for s in manifest.cuts(dataset)]
    if not available:
        raise StatisticsError(
            _("No SESNSP %(what)s has been loaded yet; an administrator loads the file.")
            % {"what": dataset_label(dataset)}
        )
    raise StatisticsError(
        _("Cut %(cut)s of %(dataset)s is not available; available cuts: %(cuts)s.")
        % {"cut": cut, "dataset": dataset, "cuts": ", ".join(available)}
    )


CATALOGUES = ("2015", "rnid2026")


def catalogue_label(methodology: str) -> str:
    """The SESNSP catalogue a figure belongs to, as a reader names it."""
    if methodology == "rnid2026":
        return _("RNID catalogue (from 2026)")
    return _("2015 methodology catalogue (2015–2025)")


def catalogues(user, *, level: str = "state", measure: str = "crimes") -> list[str]:
    """The catalogues with a snapshot loaded at ``level``, oldest first."""
    _allowed(user)
    manifest = warehouse().manifest()
    return [
        methodology
        for methodology in CATALOGUES
        if manifest.current(
            sesnsp.dataset_name(measure=measure, level=level, methodology=methodology)
        )
    ]


def catalogue_years(methodology: str) -> tuple[int | None, int | None]:
    """The first and last year a series of ``methodology`` reads (one side of 2026)."""
    if methodology == "rnid2026":
        return FIRST_RNID_YEAR, None
    return None, FIRST_RNID_YEAR - 1


_MEASURES = {"crimes": _lazy("crimes"), "victims": _lazy("victims")}
_LEVELS = {"state": _lazy("by state"), "municipal": _lazy("by municipality")}


def dataset_label(dataset: str) -> str:
    """A SESNSP dataset (``"sesnsp-crimes-state-2015"``) in the reader's words."""
    parts = dataset.split("-")
    if len(parts) != 4 or parts[0] != "sesnsp":
        return dataset
    _prefix, measure, level, methodology = parts
    return _("%(measure)s %(level)s, %(catalogue)s") % {
        "measure": _MEASURES.get(measure, measure),
        "level": _LEVELS.get(level, level),
        "catalogue": catalogue_label(methodology),
    }


def source_label(cut_text: str) -> str:
    """A series' source (``"sesnsp-crimes-state-2015 2024-11"``) in the reader's words."""
    dataset, _space, cut = cut_text.partition(" ")
    if dataset_label(dataset) == dataset:
        return cut_text
    return _("SESNSP %(what)s, cut %(cut)s") % {"what": dataset_label(dataset), "cut": cut}


def formula_text(formula: str) -> str:
    """How a rate was annualised, in the reader's language."""
    return {
        "count × 12 ÷ months counted ÷ population × 100,000": _(
            "count × 12 ÷ months counted ÷ population × 100,000"
        ),
        "count ÷ days in the months counted × 365 ÷ population × 100,000": _(
            "count ÷ days in the months counted × 365 ÷ population × 100,000"
        ),
    }.get(formula, formula)


def _data_level(area: AreaFilter, measure: str) -> str:
    if area.municipality_code:
        if measure == "victims":
            raise StatisticsError(
                _("SESNSP publishes victims by state only; choose a state or the nation.")
            )
        return "municipal"
    return "state"


@dataclass(frozen=True)
class SeriesRow:
    period: str
    count: float
    population: float
    rate: float
    lower: float
    upper: float
    complete: bool
    missing: tuple[str, ...]
    same_months_count: float = float("nan")
    """Count over the calendar months the incomplete period has reported (like-for-like)."""
    same_months_rate: float = float("nan")
    same_months_change: float = float("nan")
    """Percent change of ``same_months_count`` from the previous period's same months."""


@dataclass(frozen=True)
class SeriesResult:
    measure: str
    area: AreaFilter
    crime: CrimeFilter
    granularity: str
    rows: tuple[SeriesRow, ...]
    cuts: tuple[str, ...]
    rule: str
    notes: tuple[str, ...] = field(default_factory=tuple)
    population: str = "total"
    """Whose population the rates are per: ``"total"``, ``"women"`` or ``"men"``."""

    def to_records(self) -> list[dict]:
        return [
            {
                "period": r.period,
                "count": r.count,
                "population": r.population,
                "rate_per_100k": r.rate,
                "rate_lower": r.lower,
                "rate_upper": r.upper,
                "complete": r.complete,
                "missing_months": ",".join(r.missing),
                "same_months_count": r.same_months_count,
                "same_months_rate_per_100k": r.same_months_rate,
                "same_months_change_pct": r.same_months_change,
            }
            for r in self.rows
        ]


def _methodology_parts(crime: CrimeFilter, first_year, last_year):
    """Which catalogues a series reads, and how the crime is named in each.

    A series that would join the 2015–2025 and 2026 RNID catalogues is refused unless an
    administrator defined a crosswalk for the crime; an open-ended series stays on the
    2015–2025 side.
    """
    before = first_year is None or first_year < FIRST_RNID_YEAR
    # An open end stays on the side its first year is on.
    after = (
        last_year >= FIRST_RNID_YEAR
        if last_year is not None
        else first_year is not None and first_year >= FIRST_RNID_YEAR
    )
    if not after:
        return [("2015", crime)], []
    if not before:
        return [("rnid2026", crime)], []
    crosswalk = (
        Crosswalk.objects.filter(level=crime.level, name_2015=crime.value).first()
        if crime.value is not None
        else None
    )
    if crosswalk is None:
        raise StatisticsError(
            _(
                "%(crime)s from %(first)s to %(last)d would join the 2015–2025 and the 2026 RNID "
                "catalogues, which SESNSP does not publish as comparable. Choose years on one "
                "side of 2026, or ask an administrator to define a crosswalk for this crime."
            )
            % {
                "crime": crime.value or _("All crimes"),
                "first": first_year or "2015",
                "last": last_year,
            }
        )
    note = _("From 2026 the series continues as “%(rnid)s” (crosswalk: %(note)s).") % {
        "rnid": crosswalk.name_rnid,
        "note": crosswalk.note or "—",
    }
    return [("2015", crime), ("rnid2026", CrimeFilter(crime.level, crosswalk.name_rnid))], [note]


def _monthly(
    *, measure, area, crime, first_year, last_year, cut, sex, age_range
) -> tuple[dict, list[str], list[str], tuple[str, ...]]:
    """Monthly counts {(year, month): count or None} over the years asked for, the cuts
    read (as readers name them), notes, and the ids of the snapshots read."""
    level = _data_level(area, measure)
    parts, notes = _methodology_parts(crime, first_year, last_year)
    counts: dict = {}
    cuts, read = [], []
    for methodology, crime_filter in parts:
        snapshot = _snapshot(measure=measure, level=level, methodology=methodology, cut=cut)
        cuts.append(f"{snapshot.dataset} {snapshot.cut}")
        read.append(snapshot.id)
        rows = sesnsp.monthly_count_rows(
            warehouse().path_of(snapshot),
            crime=crime_filter,
            area=area,
            sex=sex,
            age_range=age_range,
        )
        for year, month, count in rows:
            if (first_year or 0) <= year <= (last_year or 9999):
                counts[(int(year), int(month))] = _number(count)
    return counts, cuts, notes, tuple(read)


def _number(value) -> float | None:
    """A count from the warehouse as a float; None (not reported) for NULL or NaN."""
    if value is None:
        return None
    value = float(value)
    return None if math.isnan(value) else value


def _population(area: AreaFilter, sex: str | None = None) -> dict[int, int]:
    return territory.population_by_year(
        state_code=area.state_code, municipality_code=area.municipality_code, sex=sex
    )


# Crimes whose victims are women by definition: their rates are per 100,000 women.
WOMEN_ONLY_CRIMES = ("feminicidio",)
VICTIM_SEXES = {"mujer": "women", "hombre": "men"}


def population_sex(*, measure: str, crime: CrimeFilter, sex: str | None) -> str | None:
    """Which population a rate is per: ``"women"``, ``"men"`` or None (everyone).

    Victims of one sex are divided by the population of that sex; a crime that only women
    suffer (feminicidio) by the female population, whether crimes or victims are counted.
    """
    if measure == "victims" and sex:
        found = VICTIM_SEXES.get(fold(sex))
        if found:
            return found
    if crime.value is not None and any(word in fold(crime.value) for word in WOMEN_ONLY_CRIMES):
        return "women"
    return None


def series(
    user,
    *,
    measure: str = "crimes",
    area: AreaFilter,
    crime: CrimeFilter,
    granularity: str = "year",
    first_year: int | None = None,
    last_year: int | None = None,
    cut: str | None = None,
    sex: str | None = None,
    age_range: str | None = None,
) -> SeriesResult:
    """Counts and annualised rates per 100,000 by period, each with its completeness."""
    _allowed(user)
    if granularity not in GRANULARITIES:
        raise StatisticsError(_("Unknown period: %(value)s.") % {"value": granularity})
    kind = GRANULARITIES[granularity]
    # A fiscal year starts the October before its number: FY2023 needs Oct–Dec 2022.
    first_month_year = (
        first_year - 1 if first_year and kind == PeriodKind.FISCAL_YEAR else first_year
    )
    counts, cuts, notes, read = _monthly(
        measure=measure,
        area=area,
        crime=crime,
        first_year=first_month_year,
        last_year=last_year,
        cut=cut,
        sex=sex,
        age_range=age_range,
    )
    per = population_sex(measure=measure, crime=crime, sex=sex)
    population = _population(area, per)
    # The rows are figures only (no words in any language): kept by the snapshots read and
    # the population used, so the next page asking for this series computes nothing.
    asked = (measure, area, crime, sex, age_range, granularity, first_year, last_year)
    rows, rule, same_months = kept(
        (read, "series", *asked, *sorted(population.items())),
        lambda: _series_rows(counts, population, kind, first_year, last_year),
    )
    rows = list(rows)
    if any(not row.complete for row in rows):
        notes.append(
            _(
                "Periods marked incomplete include months not reported yet; their "
                "rates are annualised over the months reported."
            )
        )
        if same_months is not None:
            notes.append(_same_months_note(*same_months))
    if per and not population:
        notes.append(
            _(
                "Rates of this series are per 100,000 %(people)s, and CONAPO's population of "
                "this area by sex is not loaded: rates are not available (civica ingest conapo "
                "FILE with the population by sex)."
            )
            % {"people": _("women") if per == "women" else _("men")}
        )
    elif not population:
        notes.append(
            _(
                "No CONAPO population for this area: rates are not available "
                "(civica ingest conapo FILE)."
            )
        )
    elif per:
        notes.append(
            _("Rates are per 100,000 women (CONAPO female population).")
            if per == "women"
            else _("Rates are per 100,000 men (CONAPO male population).")
        )
    return SeriesResult(
        measure,
        area,
        crime,
        granularity,
        tuple(rows),
        tuple(cuts),
        rule,
        tuple(notes),
        population=per or "total",
    )


def _series_rows(counts, population, kind, first_year, last_year):
    """The rows of a series (figures only), its annualisation rule, and for an incomplete
    last period the period and the months its "same months" columns cover (or None)."""
    values = monthly_values(counts)  # checked once, not once per period
    periods: dict[str, Period] = {}
    for year, month in sorted(counts):
        period = period_of(year, month, kind)
        label_year = int(period.label.removeprefix("FY")[:4])
        if (first_year or 0) <= label_year <= (last_year or 9999):
            periods.setdefault(period.label, period)
    rows, rule = [], ""
    for period in periods.values():
        result = period_rate(values, population, period)
        if result.months_counted == 0:
            continue  # a period with nothing reported yet is not a row of zeros
        rule = result.formula
        rows.append(
            SeriesRow(
                period=period.label,
                count=result.total,
                population=float(population.get(period.last_month[0], math.nan)),
                rate=result.rate,
                lower=result.lower,
                upper=result.upper,
                complete=result.complete,
                missing=tuple(f"{y}-{m:02d}" for y, m in result.missing),
            )
        )
    same_months = None
    if any(not row.complete for row in rows) and kind != PeriodKind.MONTH and len(rows) > 1:
        rows, same_months = _like_for_like(rows, periods, counts, population)
    return tuple(rows), rule, same_months


def _like_for_like(rows, periods, counts, population):
    """Every period counted over the calendar months the last incomplete period reported.

    An incomplete year annualised (× 12 / 11) assumes the missing month is an average one;
    crime is seasonal, so that can hide or invent a change. Comparing the same months of
    every period is exact: January–November against January–November.
    """
    last = next(row for row in reversed(rows) if not row.complete)
    reported = {
        month
        for year, month in periods[last.period].months
        if counts.get((year, month)) is not None
    }
    out, previous = [], None
    for row in rows:
        months = [(y, m) for y, m in periods[row.period].months if m in reported]
        values = [counts.get(key) for key in months]
        known = bool(months) and all(v is not None for v in values)
        count = float(sum(values)) if known else float("nan")
        people = population.get(periods[row.period].last_month[0])
        rate = count * 12 / len(months) / people * 100_000 if known and people else float("nan")
        change = (
            (count / previous - 1) * 100
            if known and previous and not math.isnan(previous)
            else float("nan")
        )
        out.append(
            dataclasses.replace(
                row, same_months_count=count, same_months_rate=rate, same_months_change=change
            )
        )
        previous = count
    return out, (last.period, tuple(sorted(reported)))


def _same_months_note(period: str, months: tuple[int, ...]) -> str:
    names = ", ".join(_month_name(m) for m in months)
    return _(
        "%(period)s is incomplete: compare it with other periods on the same months (%(months)s "
        "of each, the “same months” columns), not on its annualised rate, which assumes the "
        "missing months are average ones."
    ) % {"period": period, "months": names}


def _month_name(month: int) -> str:
    return str(MONTHS_3[month])


@dataclass(frozen=True)
class RankingRow:
    rank_by_lower: float
    rank_by_rate: float
    code: str
    name: str
    count: float
    population: float
    rate: float
    lower: float
    upper: float
    months_reported: int


def ranking(
    user,
    *,
    crime: CrimeFilter,
    period: Period,
    state_code: str | None = None,
    by: str = "municipality",
    cut: str | None = None,
) -> tuple[list[RankingRow], Snapshot]:
    """Municipalities (of a state) or states ranked by the lower bound of their rate."""
    _allowed(user)
    level = "municipal" if by == "municipality" else "state"
    snapshot = _snapshot(measure="crimes", level=level, methodology=_methodology(period), cut=cut)
    found = sesnsp.area_count_rows(
        warehouse().path_of(snapshot),
        crime=crime,
        months=list(period.months),
        state_code=state_code,
        by=by,
    )
    codes = [code for code, _name, _count, _months in found]
    year = period.last_month[0]
    populations = territory.population_of_areas(year=year, level=by, state_code=state_code)
    names = _names(by, codes)
    result = rank_by_lower_bound(
        [math.nan if count is None else float(count) for _code, _name, count, _m in found],
        [populations.get(code, math.nan) for code in codes],
        codes,
        years=period.n_months / 12,
    )
    reported = {code: months for code, _name, _count, months in found}
    rows = [
        RankingRow(
            rank_by_lower=float(result.rank_by_lower[i]),
            rank_by_rate=float(result.rank_by_rate[i]),
            code=str(code),
            name=names.get(code) or str(code),
            count=float(result.count[i]),
            population=float(result.population[i]),
            rate=float(result.rate[i]),
            lower=float(result.lower[i]),
            upper=float(result.upper[i]),
            months_reported=int(reported[code]),
        )
        for i, code in enumerate(result.labels)
    ]
    return rows, snapshot


def _methodology(period: Period) -> str:
    first, last = period.first_month[0], period.last_month[0]
    if first < FIRST_RNID_YEAR <= last:
        raise StatisticsError(_("A period cannot straddle the 2026 change of catalogue."))
    return "rnid2026" if first >= FIRST_RNID_YEAR else "2015"


def _names(by: str, codes: list[str]) -> dict[str, str]:
    if by == "municipality":
        return dict(Municipality.objects.filter(cvegeo__in=codes).values_list("cvegeo", "name"))
    return dict(State.objects.filter(code__in=codes).values_list("code", "name"))


def traffic_light(
    user, *, area: AreaFilter, crime: CrimeFilter, cut: str | None = None, months: int = 12
) -> pd.DataFrame:
    """The Semáforo Delictivo status of the last ``months`` months of a crime in an area.

    Each month is compared with the same month of the three previous years (the season
    allowed for), and is red or green only when its count differs from that mean by more
    than Poisson noise allows (one-sided exact test, p ≤ 0.05); ``baseline_first`` and
    ``baseline_last`` name the months of the baseline, :func:`traffic_light_baseline`
    words it."""
    from civica.stats.semaforo import SemaforoBaseline, semaforo

    _allowed(user)
    counts, _cuts, _notes, read = _monthly(
        measure="crimes",
        area=area,
        crime=crime,
        first_year=None,
        last_year=FIRST_RNID_YEAR - 1,
        cut=cut,
        sex=None,
        age_range=None,
    )
    frame = kept_frame(
        (read, "traffic_light", area, crime),
        lambda: semaforo(counts, baseline=SemaforoBaseline.SAME_MONTH, alpha=SEMAFORO_ALPHA),
    )
    reported = frame[frame["status"] != "missing"]
    return reported.tail(months)


def traffic_light_baseline(row) -> str:
    """What a traffic-light month was compared with, in the reader's language."""
    if not row["baseline_first"] or row["status"] in ("missing", "insufficient_history"):
        return _("Not enough history: the same month of the three previous years is needed.")
    return _(
        "Compared with the mean of the same month in %(first)s–%(last)s (%(mean)s); red or "
        "green only when the difference is larger than chance allows (p = %(p)s)."
    ) % {
        "first": row["baseline_first"][:4],
        "last": row["baseline_last"][:4],
        "mean": number_format(row["baseline_mean"], 1),
        "p": p_value_text(float(row["p_value"])),
    }


def priority(user, *, municipality_code: str, cut: str | None = None, method=None):
    """Priority crimes of a municipality against its own baseline and its state."""
    from civica.stats.priority import priority_crimes

    _allowed(user)
    snapshot = _snapshot(measure="crimes", level="municipal", methodology="2015", cut=cut)
    path = warehouse().path_of(snapshot)
    state_code = municipality_code[:2]
    own = sesnsp.monthly_by_crime(path, area=AreaFilter(municipality_code=municipality_code))
    if own.empty:
        raise StatisticsError(
            _("The municipal file has no rows for %(code)s.") % {"code": municipality_code}
        )
    area_population = _population(AreaFilter(municipality_code=municipality_code))
    state_population = _population(AreaFilter(state_code=state_code))
    noun = _("municipality")

    def compute():
        state = sesnsp.monthly_by_crime(path, area=AreaFilter(state_code=state_code))
        return priority_crimes(
            own,
            state,
            area_population=area_population,
            state_population=state_population,
            method=method,
            area_noun=noun,
        )

    # Kept by snapshot, municipality and populations (the reasons are English, with the
    # area's noun as given): a second view of the page ranks nothing again.
    populations = (*sorted(area_population.items()), "state", *sorted(state_population.items()))
    ranking_ = kept(
        (snapshot.id, "priority", municipality_code, repr(method), noun, *populations), compute
    )
    note = kept((snapshot.id, "partial", municipality_code), lambda: _partial_counts(own))
    if note:
        ranking_ = dataclasses.replace(ranking_, notes=(*ranking_.notes, _partial_note(*note)))
    return ranking_, snapshot


def _partial_counts(own: pd.DataFrame) -> tuple[int, int] | None:
    """How many of the catalogue's crime subtypes the municipality's rows have, and how many
    the catalogue has, when fewer are loaded; None when all are."""
    every = {fold(crime[2]) for crime in sesnsp_catalogue("2015").crimes}
    loaded = {fold(str(name)) for name in own["crime"].unique()} & every
    if len(loaded) >= len(every):
        return None
    return len(loaded), len(every)


def _partial_note(loaded: int, every: int) -> str:
    """A warning when the municipality's crimes loaded are fewer than the catalogue's: each
    crime's share of "the municipality's total" is then a share of the crimes loaded (a file
    of homicides only gives homicide 100%)."""
    return _(
        "Only %(loaded)d of the %(all)d crime subtypes of the SESNSP catalogue are loaded for "
        "this municipality: each share is of the crimes loaded, not of all its crimes. Ingest "
        "the complete municipal file for true shares."
    ) % {"loaded": loaded, "all": every}


def vintages(user) -> list[dict]:
    """Every dataset and cut in the warehouse, the current one marked."""
    _allowed(user)
    manifest = warehouse().manifest()
    rows = []
    for dataset in manifest.datasets():
        current = manifest.current(dataset)
        for snapshot in manifest.cuts(dataset):
            rows.append(
                {
                    "dataset": dataset,
                    "cut": snapshot.cut,
                    "current": snapshot.id == current.id,
                    "rows": snapshot.rows,
                    "source": snapshot.source_name,
                    "imported_at": snapshot.imported_at,
                }
            )
    return rows


def revisions(user, *, measure: str, area: AreaFilter, crime: CrimeFilter, year: int) -> list[dict]:
    """How the total of one year changed from cut to cut (SESNSP revises past months)."""
    _allowed(user)
    level = _data_level(area, measure)
    methodology = "rnid2026" if year >= FIRST_RNID_YEAR else "2015"
    dataset = sesnsp.dataset_name(measure=measure, level=level, methodology=methodology)
    rows, previous = [], None
    for snapshot in warehouse().manifest().cuts(dataset):
        frame = sesnsp.monthly_counts(warehouse().path_of(snapshot), crime=crime, area=area)
        frame = frame[frame["year"] == year]
        reported = frame["count"].notna().sum()
        total = float(frame["count"].sum()) if reported else math.nan
        rows.append(
            {
                "cut": snapshot.cut,
                "total": total,
                "months_reported": int(reported),
                "change": (total - previous) if previous is not None and reported else math.nan,
            }
        )
        previous = total if reported else previous
    return rows


def state_vs_municipalities(
    user, *, crime: CrimeFilter, year: int, cut: str | None = None
) -> list[dict]:
    """Data-quality check: each state's total against the sum of its municipalities."""
    _allowed(user)
    months = [(year, m) for m in range(1, 13)]
    state = _snapshot(measure="crimes", level="state", methodology="2015", cut=cut)
    municipal = _snapshot(measure="crimes", level="municipal", methodology="2015", cut=cut)
    by_state = sesnsp.counts_by_area(
        warehouse().path_of(state), crime=crime, months=months, by="state"
    )
    sums: dict = defaultdict(float)
    municipalities = sesnsp.counts_by_area(
        warehouse().path_of(municipal), crime=crime, months=months
    )
    for code, count in zip(municipalities["code"], municipalities["count"], strict=True):
        sums[str(code)[:2]] += _number(count) or 0
    rows = []
    for code, count in zip(by_state["code"], by_state["count"], strict=True):
        if code in sums:
            rows.append(
                {
                    "state": code,
                    "state_file": count,
                    "sum_of_municipalities": sums[code],
                    "difference": count - sums[code],
                }
            )
    return rows
