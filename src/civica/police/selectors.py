"""Reads of official police figures (warehouse snapshots) for a municipality, a state or the
nation, with CONAPO population of the same year from the territory app.

Official figures are public aggregates: every user with *view aggregates* reads every area.
Counts with an INEGI status (NA, ND, NSS, -) are unknown, never zero, except ``NA`` in a
category of staff, which INEGI uses for "this category does not exist here" and which the
published national totals count as none (189,498 = the sum of numeric cells).
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass, field

import pandas as pd
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civica.core.services import warehouse
from civica.errors import DataQuestionError
from civica.territory import selectors as territory
from civica.warehouse import police as store

__all__ = [
    "CATEGORY_NOTE",
    "MODELO_OPTIMO_REFERENCE",
    "OfficialProfile",
    "PoliceDataMissing",
    "official_profile",
    "profile_arguments",
    "snapshots",
]

# CNGMD 2021 counts staff at 31 Dec 2020; spending and calls are of the year 2020.
REFERENCE_YEAR = 2020
POLICE_CATEGORIES = range(1, 8)  # codes 1–7: police and commanders (estado de fuerza)
MODELO_OPTIMO_REFERENCE = 1.8
# Only code 7 is identified (10.4 % women = INEGI's published share among commanders).
CATEGORY_LABELS = {7: gettext_lazy("Commanders (mandos)")}
CATEGORY_NOTE = gettext_lazy(
    "INEGI's data dictionary for this table was not available, so codes 1–6, 8 and 9 are shown "
    "as codes. Verified: codes 1–7 together are the estado de fuerza (172,213 police and "
    "commanders nationally), codes 8–9 the other staff (17,285), code 7 the commanders."
)
CHAPTER_LABELS = {
    "1000": gettext_lazy("1000 Personal services"),
    "2000": gettext_lazy("2000 Materials and supplies"),
    "3000": gettext_lazy("3000 General services"),
    "4000": gettext_lazy("4000 Transfers and subsidies"),
    "5000": gettext_lazy("5000 Movable and immovable goods"),
    "6000": gettext_lazy("6000 Public works"),
    "7000": gettext_lazy("7000 Financial investments"),
    "8000": gettext_lazy("8000 Shares and contributions"),
    "9000": gettext_lazy("9000 Public debt"),
    "ne": gettext_lazy("Not specified"),
}
STATUS_LABELS = {
    "NA": gettext_lazy("not applicable"),
    "ND": gettext_lazy("not available"),
    "NSS": gettext_lazy("not known"),
    "-": gettext_lazy("zero or not applicable"),
    "empty": gettext_lazy("blank"),
}


class PoliceDataMissing(DataQuestionError):
    """The official file a question needs has not been loaded."""


def snapshots() -> dict[str, object]:
    """The current snapshot of each official police dataset (missing ones left out)."""
    manifest = warehouse().manifest()
    found = {}
    for kind, dataset in store.DATASETS.items():
        snapshot = manifest.current(dataset)
        if snapshot is not None:
            found[kind] = snapshot
    return found


def _frame(kind: str, **where) -> pd.DataFrame | None:
    snapshot = snapshots().get(kind)
    if snapshot is None:
        return None
    return store.rows(warehouse().path_of(snapshot), **where)


@dataclass(frozen=True)
class CategoryRow:
    code: int
    label: str
    verified: bool
    total: int | None
    men: int | None
    women: int | None
    status: str

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS.get(self.status, self.status))


@dataclass(frozen=True)
class Staff:
    categories: list[CategoryRow]
    personnel: int | None  # all nine codes; None when any is unknown
    police: int | None  # codes 1–7
    women_police: int | None
    other_staff: int | None  # codes 8–9
    unreported: int  # municipalities without figures (areas above a municipality)
    municipalities: int  # municipalities counted

    @property
    def women_share(self) -> float | None:
        if not self.police or self.women_police is None:
            return None
        return self.women_police / self.police

    @property
    def women_percent(self) -> float | None:
        share = self.women_share
        return None if share is None else share * 100


@dataclass(frozen=True)
class Comparison:
    """Police per 1,000 inhabitants of the area beside its peers."""

    label: str
    rate: float | None
    police: int | None
    population: int | None
    median: float | None = None  # of the municipalities counted
    municipalities: int = 0
    rank: int | None = None  # of the area among them, 1 = most police per inhabitant


@dataclass(frozen=True)
class ChapterRow:
    chapter: str
    label: str
    amount: float | None
    status: str

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS.get(self.status, self.status))


@dataclass(frozen=True)
class Spending:
    chapters: list[ChapterRow]
    known_total: float
    complete: bool  # every chapter a number
    personal_services_share: float | None
    per_officer: float | None  # chapter 1000 per police officer
    total_per_officer: float | None
    municipalities: int = 1  # with all chapters numeric, for areas above a municipality

    @property
    def personal_services_percent(self) -> float | None:
        share = self.personal_services_share
        return None if share is None else share * 100


# The census answers that are no single fund (sources/inegi_police.py ``fund_of``).
FUND_WORDS = {
    "none": gettext_lazy("no fund named"),
    "several": gettext_lazy("several funds"),
    "other": gettext_lazy("another fund"),
}


@dataclass(frozen=True)
class FundRow:
    reference_year: int
    fund: str
    fund_name: str
    amount: float | None
    status: str
    municipalities: int = 1

    @property
    def fund_label(self) -> str:
        """The fund as a reader names it: its acronym, or what the census answer meant."""
        return str(FUND_WORDS.get(self.fund, self.fund))

    @property
    def name_label(self) -> str:
        """What the municipality wrote, or the fund's label when the row is a sum."""
        return self.fund_label if self.fund_name == self.fund else self.fund_name


@dataclass(frozen=True)
class Calls:
    total: int | None
    genuine: int | None
    not_genuine: int | None
    other: int | None
    unspecified: int | None
    status: str

    @property
    def genuine_share(self) -> float | None:
        if not self.total or self.genuine is None:
            return None
        return self.genuine / self.total

    @property
    def genuine_percent(self) -> float | None:
        share = self.genuine_share
        return None if share is None else share * 100

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS.get(self.status, self.status))


@dataclass(frozen=True)
class IncomeBand:
    band: int
    label: str
    persons: int
    share: float | None

    @property
    def percent(self) -> float | None:
        return None if self.share is None else self.share * 100


@dataclass(frozen=True)
class OfficialProfile:
    level: str  # municipality, state or nation
    code: str
    name: str
    state_code: str | None
    state_name: str | None
    year: int
    staff: Staff | None
    comparisons: list[Comparison]
    spending: Spending | None
    funds: list[FundRow]
    calls: Calls | None
    state_income: list[IncomeBand]
    family_violence_911: list[tuple[str, int]]
    sources: dict[str, dict]
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        """JSON-ready: numbers as numbers, unknowns as null, every source cited."""
        from dataclasses import asdict

        def clean(value):
            if isinstance(value, float) and not math.isfinite(value):
                return None
            if isinstance(value, dict):
                return {str(k): clean(v) for k, v in value.items()}
            if isinstance(value, list | tuple):
                return [clean(v) for v in value]
            if value is None or isinstance(value, bool | int | float | str):
                return value
            return str(value)

        data = clean(asdict(self))
        if self.staff is not None:
            data["staff"]["women_share"] = self.staff.women_share
        if self.calls is not None:
            data["calls"]["genuine_share"] = self.calls.genuine_share
        data["modelo_optimo_reference"] = MODELO_OPTIMO_REFERENCE
        return data


# Staff ------------------------------------------------------------------------------------


def _known(values) -> int | None:
    values = list(values)
    return None if any(v is None for v in values) else int(sum(values))


def _staff_of_municipality(frame: pd.DataFrame) -> Staff:
    rows = []
    for row in frame.sort_values("category").itertuples():
        total = None if pd.isna(row.total) else int(row.total)
        rows.append(
            CategoryRow(
                code=int(row.category),
                label=str(
                    CATEGORY_LABELS.get(
                        int(row.category), _("Category %(code)d") % {"code": int(row.category)}
                    )
                ),
                verified=int(row.category) in CATEGORY_LABELS,
                total=total,
                men=None if pd.isna(row.men) else int(row.men),
                women=None if pd.isna(row.women) else int(row.women),
                status=row.status,
            )
        )

    def count(row: CategoryRow, attribute: str) -> int | None:
        value = getattr(row, attribute)
        if value is None and row.status == "NA":
            return 0  # the category does not exist here
        return value

    police = [r for r in rows if r.code in POLICE_CATEGORIES]
    return Staff(
        categories=rows,
        personnel=_known(count(r, "total") for r in rows),
        police=_known(count(r, "total") for r in police),
        women_police=_known(count(r, "women") for r in police),
        other_staff=_known(count(r, "total") for r in rows if r.code not in POLICE_CATEGORIES),
        unreported=0,
        municipalities=1,
    )


def _police_by_municipality(frame: pd.DataFrame) -> pd.Series:
    """Police (codes 1–7) of each municipality whose figure is known (NA counts as none)."""
    police = frame[frame["category"].between(1, 7)].copy()
    police["unknown"] = police["total"].isna() & (police["status"] != "NA")
    police["counted"] = police["total"].fillna(0)
    # Built-in aggregations, not a Python function per municipality (2,468 of them: 0.4 s).
    grouped = police.groupby("municipality_code").agg(
        police=("counted", "sum"), unknown=("unknown", "any")
    )
    return grouped.loc[~grouped["unknown"], "police"].astype(int)


def _staff_of_many(frame: pd.DataFrame) -> Staff:
    """Sums over the municipalities whose every category is known."""
    unknown = frame["total"].isna() & (frame["status"] != "NA")
    bad = set(frame.loc[unknown, "municipality_code"])
    known = frame[~frame["municipality_code"].isin(bad)]
    rows = []
    for code, group in known.groupby("category"):
        rows.append(
            CategoryRow(
                code=int(code),
                label=str(
                    CATEGORY_LABELS.get(int(code), _("Category %(code)d") % {"code": int(code)})
                ),
                verified=int(code) in CATEGORY_LABELS,
                total=int(group["total"].fillna(0).sum()),
                men=int(group["men"].fillna(0).sum()),
                women=int(group["women"].fillna(0).sum()),
                status="",
            )
        )
    police = [r for r in rows if r.code in POLICE_CATEGORIES]
    return Staff(
        categories=rows,
        personnel=sum(r.total for r in rows),
        police=sum(r.total for r in police),
        women_police=sum(r.women for r in police),
        other_staff=sum(r.total for r in rows if r.code not in POLICE_CATEGORIES),
        unreported=len(bad),
        municipalities=known["municipality_code"].nunique(),
    )


def _rates(police: pd.Series, population: dict[str, int]) -> dict[str, float]:
    return {
        code: count / population[code] * 1000
        for code, count in police.items()
        if population.get(code)
    }


def _comparison(label, rates: dict[str, float], police: pd.Series, population, code=None):
    codes = [c for c in rates]
    total_police = int(sum(police[c] for c in codes)) if codes else None
    total_population = int(sum(population[c] for c in codes)) if codes else None
    rank = None
    if code is not None and code in rates:
        rank = 1 + sum(1 for value in rates.values() if value > rates[code])
    return Comparison(
        label=label,
        rate=total_police / total_population * 1000 if total_population else None,
        police=total_police,
        population=total_population,
        median=statistics.median(rates.values()) if rates else None,
        municipalities=len(rates),
        rank=rank,
    )


# Spending ---------------------------------------------------------------------------------


def _spending(frame: pd.DataFrame, police: int | None, *, many: bool) -> Spending | None:
    if frame is None or frame.empty:
        return None
    if many:
        chapters = frame[frame["chapter"] != "ne"]
        complete = chapters["amount"].notna().groupby(chapters["municipality_code"]).all()
        codes = set(complete[complete].index)
        frame = frame[frame["municipality_code"].isin(codes)]
        rows = [
            ChapterRow(
                chapter=chapter,
                label=str(CHAPTER_LABELS[chapter]),
                amount=float(group["amount"].fillna(0).sum()),
                status="",
            )
            for chapter, group in frame.groupby("chapter", sort=True)
        ]
        municipalities = len(codes)
    else:
        rows = [
            ChapterRow(
                chapter=row.chapter,
                label=str(CHAPTER_LABELS[row.chapter]),
                amount=None if pd.isna(row.amount) else float(row.amount),
                status=row.status,
            )
            for row in frame.itertuples()
        ]
        municipalities = 1
    numbered = [r for r in rows if r.chapter != "ne"]
    complete = all(r.amount is not None for r in numbered)
    known_total = sum(r.amount for r in rows if r.amount is not None)
    personal = next((r.amount for r in rows if r.chapter == "1000"), None)
    classified = sum(r.amount for r in numbered if r.amount is not None)
    return Spending(
        chapters=rows,
        known_total=known_total,
        complete=complete,
        # Of the nine chapters: spending not classified by chapter ("ne") is left out.
        personal_services_share=personal / classified
        if complete and personal is not None and classified
        else None,
        per_officer=personal / police if personal is not None and police else None,
        total_per_officer=known_total / police if complete and police else None,
        municipalities=municipalities,
    )


def _funds(frame: pd.DataFrame | None, *, many: bool) -> list[FundRow]:
    if frame is None or frame.empty:
        return []
    received = frame[frame["answer"] == 1]
    if many:
        rows = []
        for (year, fund), group in received.groupby(["reference_year", "fund"], sort=True):
            rows.append(
                FundRow(
                    reference_year=int(year),
                    fund=fund,
                    fund_name=fund,
                    amount=float(group["amount"].fillna(0).sum()),
                    status="",
                    municipalities=int(group["municipality_code"].nunique()),
                )
            )
        return rows
    return [
        FundRow(
            reference_year=int(row.reference_year),
            fund=row.fund,
            fund_name=row.fund_name,
            amount=None if pd.isna(row.amount) else float(row.amount),
            status=row.status,
        )
        for row in frame.sort_values("reference_year").itertuples()
        if row.answer == 1
    ]


def _calls(frame: pd.DataFrame | None) -> Calls | None:
    if frame is None or frame.empty:
        return None
    row = frame.iloc[0]

    def value(column):
        return None if pd.isna(row[column]) else int(row[column])

    return Calls(
        total=value("total"),
        genuine=value("genuine"),
        not_genuine=value("not_genuine"),
        other=value("other"),
        unspecified=value("unspecified"),
        status=row["status"],
    )


def _income(state_code: str) -> list[IncomeBand]:
    frame = _frame("state_income", area_code=state_code)
    if frame is None or frame.empty:
        return []
    total = frame.loc[frame["band"] == 0, "persons"]
    total = int(total.iloc[0]) if len(total) else None
    return [
        IncomeBand(
            band=int(row.band),
            label=row.band_label,
            persons=int(row.persons),
            share=int(row.persons) / total if total else None,
        )
        for row in frame.sort_values("band").itertuples()
        if row.band != 0
    ]


def _family_violence(state_code: str) -> list[tuple[str, int]]:
    frame = _frame("family_violence_911", area_code=state_code)
    if frame is None or frame.empty:
        return []
    return [
        (f"{int(r.year):04d}-{int(r.month):02d}", int(r.calls))
        for r in frame.sort_values(["year", "month"]).itertuples()
    ]


def _sources() -> dict[str, dict]:
    return {
        kind: {
            "dataset": s.dataset,
            "cut": s.cut,
            "file": s.source_name,
            "sha256": s.source_sha256,
            "imported_at": s.imported_at,
        }
        for kind, s in snapshots().items()
    }


def official_profile(
    user, *, municipality_code: str | None = None, state_code: str | None = None
) -> OfficialProfile:
    """The official police figures of a municipality, a state (``state_code``) or the nation
    (neither), beside the state's and the nation's."""
    if not snapshots():
        raise PoliceDataMissing(
            _(
                "No official police figures have been loaded: an administrator loads them with "
                "civica police ingest."
            )
        )
    municipality = state = None
    if municipality_code:
        municipality = territory.municipality_by_code(user, municipality_code)
        state = municipality.state
    elif state_code:
        state = territory.state_by_code(user, state_code)
    level = "municipality" if municipality else "state" if state else "nation"
    notes: list[str] = []

    staff_frame = _frame("staff")
    municipal_population = territory.population_of_areas(year=REFERENCE_YEAR, level="municipality")
    staff = None
    comparisons: list[Comparison] = []
    police_count = None
    if staff_frame is not None:
        police = _police_by_municipality(staff_frame)
        rates = _rates(police, municipal_population)
        if not rates:
            notes.append(
                _(
                    "No CONAPO population of %(year)d is loaded: rates per 1,000 inhabitants "
                    "cannot be computed."
                )
                % {"year": REFERENCE_YEAR}
            )
        if municipality:
            own = staff_frame[staff_frame["municipality_code"] == municipality.cvegeo]
            staff = _staff_of_municipality(own) if not own.empty else None
            police_count = staff.police if staff else None
            population = municipal_population.get(municipality.cvegeo)
            comparisons.append(
                Comparison(
                    label=municipality.name,
                    rate=police_count / population * 1000
                    if police_count is not None and population
                    else None,
                    police=police_count,
                    population=population,
                )
            )
        else:
            own = staff_frame[staff_frame["state_code"] == state.code] if state else staff_frame
            staff = _staff_of_many(own)
            police_count = staff.police
        if state:
            in_state = {c: r for c, r in rates.items() if c[:2] == state.code}
            comparisons.append(
                _comparison(
                    state.name,
                    in_state,
                    police,
                    municipal_population,
                    code=municipality.cvegeo if municipality else None,
                )
            )
        comparisons.append(
            _comparison(
                _("Nation"),
                rates,
                police,
                municipal_population,
                code=municipality.cvegeo if municipality else None,
            )
        )

    where = (
        {"municipality_code": municipality.cvegeo}
        if municipality
        else {"state_code": state.code}
        if state
        else {}
    )
    budget = _frame("budget", **where)
    spending = _spending(budget, police_count, many=municipality is None)
    funds = _funds(_frame("funds", **where), many=municipality is None)
    area_code = municipality.cvegeo if municipality else state.code if state else "00"
    calls = _calls(_frame("calls", area_code=area_code))
    if municipality and state and state.code == "02":
        notes.append(
            _(
                "In Baja California the state runs 9-1-1 (C5): municipal police report no call "
                "volumes to the census; calls for service need the state's CAD export."
            )
        )
    return OfficialProfile(
        level=level,
        code=area_code,
        name=municipality.name if municipality else state.name if state else _("Nation"),
        state_code=state.code if state else None,
        state_name=state.name if state else None,
        year=REFERENCE_YEAR,
        staff=staff,
        comparisons=comparisons,
        spending=spending,
        funds=funds,
        calls=calls,
        state_income=_income(state.code if state else "00"),
        family_violence_911=_family_violence(state.code if state else "00"),
        sources=_sources(),
        notes=notes,
    )


def peers(user, *, state_code: str) -> list[dict]:
    """Police per 1,000 inhabitants of every municipality of a state (highest first)."""
    staff_frame = _frame("staff", state_code=state_code)
    if staff_frame is None:
        return []
    police = _police_by_municipality(staff_frame)
    population = territory.population_of_areas(
        year=REFERENCE_YEAR, level="municipality", state_code=state_code
    )
    names = dict(
        territory.municipalities(user, state=territory.state_by_code(user, state_code)).values_list(
            "cvegeo", "name"
        )
    )
    rows = [
        {
            "code": code,
            "name": names.get(code, code),
            "police": int(police[code]),
            "population": population.get(code),
            "rate": police[code] / population[code] * 1000 if population.get(code) else None,
        }
        for code in police.index
    ]
    return sorted(rows, key=lambda r: (r["rate"] is None, -(r["rate"] or 0)))


def profile_arguments(code: str) -> dict | None:
    """Selector arguments for an area code, or None when the code names no area."""
    if code == "00":
        return {}
    if code.isdigit() and len(code) == 2:
        return {"state_code": code}
    if code.isdigit() and len(code) == 5:
        return {"municipality_code": code}
    return None
