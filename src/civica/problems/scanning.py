"""Scanning: candidate problems proposed from the data Cívica holds, each with its evidence.

A *source* is a function ``(user, data: ScanData) -> list[Candidate]`` registered by name
with :func:`register`. The built-in sources (:mod:`.incident_sources`) read an incident
layer: persistent Gi* hot spots, a sector's rising crimes and repeat places.

Sources live in modules imported on the first scan, not at start-up: they need pandas,
DuckDB and pyproj, which every Django start (every page, every ``civica`` command) should
not pay for. :data:`MODULES` says where each source lives (name → module path, as the
evaluation methods' ``interventions/methods/base.py``); that module calls :func:`register`
when imported. A source of another app is one line here, its module registering itself::

    # civica/justice/scan.py
    from civica.problems import scanning

    def recurring_faltas(user, data): ...

    scanning.register("recurring_faltas", _("Recurring faltas"), recurring_faltas)

A source reads through its own app's scoped selectors with the ``user`` it is given and
returns candidates limited to that user's scope. ``data`` (:class:`.scan_data.ScanData`)
shares one pass over the incident layer (counts by sector × crime × quarter) among the
sources that need it.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable
from dataclasses import dataclass, field

__all__ = [
    "MODULES",
    "Candidate",
    "Source",
    "candidate",
    "register",
    "scan",
    "sources",
]


@dataclass(frozen=True)
class Candidate:
    """A problem scanning proposes: where, which crimes, and why (``evidence``, JSON-able)."""

    source: str
    key: str  # stable within a scan: accepting names it
    title: str
    municipality_code: str
    municipality_name: str
    crimes: tuple[str, ...]
    sector_ids: tuple[int, ...]
    sector_names: tuple[str, ...]
    score: float  # for ordering: larger is stronger evidence
    summary: str  # the evidence in one sentence, in the user's language
    evidence: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Source:
    name: str
    label: object
    function: Callable


# Where each source lives, imported on first use (a scan, or the list of sources). A new
# source adds its line; its module calls ``register`` when imported.
MODULES = {
    "hot_spots": "civica.problems.incident_sources",
    "rising_crimes": "civica.problems.incident_sources",
    "repeat_places": "civica.problems.incident_sources",
    "calls": "civica.police.scan",  # calls for service: rising or repeated (CAD snapshots)
}

_SOURCES: dict[str, Source] = {}


def register(name: str, label, function: Callable) -> Source:
    """Add a scanning source (see the module's docstring). Registering a name twice with
    another function is refused."""
    source = Source(name, label, function)
    if name in _SOURCES and _SOURCES[name].function is not function:
        raise ValueError(f"A scanning source named {name!r} is already registered.")
    _SOURCES[name] = source
    return source


def _load(names) -> dict[str, Source]:
    """The sources of ``names`` (every known one when ``None``), their modules imported now,
    in the order of :data:`MODULES` and then of registration."""
    wanted = list(MODULES) if names is None else [n for n in MODULES if n in names]
    for name in wanted:
        if name not in _SOURCES:
            importlib.import_module(MODULES[name])
    order = [*MODULES, *(n for n in _SOURCES if n not in MODULES)]
    return {
        name: _SOURCES[name]
        for name in order
        if name in _SOURCES and (names is None or name in names)
    }


def sources() -> dict[str, Source]:
    """Every source, by name (imports their modules)."""
    return _load(None)


def scan(user, *, layer: str, end: dt.date | None = None, only=None, **options) -> list[Candidate]:
    """Every registered source's candidates for the user's scope, strongest first within
    each source. ``only`` limits the sources by name (and the modules imported)."""
    from civica.problems.scan_data import ScanData  # pandas, DuckDB: on first scan

    chosen = _load(None if not only else set(only))
    data = ScanData(user, layer, end, **options)
    found: list[Candidate] = []
    for source in chosen.values():
        found += sorted(source.function(user, data), key=lambda c: -c.score)
    return found


def candidate(user, *, key: str, layer: str, end: dt.date | None = None, **options) -> Candidate:
    """The candidate of that key, found again by scanning (evidence is never taken from the
    client); ``LookupError`` when the data no longer propose it."""
    source = key.split("|", 1)[0]
    for found in scan(user, layer=layer, end=end, only=[source], **options):
        if found.key == key:
            return found
    raise LookupError(key)
