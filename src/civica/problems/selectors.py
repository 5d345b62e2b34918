"""Reads of problems, always on behalf of a user.

A problem belongs to its municipalities: a user sees those with at least one municipality
in their scope, and of a problem across several municipalities only the sectors of their own
(as an intervention across places, :mod:`civica.interventions.selectors`). Out of scope is
indistinguishable from missing.
"""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404

from civica.accounts import scope
from civica.interventions import selectors as intervention_selectors
from civica.problems.catalog import STAGE_ORDER
from civica.problems.models import Milestone, Problem, ProblemAnalysis, ProblemResponse


def problems(user):
    """The problems of the user's scope (all of them for ``access.SYSTEM``)."""
    ids = scope.municipality_ids(user)
    qs = Problem.objects.select_related("municipality", "owner").prefetch_related(
        "more_municipalities", "sectors"
    )
    if ids is None:
        return qs
    inside = Problem.objects.filter(
        Q(municipality_id__in=ids) | Q(more_municipalities__in=ids)
    ).values("pk")
    return qs.filter(pk__in=inside)


def problem_by_id(user, pk) -> Problem:
    try:
        return problems(user).get(pk=pk)
    except (Problem.DoesNotExist, ValueError, TypeError):
        raise Http404(pk) from None


def by_stage(user, municipality_code: str | None = None) -> list[tuple[str, list[Problem]]]:
    """The user's problems grouped by stage, in SARA's order (a municipality's list)."""
    queryset = problems(user)
    if municipality_code:
        queryset = queryset.filter(
            Q(municipality__cvegeo=municipality_code)
            | Q(more_municipalities__cvegeo=municipality_code)
        ).distinct()
    grouped: dict[str, list[Problem]] = {stage: [] for stage in STAGE_ORDER}
    for problem in queryset:
        grouped[problem.stage].append(problem)
    return list(grouped.items())


def visible_sectors(user, problem: Problem) -> list:
    return intervention_selectors.visible_sectors(user, problem.sectors.all())


def analyses(user, problem: Problem):
    problem_by_id(user, problem.pk)
    return ProblemAnalysis.objects.filter(problem=problem).select_related("created_by")


def analysis_by_id(user, pk) -> ProblemAnalysis:
    try:
        analysis = ProblemAnalysis.objects.select_related("problem").get(pk=pk)
    except (ProblemAnalysis.DoesNotExist, ValueError, TypeError):
        raise Http404(pk) from None
    problem_by_id(user, analysis.problem_id)
    return analysis


def responses(user, problem: Problem):
    problem_by_id(user, problem.pk)
    return (
        ProblemResponse.objects.filter(problem=problem)
        .select_related("intervention__municipality")
        .prefetch_related("partners", "milestones")
    )


def response_by_id(user, pk) -> ProblemResponse:
    try:
        response = ProblemResponse.objects.select_related("problem", "intervention").get(pk=pk)
    except (ProblemResponse.DoesNotExist, ValueError, TypeError):
        raise Http404(pk) from None
    problem_by_id(user, response.problem_id)
    return response


def milestone_by_id(user, pk) -> Milestone:
    try:
        milestone = Milestone.objects.select_related("response").get(pk=pk)
    except (Milestone.DoesNotExist, ValueError, TypeError):
        raise Http404(pk) from None
    problem_by_id(user, milestone.response.problem_id)
    return milestone


def interventions(user):
    """Interventions a response may link to: those of the user's scope."""
    return intervention_selectors.interventions(user)


def organizations(user):
    from civica.organizations import selectors as organization_selectors

    return organization_selectors.organizations(user)


def owner_candidates(problem: Problem):
    """Who may own a problem: active users who may change records (``EDIT_RECORDS``) and
    whose scope holds at least one of the problem's municipalities (nationwide scopes and
    administrators hold them all) — the same rule that lets them write to it."""
    from django.contrib.auth import get_user_model

    from civica.accounts.roles import CAPABILITIES, Capability, Role

    editing = [role for role, caps in CAPABILITIES.items() if Capability.EDIT_RECORDS in caps]
    places = problem.municipalities()
    reach = (
        Q(is_superuser=True)
        | Q(role=Role.ADMINISTRATOR)
        | (
            Q(role__in=editing)
            & (
                Q(nationwide=True)
                | Q(states__in={m.state_id for m in places})
                | Q(municipalities__in=[m.pk for m in places])
            )
        )
    )
    users = get_user_model().objects
    inside = users.filter(reach, is_active=True).values("pk")
    return users.filter(pk__in=inside).order_by("first_name", "last_name", "username")
