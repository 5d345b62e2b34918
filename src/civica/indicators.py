"""The indicator registry: the contract between the apps that compute indicators and the
monitoring reports that show them.

Each app registers its own computations when Django starts (its ``AppConfig.ready`` imports
its ``indicators.py``), under a name and with the parameters it accepts::

    from civica.indicators import Result, registry

    @registry.register("cases_opened", parameters={"kind": ("mediation", "tamizaje")},
                       description="Cases opened in the period.")
    def cases_opened(context, kind=None) -> Result:
        ...

The indicator catalogue (``civica.monitoring.catalogue``) names a computation in its
``computation`` column and gives the parameters as JSON; an unknown name or parameter is
refused when the catalogue is loaded, not when a report runs. A computation returns a
:class:`Result`: ``value=None`` means "not computed" and carries the reason
(``unavailable``), which reports show instead of a typed number.

This module imports no app, so every app may register here and monitoring reads it without
an import circle (``civica/core/tests/test_import_graph.py`` keeps it so).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from civica.monitoring.periods import ReportingPeriod

__all__ = [
    "WAREHOUSE",
    "Cell",
    "Computation",
    "Context",
    "Interval",
    "PendingJob",
    "Registry",
    "Result",
    "registry",
]


@dataclass(frozen=True)
class Context:
    """What a computation is asked about.

    ``municipality_ids`` is the viewer's scope intersected with the filters (``None``: no
    restriction); ``state_code``/``municipality_code`` name the territory of a target or a
    filter, for computations over official statistics. With an activity filter,
    ``activity_municipality_ids`` are the municipalities the activity covers during the
    period (monitoring fills it, so apps whose records belong to no activity need not read
    monitoring's coverage).
    """

    period: ReportingPeriod
    municipality_ids: frozenset[int] | None = None
    activity_id: int | None = None
    activity_municipality_ids: frozenset[int] | None = None
    state_code: str | None = None
    municipality_code: str | None = None
    stored_only: bool = False


@dataclass(frozen=True)
class PendingJob:
    """A background job whose result a computation needs: its kind and inputs (JSON, no
    personal data) and the label the page shows beside its progress."""

    kind: str
    inputs: dict
    label: str = ""


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
    # Set when the answer is a background job's result not computed yet (Context.stored_only)
    pending: PendingJob | None = None

    @classmethod
    def missing(cls, reason: str) -> Result:
        return cls(value=None, unavailable=reason)

    @classmethod
    def waiting_for(cls, job: PendingJob) -> Result:
        """No value yet: the page starts ``job`` and shows its progress."""
        return cls(value=None, unavailable=_("being computed"), pending=job)


@dataclass(frozen=True)
class Computation:
    name: str
    function: Callable[..., Result]
    parameters: dict[str, tuple[str, ...] | None]  # allowed values, None: any text
    description: str
    # What the result is a function of, besides the context and the parameters: Django app
    # labels whose records it reads, or ``WAREHOUSE`` (the current official snapshots).
    # ``None``: not declared, so the result is never kept (computed at every view).
    reads: tuple[str, ...] | None = None
    # Called (without arguments) before a result is computed again because its inputs
    # changed: an app that keeps frames of its own forgets them there.
    refresh: Callable[[], None] | None = None
    # Computes many results at once — ``batch([(name, context, parameters), …])`` → results
    # in order — for computations that share their reading of the records (every
    # computation registered with the same ``batch`` is asked together by
    # :meth:`Registry.compute_many`). ``function`` stays the answer for one result.
    batch: Callable[[list], list[Result]] | None = None


class Registry:
    """Named computations; ``registry`` is the one every app registers into."""

    def __init__(self):
        self._items: dict[str, Computation] = {}

    def register(
        self,
        name: str,
        *,
        parameters=None,
        description: str = "",
        reads: tuple[str, ...] | None = None,
        refresh: Callable[[], None] | None = None,
        batch: Callable[[list], list[Result]] | None = None,
    ):
        """Decorator: ``@registry.register("activities", parameters={"goal": (...)},
        reads=("monitoring", "territory"))``.

        ``parameters`` maps each parameter to its allowed values (``None``: any text). A name
        is registered once: two apps cannot both answer for one indicator. ``reads`` names
        every input the result depends on (app labels, or ``WAREHOUSE``): the monitoring
        reports keep the result until one of them changes (``civica.monitoring.kept``); a
        computation that reads anything else (today's date, a job's store) leaves it out.
        ``batch`` computes many results of the computations registered with it at once
        (:meth:`compute_many`)."""

        def decorate(function):
            if name in self._items:
                raise ValueError(f"A computation named {name!r} is already registered.")
            self._items[name] = Computation(
                name,
                function,
                dict(parameters or {}),
                description,
                None if reads is None else tuple(reads),
                refresh,
                batch,
            )
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

    def compute_many(self, asked) -> list[Result]:
        """The results of ``asked`` — ``(name, context, parameters)`` triples — in order, the
        same as :meth:`compute` of each; computations registered with one ``batch`` are
        computed by one call of it (e.g. every civic-justice figure from one reading of the
        cases)."""
        asked = list(asked)
        results: list[Result | None] = [None] * len(asked)
        batches: dict = {}
        for index, (name, context, parameters) in enumerate(asked):
            computation = self._items.get(name)
            batch = computation.batch if computation is not None else None
            if batch is not None:
                try:
                    self.check(name, parameters)
                except ValueError:
                    batch = None  # compute() below reports why
            if batch is None:
                results[index] = self.compute(name, context, parameters)
            else:
                batches.setdefault(batch, []).append(index)
        for batch, indices in batches.items():
            done = batch([asked[i] for i in indices])
            for index, result in zip(indices, done, strict=True):
                results[index] = result
        return results


registry = Registry()

# ``reads`` token for the official statistics: the live snapshots of the warehouse.
WAREHOUSE = "warehouse"
