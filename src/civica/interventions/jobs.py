"""A locked design's evaluation, and the program summary of every locked design, as
background jobs: synthetic control with placebo inference refits every donor as if treated
(11–15 s with a national pool), and the summary evaluates every design by its own method, so
the result and summary pages start a job and show it when the worker is done.

Only the request glue lives here; the evaluation is the design method's own function,
called as any page or command calls it. The result is kept by the design, its lock, the
warehouse snapshots and the registry of interventions (another intervention on the same
crimes removes a donor), and the user's scope.
"""

from __future__ import annotations

from django.db.models import Count, Max
from django.utils.translation import gettext as _

from civica.accounts.access import SYSTEM
from civica.core.services import warehouse
from civica.interventions import methods, selectors
from civica.interventions.models import EvaluationDesign, Intervention, Method
from civica.jobs.progress import within
from civica.jobs.registry import register

EVALUATE = "interventions.evaluate"
SUMMARY = "interventions.summary"

#: Methods whose evaluation runs in the worker (the others answer within a second).
BACKGROUND_METHODS = {Method.SYNTHETIC_CONTROL}


def _design(user, inputs: dict) -> EvaluationDesign:
    design = EvaluationDesign.objects.select_related("intervention").get(pk=inputs["design"])
    selectors.intervention_by_id(user, design.intervention_id)  # out of scope: 404
    return design


def _depends(user, inputs: dict) -> dict:
    design = _design(user, inputs)
    registry = Intervention.objects.aggregate(n=Count("id"), changed=Max("updated_at"))
    return {
        "method": design.method,
        "locked_at": design.locked_at,
        "snapshots": sorted((s.dataset, s.id) for s in warehouse().manifest().snapshots),
        "interventions": registry,
    }


def _compute(user, inputs: dict, progress):
    design = _design(user, inputs)
    placebos = within(
        progress,
        0,
        1,
        _("Fitting the synthetic control and refitting every donor as a placebo"),
        unit=_("placebo"),
    )
    placebos(0, None)
    result = methods.evaluate(user, design, progress=placebos)  # the method's own entry point
    progress(1, 1, "")
    return result


register(EVALUATE, compute=_compute, depends=_depends, pickled=True)


def _summary_depends(user, inputs: dict) -> dict:
    """What the summary's rows depend on besides the user's scope: the locked designs (a
    lock adds a row; a later lock replaces an intervention's row), the registry of
    interventions (donor pools, later cohorts) and the warehouse snapshots."""
    designs = EvaluationDesign.objects.filter(locked_at__isnull=False).aggregate(
        n=Count("id"), last=Max("locked_at"), last_id=Max("id")
    )
    registry = Intervention.objects.aggregate(n=Count("id"), changed=Max("updated_at"))
    return {
        "designs": designs,
        "snapshots": sorted((s.dataset, s.id) for s in warehouse().manifest().snapshots),
        "interventions": registry,
    }


def _summary(user, inputs: dict, progress):
    """The summary page's: every design the user may see. A report's (``program`` in the
    inputs, asked for by the fact sheet and the dashboard through the indicator
    ``priority_crime_change``): the designs of its selection, evaluated as the system — the
    fact sheet is an aggregate of the program — with the viewer's municipalities in the
    selection, so the result is the same for every viewer with the same selection."""
    from civica.interventions.summary import program_summary, selection_filter

    if "program" in inputs:
        return program_summary(SYSTEM, selection_filter(inputs["program"]), progress=progress)
    return program_summary(user, progress=progress)


def _summary_by_scope(inputs: dict) -> bool:
    return "program" not in inputs


register(
    SUMMARY,
    compute=_summary,
    depends=_summary_depends,
    pickled=True,
    by_scope=_summary_by_scope,
)
