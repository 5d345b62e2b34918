"""Reads of interventions and their evaluation designs, always on behalf of a user.

An intervention belongs to its municipalities: a user sees those with at least one
municipality in their scope (``scope.municipality_ids``; ``None`` means all of Mexico). Out of
scope is indistinguishable from missing.

A program across places (an intervention in sectors of several alcaldías) is seen *in part*
by a user whose scope covers only some of its municipalities: its name, dates, crimes and
the names of all its municipalities, but only the target and comparison sectors of their own
municipalities (:func:`visible_sectors`), and results counted on those sectors alone (the
methods read incidents through the scoped selectors). Designs of such a program are created
and locked by users whose scope covers every municipality (:func:`covers`). A command or a
job passes ``civica.accounts.access.SYSTEM``; ``None`` is refused.
"""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404

from civica.accounts import scope
from civica.interventions.models import EvaluationDesign, Intervention


def interventions(user):
    """Interventions in the user's scope (all of them for ``access.SYSTEM``)."""
    ids = scope.municipality_ids(user)
    qs = Intervention.objects.select_related("municipality", "organization").prefetch_related(
        "target_sectors"
    )
    if ids is None:
        return qs.prefetch_related("more_municipalities")
    inside = Intervention.objects.filter(
        Q(municipality_id__in=ids) | Q(more_municipalities__in=ids)
    ).values("pk")
    return qs.filter(pk__in=inside).prefetch_related("more_municipalities")


def covers(user, intervention: Intervention) -> bool:
    """Whether the user's scope holds every municipality of the intervention (always for
    ``access.SYSTEM``)."""
    ids = scope.municipality_ids(user)
    return ids is None or intervention.municipality_ids <= ids


def visible_sectors(user, sectors):
    """The sectors (a list or queryset) of municipalities in the user's scope."""
    ids = scope.municipality_ids(user)
    return [s for s in sectors if ids is None or s.municipality_id in ids]


def visible_municipalities(user, intervention: Intervention) -> list:
    """The intervention's municipalities that are in the user's scope."""
    ids = scope.municipality_ids(user)
    return [m for m in intervention.municipalities() if ids is None or m.pk in ids]


def intervention_by_id(user, pk: int) -> Intervention:
    try:
        return interventions(user).get(pk=pk)
    except (Intervention.DoesNotExist, ValueError, TypeError):
        raise Http404(pk) from None


def designs(user, intervention: Intervention | int):
    """The evaluation designs of an intervention in the user's scope (404 otherwise)."""
    pk = intervention.pk if isinstance(intervention, Intervention) else intervention
    intervention = intervention_by_id(user, pk)
    return EvaluationDesign.objects.filter(intervention=intervention).prefetch_related(
        "comparison_sectors"
    )


def design_by_id(user, pk: int) -> EvaluationDesign:
    """One evaluation design whose intervention is in the user's scope (404 otherwise)."""
    try:
        design = EvaluationDesign.objects.select_related("intervention__municipality").get(pk=pk)
    except (EvaluationDesign.DoesNotExist, ValueError, TypeError):
        raise Http404(pk) from None
    intervention_by_id(user, design.intervention_id)  # out of scope: 404 as if missing
    return design


def comparison_sector_choices(user, intervention: Intervention):
    """Sectors a design may compare with: of the target sectors' layers, in the user's scope,
    not targets themselves."""
    from civica.territory.models import Sector

    layers = set(intervention.target_sectors.values_list("layer", flat=True))
    queryset = Sector.objects.filter(layer__in=layers).exclude(
        pk__in=intervention.target_sectors.all()
    )
    return queryset.in_municipalities(scope.municipality_ids(user)).order_by("layer", "name")
