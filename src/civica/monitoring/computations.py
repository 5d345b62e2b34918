"""The registry of computations an indicator can point to, and the built-in ones.

Each computation is one function registered under a name with the parameters it accepts;
the indicator catalogue names it (``computation`` column) and gives the parameters as JSON.
An unknown name or parameter is refused when the catalogue is loaded, not when a report runs.

A computation returns a :class:`Result`. ``value=None`` means "not computed" and carries the
reason (``unavailable``): reports show that reason, never a typed number.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from civica.monitoring.models import Component, Coverage, ProgramGoal, SupportType
from civica.monitoring.periods import ReportingPeriod
from civica.participants.models import Track
from civica.participants.reach import GROUP_KEYS

__all__ = ["Cell", "Context", "Interval", "Result", "registry"]


@dataclass(frozen=True)
class Context:
    """What a computation is asked about.

    ``municipality_ids`` is the viewer's scope intersected with the filters (``None``: no
    restriction); ``state_code``/``municipality_code`` name the territory of a target or a
    filter, for computations over official statistics.
    """

    period: ReportingPeriod
    municipality_ids: frozenset[int] | None = None
    activity_id: int | None = None
    state_code: str | None = None
    municipality_code: str | None = None


@dataclass(frozen=True)
class Cell:
    """One disaggregated value, e.g. ``{"support_type": "direct"}`` → 32."""

    categories: tuple[tuple[str, str], ...]
    value: float


@dataclass(frozen=True)
class Interval:
    """One evaluation behind a program-level figure, listed under the fact-sheet sentence.

    Percent changes with their 95% interval; ``adjusted_p`` is Holm-adjusted over the results
    reported together. ``problem`` says why a locked design has no result (then the numbers
    are ``None``)."""

    city: str
    city_code: str
    intervention: str
    change: float | None
    lower: float | None
    upper: float | None
    adjusted_p: float | None
    significant: bool
    problem: str = ""


@dataclass(frozen=True)
class Result:
    value: float | None
    # Numbers (or ready-made text such as a range "6–69") the fact-sheet sentence names.
    parts: dict[str, float | str] = field(default_factory=dict)
    cells: tuple[Cell, ...] = ()
    unavailable: str = ""
    records: tuple[str, tuple[tuple[str, str], ...]] | None = None  # url name, query
    intervals: tuple[Interval, ...] = ()

    @classmethod
    def missing(cls, reason: str) -> Result:
        return cls(value=None, unavailable=reason)


@dataclass(frozen=True)
class Computation:
    name: str
    function: Callable[..., Result]
    parameters: dict[str, tuple[str, ...] | None]  # allowed values, None: any text
    description: str


class Registry:
    def __init__(self):
        self._items: dict[str, Computation] = {}

    def register(self, name: str, *, parameters=None, description: str = "", replace=False):
        """Decorator: ``@registry.register("activities", parameters={"goal": (...)})``.

        ``replace=True`` lets an integrating module swap in a computation whose data arrives
        later (persons reached, evaluation results)."""

        def decorate(function):
            if name in self._items and not replace:
                raise ValueError(f"A computation named {name!r} is already registered.")
            self._items[name] = Computation(name, function, dict(parameters or {}), description)
            return function

        return decorate

    def names(self) -> list[str]:
        return sorted(self._items)

    def get(self, name: str) -> Computation:
        if name not in self._items:
            raise ValueError(
                _("unknown computation “%(name)s”; known computations: %(known)s.")
                % {"name": name, "known": ", ".join(self.names())}
            )
        return self._items[name]

    def check(self, name: str, parameters: dict) -> None:
        computation = self.get(name)
        if not isinstance(parameters, dict):
            raise ValueError(_('parameters must be a JSON object, e.g. {"component": "…"}.'))
        for key, value in parameters.items():
            if key not in computation.parameters:
                raise ValueError(
                    _("computation “%(name)s” takes no parameter “%(key)s” (it takes: %(known)s).")
                    % {
                        "name": name,
                        "key": key,
                        "known": ", ".join(computation.parameters) or "—",
                    }
                )
            allowed = computation.parameters[key]
            values = value if isinstance(value, list) else [value]
            bad = [v for v in values if allowed is not None and v not in allowed]
            if bad:
                raise ValueError(
                    _("parameter “%(key)s” of “%(name)s” cannot be %(value)s; use %(allowed)s.")
                    % {
                        "key": key,
                        "name": name,
                        "value": ", ".join(map(str, bad)),
                        "allowed": ", ".join(allowed),
                    }
                )

    def compute(self, name: str, context: Context, parameters: dict) -> Result:
        try:
            self.check(name, parameters)
        except ValueError as error:
            # A stored indicator that no longer fits its computation (edited by hand, or kept
            # from an older catalogue) is reported as not available with the reason, so one
            # stale row does not take the dashboard or the fact sheet down.
            return Result.missing(
                _(
                    "not available: %(reason)s Reload the catalogue (civica monitoring "
                    "load-indicators)."
                )
                % {"reason": error}
            )
        return self._items[name].function(context, **parameters)


registry = Registry()


def coverage_in_context(context: Context, component: str | None, support_type: str | None):
    qs = Coverage.objects.overlapping(context.period.start, context.period.end)
    if context.municipality_ids is not None:
        qs = qs.filter(municipality_id__in=context.municipality_ids)
    if context.activity_id:
        qs = qs.filter(activity_id=context.activity_id)
    if context.state_code:
        qs = qs.filter(municipality__state__code=context.state_code)
    if context.municipality_code:
        qs = qs.filter(municipality__cvegeo=context.municipality_code)
    qs = qs.with_component(component)
    if support_type:
        qs = qs.filter(support_type=support_type)
    return qs


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


def support_by_municipality(rows) -> dict[int, str]:
    """Each municipality's support type in the period. One supported both directly and
    collaboratively counts as direct, so direct + collaborative = all municipalities."""
    support: dict[int, str] = {}
    for municipality_id, support_type in rows:
        if support.get(municipality_id) != SupportType.DIRECT:
            support[municipality_id] = support_type
    return support


_COVERAGE_PARAMETERS = {
    "component": tuple(Component.values),
    "support_type": tuple(SupportType.values),
}


@registry.register(
    "municipalities_covered",
    parameters=_COVERAGE_PARAMETERS,
    description="Municipalities with coverage in force during the period.",
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
)
def activities(context, goal=None) -> Result:
    from civica.monitoring.selectors import activities_in_force

    items = [a for a in activities_in_force(context) if goal is None or goal in a.goals]
    query = [("period", context.period.label)] + ([("goal", goal)] if goal else [])
    return Result(value=float(len(items)), records=("monitoring:activities", tuple(query)))


@registry.register("alliances", parameters={}, description="Alliances in force in the period.")
def alliances(context) -> Result:
    from civica.monitoring.selectors import alliances_in_force

    count = len(alliances_in_force(context))
    return Result(
        value=float(count),
        records=("monitoring:alliances", (("period", context.period.label),)),
    )


@registry.register(
    "sesnsp_total",
    parameters={
        "crime": None,
        "level": ("bien_juridico", "tipo", "subtipo", "modalidad"),
        "measure": ("crimes", "victims"),
    },
    description="Total of an official SESNSP series over the period (nation, state, municipality).",
)
def sesnsp_total(context, crime=None, level="subtipo", measure="crimes") -> Result:
    from civica.monitoring.official import sesnsp_period_total

    return sesnsp_period_total(context, crime=crime, level=level, measure=measure)


# The participant records define both (one place for each rule).
_TRACKS = tuple(Track.values)
_BY = GROUP_KEYS


@registry.register(
    "persons_reached",
    parameters={"tracks": _TRACKS, "by": _BY},
    description="Unique persons reached (participant records), counted once per period.",
)
def persons_reached(context, tracks=None, by=None) -> Result:
    from civica.monitoring.reach import reach_result

    return reach_result(context, kind="persons", tracks=tracks, by=by)


@registry.register(
    "services_delivered",
    parameters={"tracks": _TRACKS, "by": _BY},
    description="Services delivered to participants in the period.",
)
def services_delivered(context, tracks=None, by=None) -> Result:
    from civica.monitoring.reach import reach_result

    return reach_result(context, kind="services", tracks=tracks, by=by)


@registry.register(
    "priority_crime_change",
    parameters={},
    description="Percent change in priority crime rates in evaluated sectors (locked designs "
    "whose after window ends in the period), with each city's 95% interval and Holm-adjusted "
    "significance.",
)
def priority_crime_change(context) -> Result:
    from civica.monitoring.evaluations import priority_crime_change_result

    return priority_crime_change_result(context)
