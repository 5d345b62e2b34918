"""Police staffing and its cost: officers needed for a ratio or a call load, and a multi-year
plan with attrition (pure Python, no Django).

Officers needed for calls use the Erlang C (M/M/c) queue: calls arrive at ``calls_per_hour``
and keep a unit busy ``service_minutes`` on average; the smallest number of units on duty
``c`` such that the share of calls that wait for a free unit no longer than
``standard_minutes`` is at least ``share`` is

    P(wait ≤ t) = 1 − C(c, a) · exp(−(c − a) · t / s),  a = λ·s (offered load in erlangs),

with C(c, a) the Erlang C probability of waiting. Units on duty become officers on the payroll
by the officers per unit and the relief factor: 168 hours ÷ weekly hours per officer ÷
(1 − share of time absent: leave, training, sickness).

>>> units_for_calls(calls_per_hour=6, service_minutes=45, standard_minutes=10, share=0.9)
8
"""

from __future__ import annotations

import math
from dataclasses import dataclass

__all__ = [
    "PlanYear",
    "officers_for_calls",
    "officers_for_ratio",
    "plan",
    "probability_of_wait",
    "units_for_calls",
]


def probability_of_wait(units: int, load: float) -> float:
    """Erlang C: the probability that a call waits, ``units`` servers, ``load`` erlangs."""
    if units <= load:
        return 1.0
    # Erlang B by its stable recursion, then C from B.
    b = 1.0
    for k in range(1, units + 1):
        b = load * b / (k + load * b)
    return units * b / (units - load * (1 - b))


def units_for_calls(
    *, calls_per_hour: float, service_minutes: float, standard_minutes: float, share: float
) -> int:
    """Smallest number of units on duty answering ``share`` of calls within the standard."""
    if calls_per_hour < 0 or service_minutes <= 0 or standard_minutes < 0 or not 0 < share < 1:
        raise ValueError("calls ≥ 0, service > 0 minutes, standard ≥ 0, 0 < share < 1")
    load = calls_per_hour * service_minutes / 60
    units = max(1, math.floor(load) + 1)
    while True:
        waiting = probability_of_wait(units, load)
        within = 1 - waiting * math.exp(-(units - load) * standard_minutes / service_minutes)
        if within >= share:
            return units
        units += 1


def relief_factor(weekly_hours: float, absence_share: float) -> float:
    """Officers on the payroll per post staffed around the clock."""
    if not 0 < weekly_hours <= 168 or not 0 <= absence_share < 1:
        raise ValueError("0 < weekly hours ≤ 168 and 0 ≤ absence share < 1")
    return 168 / weekly_hours / (1 - absence_share)


def officers_for_calls(
    *,
    calls_per_hour: float,
    service_minutes: float,
    standard_minutes: float,
    share: float,
    officers_per_unit: int,
    weekly_hours: float,
    absence_share: float,
) -> int:
    units = units_for_calls(
        calls_per_hour=calls_per_hour,
        service_minutes=service_minutes,
        standard_minutes=standard_minutes,
        share=share,
    )
    return math.ceil(units * officers_per_unit * relief_factor(weekly_hours, absence_share))


def officers_for_ratio(*, ratio_per_1000: float, population: int) -> int:
    return math.ceil(ratio_per_1000 * population / 1000)


@dataclass(frozen=True)
class PlanYear:
    year: int
    population: int
    needed: int  # officers the target asks for this year
    start: int  # officers at the start of the year
    exits: int  # expected exits during the year (attrition)
    hires: int  # hires to reach the target (never negative)
    officers: int  # at the end of the year
    cost: float  # pay, benefits and one-off costs of hires
    available: float  # budget and funds for it
    gap: float  # cost − available (positive: money missing)

    @property
    def ratio(self) -> float | None:
        return self.officers / self.population * 1000 if self.population else None


def plan(
    *,
    first_year: int,
    years: int,
    current_officers: int,
    needed_by_year: dict[int, int],
    population_by_year: dict[int, int],
    monthly_pay: float,
    monthly_benefits: float,
    one_off_per_hire: float,
    attrition_rate: float,
    budget: float,
    budget_growth: float,
    funds_by_year: dict[int, float] | None = None,
) -> list[PlanYear]:
    """Year by year: exits at the attrition rate, hires to reach what is needed, what it costs
    (12 months of pay and benefits of every officer at the end of the year, plus one-off costs
    of each hire: academy, evaluations, equipment) and the gap against the budget (growing by
    ``budget_growth`` a year) plus the funds of that year."""
    if years < 1 or not 0 <= attrition_rate < 1:
        raise ValueError("at least one year; 0 ≤ attrition < 1")
    rows: list[PlanYear] = []
    officers = current_officers
    for index in range(years):
        year = first_year + index
        start = officers
        exits = round(start * attrition_rate)
        needed = needed_by_year[year]
        hires = max(0, needed - (start - exits))
        officers = start - exits + hires
        cost = officers * (monthly_pay + monthly_benefits) * 12 + hires * one_off_per_hire
        available = budget * (1 + budget_growth) ** index + (funds_by_year or {}).get(year, 0.0)
        rows.append(
            PlanYear(
                year=year,
                population=population_by_year.get(year, 0),
                needed=needed,
                start=start,
                exits=exits,
                hires=hires,
                officers=officers,
                cost=cost,
                available=available,
                gap=cost - available,
            )
        )
    return rows
