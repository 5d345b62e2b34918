"""Reads of the territory, always on behalf of a user.

States, municipalities and population are public reference data: every signed-in user may
read them. Sectors are records a municipality keeps, so they are limited to the user's
territorial scope.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Max, Min, Q, Sum
from django.http import Http404

from civica.accounts import access, scope
from civica.territory.models import Municipality, PopulationEstimate, Sector, State


def states(user):
    access.actor(user)  # reference data, the same for every signed-in user; None is refused
    # A grouped query drops Meta.ordering: ordered here, or pages (and the API's paginator)
    # could repeat or skip states.
    return State.objects.annotate(
        municipality_count=Count("municipalities", distinct=True),
    ).order_by("code")


def municipalities(user, *, state: State | None = None, query: str = ""):
    access.actor(user)
    qs = Municipality.objects.select_related("state")
    if state is not None:
        qs = qs.filter(state=state)
    if query:
        qs = qs.filter(Q(name__icontains=query) | Q(cvegeo__startswith=query))
    return qs


def municipalities_with_sectors(user):
    """Municipalities of the user's scope that have sectors (where incidents are placed and
    interventions target), by code."""
    from civica.accounts import scope

    qs = Municipality.objects.filter(sectors__isnull=False).distinct().order_by("cvegeo")
    ids = scope.municipality_ids(user)
    return qs if ids is None else qs.filter(id__in=ids)


def state_by_code(user, code: str) -> State:
    try:
        return State.objects.get(code=code)
    except State.DoesNotExist:
        raise Http404(code) from None


def municipality_by_code(user, cvegeo: str) -> Municipality:
    try:
        return Municipality.objects.select_related("state").get(cvegeo=cvegeo)
    except Municipality.DoesNotExist:
        raise Http404(cvegeo) from None


def sectors(user, *, municipality: Municipality | None = None):
    """Sectors are records a municipality keeps: only roles that see records get them, and
    only in their scope (a donor viewer, aggregates only, gets none)."""
    from civica.accounts.roles import Capability

    user = access.actor(user)
    if not user.is_authenticated or not user.can(Capability.VIEW_RECORDS):
        return Sector.objects.none()
    qs = Sector.objects.select_related("municipality").in_municipalities(
        scope.municipality_ids(user)
    )
    if municipality is not None:
        qs = qs.filter(municipality=municipality)
    return qs


def sector_by_id(user, pk: int) -> Sector:
    """A sector in the user's scope; out of scope is indistinguishable from missing (404)."""
    try:
        return sectors(user).get(pk=pk)
    except Sector.DoesNotExist:
        raise Http404(pk) from None


def sector_geometries(user, ids) -> dict[int, str]:
    """``{sector id: GeoJSON geometry}`` of the sectors ``ids`` in the user's scope."""
    return dict(sectors(user).filter(id__in=list(ids)).values_list("id", "geometry"))


def population_series(*, municipality: Municipality | None = None, state: State | None = None):
    qs = PopulationEstimate.objects.all()
    if municipality is not None:
        return qs.filter(municipality=municipality).order_by("year")
    return qs.filter(state=state, municipality__isnull=True).order_by("year")


@dataclass(frozen=True)
class TerritorySummary:
    states: int
    municipalities: int
    municipalities_without_boundary: int
    sectors_in_scope: int
    scope_municipalities: int | None
    population_year: int | None
    population_in_scope: int | None


def summary(user, *, year: int | None = None) -> TerritorySummary:
    """Counts for the dashboard, the population restricted to the user's scope."""
    ids = scope.municipality_ids(user)
    population = PopulationEstimate.objects.filter(municipality__isnull=False)
    if ids is not None:
        population = population.filter(municipality_id__in=ids)
    if year is None:
        year = _current_population_year(population)
    total = (
        population.order_by().filter(year=year).aggregate(total=Sum("total"))["total"]
        if year
        else None
    )
    return TerritorySummary(
        states=State.objects.count(),
        municipalities=Municipality.objects.count(),
        municipalities_without_boundary=Municipality.objects.without_boundary().count(),
        sectors_in_scope=sectors(user).count(),
        scope_municipalities=None if ids is None else len(ids),
        population_year=year,
        population_in_scope=total,
    )


def _current_population_year(population) -> int | None:
    """The latest year not after this one (else the earliest): two aggregates over the
    years, not the distinct years of every row — with the model's ordering (state,
    municipality, year) that was a join over the ~130,000 estimates and a sort, half a
    second of the dashboard's ~0.7 s, paid on every view."""
    from django.utils import timezone

    this_year = timezone.localdate().year
    years = population.order_by()
    past = years.filter(year__lte=this_year).aggregate(year=Max("year"))["year"]
    return past if past is not None else years.aggregate(year=Min("year"))["year"]


def population_by_year(
    *,
    state_code: str | None = None,
    municipality_code: str | None = None,
    sex: str | None = None,
):
    """Population per year of the nation, a state or a municipality (CONAPO): the total, or
    the women (``sex="women"``) or men (``sex="men"``) only.

    The nation is the sum of the state rows; a year missing for any state is left out
    rather than summed short (so is a year where any state lacks the sex asked for).
    """
    column = {None: "total", "women": "women", "men": "men"}[sex]
    if municipality_code:
        rows = PopulationEstimate.objects.filter(municipality__cvegeo=municipality_code)
        return {y: v for y, v in rows.values_list("year", column) if v is not None}
    rows = PopulationEstimate.objects.filter(municipality__isnull=True)
    if state_code:
        pairs = rows.filter(state__code=state_code).values_list("year", column)
        return {y: v for y, v in pairs if v is not None}
    states = State.objects.filter(synthetic=False).count()
    totals = (
        rows.filter(state__synthetic=False, **{f"{column}__isnull": False})
        .values("year")
        .annotate(total=Sum(column), states=Count("state"))
    )
    return {row["year"]: row["total"] for row in totals if row["states"] == states}


def population_of_areas(*, year: int, level: str, state_code: str | None = None):
    """Population in ``year`` by municipality code (``level="municipality"``) or state code."""
    rows = PopulationEstimate.objects.filter(year=year)
    if level == "municipality":
        rows = rows.filter(municipality__isnull=False)
        if state_code:
            rows = rows.filter(state__code=state_code)
        return dict(rows.values_list("municipality__cvegeo", "total"))
    return dict(rows.filter(municipality__isnull=True).values_list("state__code", "total"))
