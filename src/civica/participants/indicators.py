"""The participant records' indicator computations: persons reached and services delivered,
registered in :mod:`civica.indicators` when the app starts (``ParticipantsConfig.ready``).

The counts come from :mod:`civica.participants.reach` (``persons_reached(*, start, end,
by=(), tracks=None, municipality_ids=None, organization_ids=None) -> list[dict]`` with the
``by`` keys plus ``persons``; ``services_delivered(...)`` with ``services``). Without any
record in the period the value is "not available", never zero. The figure links to its
drill-down page (``monitoring:people``), which reads through :func:`reach_filters` too, so
the two agree.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from civica.indicators import Cell, Result, registry
from civica.participants import reach
from civica.participants.models import Track
from civica.participants.reach import GROUP_KEYS
from civica.territory.models import Municipality

__all__ = ["reach_filters", "reach_result", "records_query"]


def _reader(kind: str):
    return reach.persons_reached if kind == "persons" else reach.services_delivered


def reach_filters(context, tracks=None) -> dict:
    """The arguments of the participant counts for a context: the period, the tracks and the
    municipalities (the viewer's scope ∩ the territory filter; ``None``: everywhere). The
    figure and its drill-down (``people.py``) both read through this, so they agree."""
    tracks = [tracks] if isinstance(tracks, str) else tracks
    ids = context.municipality_ids
    if context.municipality_code or context.state_code:
        places = Municipality.objects.all()
        if context.municipality_code:
            places = places.filter(cvegeo=context.municipality_code)
        else:
            places = places.filter(state__code=context.state_code)
        place_ids = set(places.values_list("id", flat=True))
        ids = frozenset(place_ids if ids is None else place_ids & set(ids))
    return {
        "start": context.period.start,
        "end": context.period.end,
        "tracks": None if tracks is None else list(tracks),
        "municipality_ids": None if ids is None else sorted(ids),
    }


def records_query(context, *, kind: str, tracks=None) -> tuple[str, tuple]:
    """The drill-down page of a people figure (``monitoring:people``) and its query."""
    query = [("period", context.period.label), ("kind", kind)]
    tracks = [tracks] if isinstance(tracks, str) else list(tracks or [])
    query += [("tracks", track) for track in tracks]
    if context.state_code:
        query.append(("state", context.state_code))
    return ("monitoring:people", tuple(query))


def reach_result(context, *, kind: str, tracks=None, by=None) -> Result:
    reader = _reader(kind)
    by = [by] if isinstance(by, str) else list(by or [])
    common = reach_filters(context, tracks)
    # Unique persons cannot be summed over groups: the total is its own question.
    total_rows = reader(by=(), **common)
    total = float(sum(row[kind] for row in total_rows))
    if not total:  # no record in the period (or none at all): unknown, never a typed zero
        return Result.missing(_("not available: no participant records"))
    cells = []
    for key in by:
        for row in reader(by=(key,), **common):
            cells.append(Cell(((key, str(row[key])),), float(row[kind])))
    return Result(
        value=total, cells=tuple(cells), records=records_query(context, kind=kind, tracks=tracks)
    )


# The participant records define both parameters (one place for each rule).
_PARAMETERS = {"tracks": tuple(Track.values), "by": GROUP_KEYS}
# Persons, enrollments, services (and the organizations they belong to); places.
_READS = ("participants", "organizations", "territory")


@registry.register(
    "persons_reached",
    parameters=_PARAMETERS,
    reads=_READS,
    description="Unique persons reached (participant records), counted once per period.",
)
def persons_reached(context, tracks=None, by=None) -> Result:
    return reach_result(context, kind="persons", tracks=tracks, by=by)


@registry.register(
    "services_delivered",
    parameters=_PARAMETERS,
    reads=_READS,
    description="Services delivered to participants in the period.",
)
def services_delivered(context, tracks=None, by=None) -> Result:
    return reach_result(context, kind="services", tracks=tracks, by=by)
