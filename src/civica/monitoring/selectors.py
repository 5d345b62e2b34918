"""Reads of program records on behalf of a user.

Coverage belongs to its municipality: a user sees coverage of the municipalities in their
scope (``scope.municipality_ids``), activities and alliances with at least one place in it
(or none at all). Aggregates need ``view_aggregates``; the rows behind them ``view_records``.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q

from civica.accounts import access, scope
from civica.accounts.roles import Capability
from civica.indicators import Context
from civica.monitoring.models import Activity, Coverage, SupportType
from civica.monitoring.periods import ReportingPeriod
from civica.organizations.models import Alliance


def require(user, capability: str) -> None:
    access.check(user, capability)


def context_for(
    user,
    period: ReportingPeriod,
    *,
    activity_id: int | None = None,
    state_code: str | None = None,
    municipality_code: str | None = None,
) -> Context:
    """The computation context of a viewer (``access.SYSTEM``: the system, e.g. the CLI)."""
    require(user, Capability.VIEW_AGGREGATES)
    ids = scope.municipality_ids(user)
    covered = None
    if activity_id:
        covered = frozenset(
            Coverage.objects.overlapping(period.start, period.end)
            .filter(activity_id=activity_id)
            .values_list("municipality_id", flat=True)
        )
    return Context(
        period=period,
        municipality_ids=None if ids is None else frozenset(ids),
        activity_id=activity_id,
        activity_municipality_ids=covered,
        state_code=state_code,
        municipality_code=municipality_code,
    )


def activities_in_force(context: Context) -> list[Activity]:
    qs = Activity.objects.filter(
        start_date__lte=context.period.end, end_date__gte=context.period.start
    ).select_related("implementer")
    if context.activity_id:
        qs = qs.filter(pk=context.activity_id)
    places = _places(context)
    if places is not None:
        qs = qs.filter(Q(coverage__municipality_id__in=places) | Q(coverage__isnull=True))
    return list(qs.distinct())


def activity_choices(user) -> list[Activity]:
    """Activities a filter may offer the user: those covering a municipality in the user's
    scope, and program-wide ones without coverage — never another territory's names."""
    qs = Activity.objects.order_by("name")
    ids = scope.municipality_ids(user)
    if ids is not None:
        qs = qs.filter(Q(coverage__municipality_id__in=ids) | Q(coverage__isnull=True))
    return list(qs.distinct())


def alliances_in_force(context: Context) -> list[Alliance]:
    qs = Alliance.objects.filter(start_date__lte=context.period.end).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=context.period.start)
    )
    places = _places(context)
    if places is not None:
        qs = qs.filter(Q(municipalities__in=places) | Q(municipalities__isnull=True))
    return list(qs.distinct().prefetch_related("members", "municipalities"))


def _places(context: Context) -> set[int] | None:
    from civica.territory.models import Municipality

    ids = None if context.municipality_ids is None else set(context.municipality_ids)
    if context.state_code or context.municipality_code:
        places = Municipality.objects.all()
        if context.municipality_code:
            places = places.filter(cvegeo=context.municipality_code)
        if context.state_code:
            places = places.filter(state__code=context.state_code)
        chosen = set(places.values_list("id", flat=True))
        ids = chosen if ids is None else ids & chosen
    return ids


def coverage_records(
    user, context: Context, *, component=None, support_type=None
) -> list[Coverage]:
    """The coverage rows behind a coverage figure, limited to the user's scope."""
    require(user, Capability.VIEW_RECORDS)
    qs = coverage_in_context(context, component, support_type).select_related(
        "activity", "municipality__state"
    )
    return list(qs.order_by("municipality__cvegeo", "activity__name"))


def people_context(user, period: ReportingPeriod, *, state_code: str | None = None) -> Context:
    """The context of a people figure's drill-down. Unlike :func:`context_for` it also admits
    roles with personal data but no aggregates (case workers), who come for the ids of their
    own persons; the figure is still counted within the viewer's territory."""
    user = access.actor(user)
    if not (user.can(Capability.VIEW_AGGREGATES) or user.can(Capability.VIEW_PERSONAL_DATA)):
        raise PermissionDenied
    ids = scope.municipality_ids(user)
    return Context(
        period=period,
        municipality_ids=None if ids is None else frozenset(ids),
        state_code=state_code,
    )


def coverage_in_context(context: Context, component: str | None, support_type: str | None):
    """Coverage in force in the context's period, places and activity (the context already
    holds the viewer's scope): what the coverage figures count and their records list."""
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


def support_by_municipality(rows) -> dict[int, str]:
    """Each municipality's support type in the period. One supported both directly and
    collaboratively counts as direct, so direct + collaborative = all municipalities."""
    support: dict[int, str] = {}
    for municipality_id, support_type in rows:
        if support.get(municipality_id) != SupportType.DIRECT:
            support[municipality_id] = support_type
    return support


def latest_record_date(today):
    """The last day up to ``today`` with a program record (a service to a participant or a
    coverage record). Not scoped: it only picks which period a page opens on, and reveals no
    figure."""
    from django.db.models import Max

    from civica.monitoring.models import Coverage
    from civica.participants.models import Service

    dates = [
        Service.objects.filter(date__lte=today).aggregate(d=Max("date"))["d"],
        Coverage.objects.filter(start_date__lte=today).aggregate(d=Max("start_date"))["d"],
    ]
    dates = [d for d in dates if d is not None]
    return max(dates) if dates else None


def indicator_by_code(user, code: str):
    """The catalogue's indicator ``code`` (program-wide, not scoped), or ``None``."""
    from civica.monitoring.models import Indicator

    access.actor(user)
    return Indicator.objects.filter(code=code).first()


def state_choices(user):
    """States a filter offers: the real ones (the synthetic demo states only when there are no
    real ones). Reference data, the same for every signed-in user."""
    from civica.territory.models import State

    access.actor(user)
    return State.objects.filter(synthetic=False).order_by("code") or State.objects.order_by("code")
