"""The indicator computations of the program records (coverage, activities, alliances),
registered in :mod:`civica.indicators` when the monitoring app starts
(``MonitoringConfig.ready``).

The other apps register theirs the same way: ``civica.participants.indicators`` (persons
reached, services delivered), ``civica.official.indicators`` (SESNSP totals),
``civica.interventions.indicators`` (``priority_crime_change``: with an activity filter it
counts the evaluations in the municipalities the activity covers, which the context carries).
"""

from __future__ import annotations

from civica.indicators import Cell, Context, Result, registry
from civica.monitoring.models import Component, ProgramGoal, SupportType
from civica.monitoring.selectors import (
    activities_in_force,
    alliances_in_force,
    coverage_in_context,
    support_by_municipality,
)

__all__ = [
    "activities",
    "alliances",
    "municipalities_covered",
    "states_covered",
]


def _coverage_query(context: Context, component, support_type) -> tuple:
    query = [("period", context.period.label)]
    for key, value in (
        ("component", component),
        ("support_type", support_type),
        ("activity", context.activity_id),
        ("state", context.state_code),
    ):
        if value:
            query.append((key, str(value)))
    return ("monitoring:coverage", tuple(query))


# Coverage, activities (monitoring), implementers and alliances (organizations), places.
_READS = ("monitoring", "organizations", "territory")

_COVERAGE_PARAMETERS = {
    "component": tuple(Component.values),
    "support_type": tuple(SupportType.values),
}


@registry.register(
    "municipalities_covered",
    parameters=_COVERAGE_PARAMETERS,
    description="Municipalities with coverage in force during the period.",
    reads=_READS,
)
def municipalities_covered(context, component=None, support_type=None) -> Result:
    rows = list(
        coverage_in_context(context, component, support_type).values_list(
            "municipality_id", "support_type", "municipality__state_id"
        )
    )
    support = support_by_municipality((m, s) for m, s, _state in rows)
    states = {state for _m, _s, state in rows}
    direct = sum(1 for s in support.values() if s == SupportType.DIRECT)
    collaborative = len(support) - direct
    return Result(
        value=float(len(support)),
        parts={"states": len(states), "direct": direct, "collaborative": collaborative},
        cells=(
            Cell((("support_type", SupportType.DIRECT.value),), float(direct)),
            Cell((("support_type", SupportType.COLLABORATIVE.value),), float(collaborative)),
        ),
        records=_coverage_query(context, component, support_type),
    )


@registry.register(
    "states_covered",
    parameters=_COVERAGE_PARAMETERS,
    description="States with at least one covered municipality during the period.",
    reads=_READS,
)
def states_covered(context, component=None, support_type=None) -> Result:
    states = set(
        coverage_in_context(context, component, support_type).values_list(
            "municipality__state_id", flat=True
        )
    )
    return Result(
        value=float(len(states)), records=_coverage_query(context, component, support_type)
    )


@registry.register(
    "activities",
    parameters={"goal": tuple(ProgramGoal.values)},
    description="Activities in force during the period.",
    reads=_READS,
)
def activities(context, goal=None) -> Result:
    items = [a for a in activities_in_force(context) if goal is None or goal in a.goals]
    query = [("period", context.period.label)] + ([("goal", goal)] if goal else [])
    return Result(value=float(len(items)), records=("monitoring:activities", tuple(query)))


@registry.register(
    "alliances", parameters={}, description="Alliances in force in the period.", reads=_READS
)
def alliances(context) -> Result:
    count = len(alliances_in_force(context))
    return Result(
        value=float(count),
        records=("monitoring:alliances", (("period", context.period.label),)),
    )
