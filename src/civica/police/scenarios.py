"""Financing scenarios: defaults from what is known, the plan year by year, the export.

Defaults come from the municipality's own records when it has them, otherwise from INEGI's
CNGMD 2021 (police and commanders, chapter 1000 spending). The plan itself is
:func:`civica.stats.staffing.plan`.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Sum
from django.http import Http404

from civica.accounts import scope
from civica.accounts.access import SYSTEM
from civica.police import models as m
from civica.police import records
from civica.stats import staffing
from civica.territory import selectors as territory

__all__ = [
    "StaleScenario",
    "defaults",
    "result",
    "scenario_by_id",
    "scenarios_of",
    "update_scenario",
]


def scenarios_of(user, cvegeo: str):
    municipality = records.municipality_in_scope(user, cvegeo)
    return m.Scenario.objects.filter(municipality=municipality).order_by("-created_at")


def scenario_by_id(user, pk: int) -> m.Scenario:
    scenario = m.Scenario.objects.select_related("municipality").filter(pk=pk).first()
    ids = scope.municipality_ids(user)
    if scenario is None or (ids is not None and scenario.municipality_id not in ids):
        raise Http404(pk)
    return scenario


class StaleScenario(Exception):
    """Someone saved the scenario after this copy was loaded. ``differences``: each field
    whose stored value differs from the one submitted (field, label, stored, submitted)."""

    def __init__(self, differences: list[dict], version: int):
        super().__init__("stale scenario")
        self.differences = differences
        self.version = version


def update_scenario(*, actor, scenario: m.Scenario, version: int, changes: dict) -> m.Scenario:
    """Save ``changes`` to a scenario loaded at ``version``, or refuse if it was saved since.

    The row is locked, its version compared and the write made in one transaction (``UPDATE
    … WHERE version = …``), so two editors of the same copy cannot both win: the second gets
    :class:`StaleScenario` with what differs and nothing is written. An edit that changes
    nothing writes nothing (same version, nothing in the audit log)."""
    from django.db import transaction
    from django.db.models import F

    from civica.audit.services import Action, record

    with transaction.atomic():
        stored = m.Scenario.objects.select_for_update().get(pk=scenario.pk)
        if stored.version != version:
            raise StaleScenario(
                [
                    {
                        "field": field,
                        "label": m.Scenario._meta.get_field(field).verbose_name,
                        "stored": getattr(stored, field),
                        "submitted": value,
                    }
                    for field, value in changes.items()
                    if getattr(stored, field) != value
                ],
                stored.version,
            )
        changed = sorted(f for f, v in changes.items() if getattr(stored, f) != v)
        if not changed:
            return stored
        updated = m.Scenario.objects.filter(pk=stored.pk, version=version).update(
            version=F("version") + 1, **{f: changes[f] for f in changed}
        )
        if updated != 1:  # pragma: no cover - the row lock above makes this unreachable
            raise StaleScenario([], version)
        stored.refresh_from_db()
        record(actor=actor, action=Action.UPDATE, obj=stored, detail={"fields": changed})
    return stored


def defaults(municipality, *, today: dt.date | None = None) -> dict:
    """Initial values of a new scenario, with where each came from."""
    today = today or dt.date.today()
    values = {
        "name": "",
        "target": m.Target.RATIO,
        "first_year": today.year + 1,
        "monthly_benefits": Decimal("6000"),
        "one_off_per_hire": Decimal("120000"),
        "funds_per_year": Decimal("0"),
        "monthly_pay": Decimal("21500"),
    }
    origin = {}
    day, rows = records._latest(
        m.Headcount.objects.filter(municipality=municipality), "as_of", today
    )
    if day:
        values["current_officers"] = (
            rows.filter(function__in=m.PREVENTIVE_FUNCTIONS).aggregate(t=Sum("officers"))["t"] or 0
        )
        origin["current_officers"] = f"headcount {day}"
    _pay_day, steps = records._latest(
        m.PayStep.objects.filter(municipality=municipality), "valid_from", today
    )
    officers = sum(s.officers for s in steps)
    if officers:
        values["monthly_pay"] = round(
            sum(s.gross_monthly * s.officers for s in steps) / officers, 2
        )
        origin["monthly_pay"] = "pay scale"
    budget = (
        m.BudgetLine.objects.filter(municipality=municipality, chapter=m.Chapter.C1000)
        .values("year")
        .annotate(total=Sum("amount"))
        .order_by("-year")
        .first()
    )
    if budget:
        values["budget"] = budget["total"]
        origin["budget"] = f"budget {budget['year']}, chapter 1000"
    if "current_officers" not in values or "budget" not in values:
        _official_defaults(municipality, values, origin)
    values.setdefault("current_officers", 0)
    values.setdefault("budget", Decimal("0"))
    return {"values": values, "origin": origin}


def _official_defaults(municipality, values, origin) -> None:
    from civica.police import selectors
    from civica.police.selectors import PoliceDataMissing

    try:
        profile = selectors.official_profile(SYSTEM, municipality_code=municipality.cvegeo)
    except PoliceDataMissing:
        return
    if "current_officers" not in values and profile.staff and profile.staff.police is not None:
        values["current_officers"] = profile.staff.police
        origin["current_officers"] = "INEGI CNGMD 2021 (police and commanders, end 2020)"
    personal = next(
        (
            c.amount
            for c in (profile.spending.chapters if profile.spending else [])
            if c.chapter == "1000"
        ),
        None,
    )
    if "budget" not in values and personal is not None:
        values["budget"] = Decimal(str(round(personal, 2)))
        origin["budget"] = "INEGI CNGMD 2021 (chapter 1000, 2020)"


def _population_by_year(municipality, first_year: int, years: int) -> dict[int, int]:
    known = territory.population_by_year(municipality_code=municipality.cvegeo)
    result = {}
    for year in range(first_year, first_year + years):
        earlier = [y for y in known if y <= year]
        result[year] = known[max(earlier)] if earlier else (known[min(known)] if known else 0)
    return result


def result(scenario: m.Scenario) -> list[staffing.PlanYear]:
    """The scenario's plan, year by year."""
    years = range(scenario.first_year, scenario.first_year + scenario.years)
    population = _population_by_year(scenario.municipality, scenario.first_year, scenario.years)
    if scenario.target == m.Target.RATIO:
        needed = {
            y: staffing.officers_for_ratio(
                ratio_per_1000=float(scenario.ratio_per_1000), population=population[y]
            )
            for y in years
        }
    else:
        officers = staffing.officers_for_calls(
            calls_per_hour=float(scenario.calls_per_hour),
            service_minutes=float(scenario.service_minutes),
            standard_minutes=float(scenario.standard_minutes),
            share=float(scenario.share_within) / 100,
            officers_per_unit=scenario.officers_per_unit,
            weekly_hours=float(scenario.weekly_hours),
            absence_share=float(scenario.absence_share) / 100,
        )
        needed = dict.fromkeys(years, officers)
    return staffing.plan(
        first_year=scenario.first_year,
        years=scenario.years,
        current_officers=scenario.current_officers,
        needed_by_year=needed,
        population_by_year=population,
        monthly_pay=float(scenario.monthly_pay),
        monthly_benefits=float(scenario.monthly_benefits),
        one_off_per_hire=float(scenario.one_off_per_hire),
        attrition_rate=float(scenario.attrition_rate) / 100,
        budget=float(scenario.budget),
        budget_growth=float(scenario.budget_growth) / 100,
        funds_by_year=dict.fromkeys(years, float(scenario.funds_per_year)),
    )


COLUMNS = [
    "scenario",
    "year",
    "population",
    "needed",
    "start",
    "exits",
    "hires",
    "officers",
    "per_1000",
    "cost",
    "available",
    "gap",
]


def table(scenarios) -> list[list]:
    """One row per scenario and year, for the CSV export and the side-by-side page."""
    rows = []
    for scenario in scenarios:
        for row in result(scenario):
            rows.append(
                [
                    scenario.name,
                    row.year,
                    row.population,
                    row.needed,
                    row.start,
                    row.exits,
                    row.hires,
                    row.officers,
                    round(row.ratio, 3) if row.ratio is not None else None,
                    round(row.cost, 2),
                    round(row.available, 2),
                    round(row.gap, 2),
                ]
            )
    return rows
