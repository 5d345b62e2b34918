"""What stands behind a people figure (persons reached, services delivered).

Two reads, both for one figure (kind × period × tracks × the viewer's territory):

* :func:`breakdown` — the aggregate table behind the number, by municipality, state, track,
  sex and age band, with the indicator table's disclosure control (``status.suppress``:
  every count from 1 to threshold−1 and its complement). For services a group is also hidden
  when its *persons* are few: ten services of one youth would otherwise describe that youth.
  Any role that sees aggregates may read it; it holds no personal data.
* :func:`persons_behind` — the pseudonymous ids of the figure's persons that the viewer's
  organizations may see (``participants.selectors.persons``), and how many of the figure's
  persons are outside that scope, never who they are. Only roles with personal data get it;
  it shows no personal field, so it is not audited as a view of personal data.

Both read the same filters as the figure (``reach.reach_filters``), so their totals agree with
the indicator table.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civica.accounts import access
from civica.accounts.roles import Capability
from civica.indicators import Context
from civica.monitoring.status import suppress
from civica.participants import reach
from civica.participants import selectors as participant_selectors
from civica.participants.identity import AGE_BANDS, UNKNOWN_AGE
from civica.participants.indicators import reach_filters
from civica.participants.models import Service, Sex, Track

__all__ = ["DIMENSIONS", "KINDS", "Group", "PersonsBehind", "breakdown", "persons_behind"]

KINDS = {"persons": "persons_reached", "services": "services_delivered"}
# Order of the sections on the page and in the CSV.
DIMENSIONS = (
    ("municipality_id", gettext_lazy("Municipality")),
    ("state_id", gettext_lazy("State")),
    ("track", gettext_lazy("Track")),
    ("sex", gettext_lazy("Sex")),
    ("age_band", gettext_lazy("Age band")),
)


@dataclass(frozen=True)
class Group:
    """One line of the breakdown: ``value`` is ``None`` when suppressed."""

    dimension: str
    key: str
    label: str
    value: float | None
    suppressed: bool


@dataclass(frozen=True)
class PersonsBehind:
    pids: list[str]  # in the viewer's scope, sorted
    outside: int  # the figure's persons the viewer may not see
    total: int  # the figure's persons


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise ValueError(
            _("unknown figure “%(kind)s”; use %(known)s.")
            % {"kind": kind, "known": ", ".join(KINDS)}
        )


def _labels(dimension: str, keys: list) -> dict:
    from civica.territory.models import Municipality, State

    if dimension == "municipality_id":
        rows = Municipality.objects.filter(id__in=keys).select_related("state")
        return {m.id: f"{m.name} ({m.state.name})" for m in rows}
    if dimension == "state_id":
        return dict(State.objects.filter(id__in=keys).values_list("id", "name"))
    if dimension == "track":
        return {k: Track(k).label for k in keys if k in Track.values}
    if dimension == "sex":
        return {k: Sex(k).label for k in keys if k in Sex.values}
    if dimension == "age_band":
        return {k: (_("Unknown") if k == UNKNOWN_AGE else k) for k in keys}
    raise ValueError(dimension)


def _order(dimension: str, rows: list[dict], labels: dict) -> list[dict]:
    fixed = {
        "age_band": [label for label, _low, _high in AGE_BANDS] + [UNKNOWN_AGE],
        "sex": list(Sex.values),
        "track": list(Track.values),
    }
    if dimension in fixed:  # the order of the categories, not of their translated names
        order = fixed[dimension]
        return sorted(
            rows,
            key=lambda r: (
                order.index(r[dimension]) if r[dimension] in order else len(order),
                str(r[dimension]),
            ),
        )
    return sorted(rows, key=lambda r: str(labels.get(r[dimension], r[dimension])))


def breakdown(user, context: Context, *, kind: str, tracks=None) -> dict[str, list[Group]]:
    """The figure's groups per dimension, after disclosure control (``access.SYSTEM``: the
    system)."""
    _check_kind(kind)
    access.check(user, Capability.VIEW_AGGREGATES)
    reader = reach.persons_reached if kind == "persons" else reach.services_delivered
    common = reach_filters(context, tracks)
    threshold = settings.CIVICA_SUPPRESSION_THRESHOLD
    out: dict[str, list[Group]] = {}
    for dimension, _title in DIMENSIONS:
        rows = reader(by=(dimension,), **common)
        labels = _labels(dimension, [r[dimension] for r in rows])
        rows = _order(dimension, rows, labels)
        hidden = suppress([float(r["persons"]) for r in rows], threshold)
        if kind == "services":
            by_services = suppress([float(r["services"]) for r in rows], threshold)
            hidden = [a or b for a, b in zip(hidden, by_services, strict=True)]
        out[dimension] = [
            Group(
                dimension=dimension,
                key=str(r[dimension]),
                label=str(labels.get(r[dimension], r[dimension])),
                value=None if h else float(r[kind]),
                suppressed=h,
            )
            for r, h in zip(rows, hidden, strict=True)
        ]
    return out


def _figure_person_ids(context: Context, tracks):
    """Ids of the persons the figure counts: an attended service in the period (under one of
    the tracks), living in one of the figure's municipalities — the rule of
    ``participants.reach``."""
    common = reach_filters(context, tracks)
    services = Service.objects.filter(
        attended=True, date__gte=common["start"], date__lte=common["end"]
    )
    if common["tracks"] is not None:
        services = services.filter(enrollment__track__in=common["tracks"])
    if common["municipality_ids"] is not None:
        services = services.filter(person__municipality_id__in=common["municipality_ids"])
    return services.values("person_id").distinct()


def _scoped_pids(user) -> dict[int, str]:
    """``{person id: pid}`` of the persons ``user`` may see (the participants' own rule)."""
    return dict(participant_selectors.persons(user).values_list("id", "pid"))


def persons_behind(user, context: Context, *, kind: str, tracks=None) -> PersonsBehind:
    """The pseudonymous ids behind the figure the user may see, and how many they may not."""
    _check_kind(kind)
    access.check(user, Capability.VIEW_PERSONAL_DATA)
    figure = set(_figure_person_ids(context, tracks).values_list("person_id", flat=True))
    scoped = _scoped_pids(user)
    pids = sorted(scoped[i] for i in figure if i in scoped)
    return PersonsBehind(pids=pids, outside=len(figure) - len(pids), total=len(figure))
