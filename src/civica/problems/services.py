"""Writes of problems: accepting a scanned candidate, the analysis, responses and milestones,
moving through SARA's stages. Every write is audited; ``access.SYSTEM`` is the system itself
(command line, demo)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civica.accounts import access, scope
from civica.accounts.roles import Capability
from civica.audit.services import Action, record
from civica.problems import analyses, scanning
from civica.problems.catalog import CHEERS, CHEERS_KEYS, STAGE_ORDER, TRIANGLE, Stage
from civica.problems.models import Milestone, Problem, ProblemAnalysis, ProblemResponse
from civica.territory.models import Municipality, Sector

__all__ = [
    "EditConflictError",
    "accept_candidate",
    "add_milestone",
    "add_response",
    "advance",
    "attach_analysis",
    "complete_milestone",
    "create_problem",
    "update_analysis",
    "update_priority_and_owner",
]


def _authorize(actor, municipalities: Iterable[Municipality]) -> None:
    if access.is_system(actor):
        return
    if not actor.can(Capability.EDIT_RECORDS):
        raise PermissionDenied(_("Your role cannot create or change problems."))
    ids = scope.municipality_ids(actor)
    outside = [m for m in municipalities if ids is not None and m.pk not in ids]
    if outside:
        raise PermissionDenied(
            _("%(municipality)s is outside your territory.")
            % {"municipality": ", ".join(m.name for m in outside)}
        )


def _check_cheers(cheers: dict) -> dict:
    """All six CHEERS elements must hold before a problem is taken on."""
    cheers = {key: bool(cheers.get(key)) for key in CHEERS_KEYS}
    missing = [str(label) for key, label in CHEERS if not cheers[key]]
    if missing:
        raise ValidationError(
            {
                "cheers": _(
                    "A problem is taken on when it passes the CHEERS test; not yet: %(missing)s."
                )
                % {"missing": "; ".join(missing)}
            }
        )
    return cheers


def create_problem(
    *,
    actor,
    title: str,
    municipality: Municipality,
    crimes: list[str],
    sectors: Iterable[Sector] = (),
    incident_layer: str = "",
    priority: str = "medium",
    owner=None,
    description: str = "",
    source: str = "",
    evidence: dict | None = None,
    cheers: dict | None = None,
    cheers_notes: str = "",
) -> Problem:
    """A problem in scanning (no CHEERS given) or accepted into analysis (CHEERS passed)."""
    sectors = list(sectors)
    places = {municipality.pk: municipality}
    for sector in sectors:
        places.setdefault(sector.municipality_id, sector.municipality)
    _authorize(actor, places.values())
    others = [m for pk, m in places.items() if pk != municipality.pk]
    if any(m.state_id != municipality.state_id for m in others):
        raise ValidationError(
            {"sectors": _("A problem's sectors are in the municipalities of one state.")}
        )
    problem = Problem(
        title=title,
        municipality=municipality,
        crimes=list(crimes),
        incident_layer=incident_layer,
        priority=priority,
        owner=owner,
        description=description,
        source=source,
        evidence=evidence or {},
        cheers_notes=cheers_notes,
    )
    if cheers is not None:
        problem.cheers = _check_cheers(cheers)
        problem.stage = Stage.ANALYSIS
        problem.accepted_at = timezone.now()
        problem.accepted_by = access.user_of(actor)
    problem.full_clean()
    with transaction.atomic():
        problem.save()
        problem.more_municipalities.set(others)
        problem.sectors.set(sectors)
        record(
            actor=actor,
            action=Action.CREATE,
            obj=problem,
            detail={
                "stage": problem.stage,
                "source": source,
                "municipalities": [m.cvegeo for m in places.values()],
                "sectors": sorted(s.name for s in sectors),
            },
        )
    return problem


def accept_candidate(
    *,
    actor,
    key: str,
    layer: str,
    end: dt.date | None = None,
    cheers: dict,
    priority: str,
    owner=None,
    cheers_notes: str = "",
    title: str = "",
) -> Problem:
    """Take on a candidate of the scan: found again from the data (its evidence is never taken
    from the client), with the CHEERS test, a priority and an owner."""
    _check_cheers(cheers)
    try:
        found = scanning.candidate(actor, key=key, layer=layer, end=end)
    except LookupError:
        raise ValidationError(_("The data no longer propose this candidate; scan again.")) from None
    sectors = list(Sector.objects.filter(pk__in=found.sector_ids).select_related("municipality"))
    return create_problem(
        actor=actor,
        title=title or found.title,
        municipality=Municipality.objects.get(cvegeo=found.municipality_code),
        crimes=list(found.crimes),
        sectors=sectors,
        incident_layer=layer,
        priority=priority,
        owner=owner,
        source=found.source,
        evidence={"summary": found.summary, "key": found.key, **found.evidence},
        cheers=cheers,
        cheers_notes=cheers_notes,
    )


ANALYSIS_FIELDS = (*[key for key, _label in TRIANGLE], "hypotheses", "description")


def update_analysis(*, actor, problem: Problem, **fields) -> Problem:
    """The problem-analysis triangle, hypotheses and description."""
    _authorize_part(actor, problem)
    unknown = set(fields) - set(ANALYSIS_FIELDS)
    if unknown:
        raise ValueError(f"not analysis fields: {sorted(unknown)}")
    changed = {f: v for f, v in fields.items() if getattr(problem, f) != v}
    for name, value in changed.items():
        setattr(problem, name, value)
    if changed:
        problem.save()
        record(actor=actor, action=Action.UPDATE, obj=problem, detail={"changed": sorted(changed)})
    return problem


def _in_scope(actor, municipality) -> bool:
    ids = scope.municipality_ids(actor)
    return ids is None or municipality.pk in ids


def _authorize_part(actor, problem: Problem) -> None:
    """At least one of the problem's municipalities is the actor's."""
    mine = [m for m in problem.municipalities() if _in_scope(actor, m)]
    _authorize(actor, mine or problem.municipalities())


def attach_analysis(*, actor, problem: Problem, kind: str, parameters: dict) -> ProblemAnalysis:
    """Compute an analysis now and keep it, with its parameters, as a frozen snapshot."""
    _authorize_part(actor, problem)
    result, summary = analyses.run(actor, kind, dict(parameters))
    analysis = ProblemAnalysis(
        problem=problem,
        kind=kind,
        parameters={
            k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in parameters.items()
        },
        result=result,
        summary=summary,
        created_by=access.user_of(actor),
    )
    with transaction.atomic():
        analysis.save()
        record(
            actor=actor,
            action=Action.CREATE,
            obj=analysis,
            detail={"problem": problem.pk, "kind": kind, "parameters": analysis.parameters},
        )
    return analysis


def add_response(
    *,
    actor,
    problem: Problem,
    intervention,
    technique: str,
    owner: str,
    start_date: dt.date,
    end_date: dt.date | None = None,
    partners=(),
    description: str = "",
) -> ProblemResponse:
    """Link an intervention of the registry (one the actor may see) as a response."""
    from civica.interventions import selectors as intervention_selectors

    _authorize_part(actor, problem)
    intervention_selectors.intervention_by_id(actor, intervention.pk)  # 404 out of scope
    response = ProblemResponse(
        problem=problem,
        intervention=intervention,
        technique=technique,
        owner=owner,
        start_date=start_date,
        end_date=end_date,
        description=description,
    )
    response.full_clean()
    with transaction.atomic():
        response.save()
        response.partners.set(list(partners))
        record(
            actor=actor,
            action=Action.CREATE,
            obj=response,
            detail={
                "problem": problem.pk,
                "intervention": intervention.pk,
                "technique": technique,
                "partners": sorted(p.name for p in partners),
            },
        )
    return response


def add_milestone(
    *, actor, response: ProblemResponse, name: str, planned_date: dt.date, note: str = ""
):
    _authorize_part(actor, response.problem)
    milestone = Milestone(response=response, name=name, planned_date=planned_date, note=note)
    milestone.full_clean()
    milestone.save()
    record(
        actor=actor,
        action=Action.CREATE,
        obj=milestone,
        detail={"response": response.pk, "planned": planned_date.isoformat()},
    )
    return milestone


def complete_milestone(*, actor, milestone: Milestone, done_date: dt.date, note: str = ""):
    _authorize_part(actor, milestone.response.problem)
    milestone.done_date = done_date
    if note:
        milestone.note = note
    milestone.full_clean()
    milestone.save()
    record(
        actor=actor,
        action=Action.UPDATE,
        obj=milestone,
        detail={"done": done_date.isoformat()},
    )
    return milestone


def advance(*, actor, problem: Problem, note: str = "") -> Problem:
    """Move to the next SARA stage, when what the next one needs is there."""
    _authorize_part(actor, problem)
    at = STAGE_ORDER.index(problem.stage)
    if at + 1 >= len(STAGE_ORDER):
        raise ValidationError(_("The problem is closed."))
    following = STAGE_ORDER[at + 1]
    if following == Stage.ANALYSIS and not problem.cheers_passed:
        raise ValidationError(_("Record the CHEERS test before the analysis starts."))
    if following == Stage.RESPONSE and not problem.analyses.exists():
        raise ValidationError(_("Attach at least one analysis before planning the response."))
    if following == Stage.ASSESSMENT and not problem.responses.exists():
        raise ValidationError(_("Register at least one response before assessing it."))
    previous = problem.stage
    problem.stage = following
    if following == Stage.CLOSED:
        problem.closed_note = note
    problem.save()
    record(
        actor=actor,
        action=Action.UPDATE,
        obj=problem,
        detail={"stage": [previous, following]},
    )
    return problem


def record_cheers(
    *, actor, problem: Problem, cheers: dict, notes: str = "", priority=None, owner=None
):
    """Accept a problem entered by hand (in scanning): CHEERS passed, into analysis."""
    _authorize_part(actor, problem)
    problem.cheers = _check_cheers(cheers)
    problem.cheers_notes = notes
    if priority:
        problem.priority = priority
    if owner is not None:
        problem.owner = owner
    if problem.stage == Stage.SCANNING:
        problem.stage = Stage.ANALYSIS
        problem.accepted_at = timezone.now()
        problem.accepted_by = access.user_of(actor)
    problem.save()
    record(actor=actor, action=Action.UPDATE, obj=problem, detail={"cheers": problem.cheers})
    return problem


class EditConflictError(Exception):
    """Someone saved the problem after this edit started; nothing was written.

    ``changes`` lists the fields where the stored problem and this edit differ, as (label,
    the value saved meanwhile, the value in this edit), as the intervention page shows them.
    """

    def __init__(self, changes: list[tuple[str, str, str]]):
        super().__init__(changes)
        self.changes = changes


def _shown(problem: Problem, field: str) -> str:
    if field == "priority":
        return str(problem.get_priority_display())
    owner = problem.owner
    return "" if owner is None else (owner.get_full_name() or owner.get_username())


def update_priority_and_owner(
    *, actor, problem: Problem, loaded_version: str, priority: str, owner
) -> Problem:
    """Change an accepted problem's priority and owner, from a copy loaded at
    ``loaded_version`` (its ``updated_at``): a save over a newer version raises
    :class:`EditConflictError` (no lost edits). The owner is one of
    :func:`civica.problems.selectors.owner_candidates` (may work on the problem's
    municipalities)."""
    from civica.problems import selectors

    _authorize_part(actor, problem)
    if problem.stage == Stage.SCANNING:
        raise ValidationError(_("Accept the problem (CHEERS test) before choosing its owner."))
    if owner is not None and not selectors.owner_candidates(problem).filter(pk=owner.pk).exists():
        raise ValidationError(
            {
                "owner": _("%(user)s may not work on this problem's municipalities.")
                % {"user": owner}
            }
        )
    fields = ("priority", "owner")
    with transaction.atomic():
        stored = Problem.objects.select_for_update().get(pk=problem.pk)
        mine = Problem(priority=priority, owner=owner)
        if stored.updated_at.isoformat() != loaded_version:
            labels = {f: str(Problem._meta.get_field(f).verbose_name) for f in fields}
            raise EditConflictError(
                [
                    (labels[f], _shown(stored, f), _shown(mine, f))
                    for f in fields
                    if _shown(stored, f) != _shown(mine, f)
                ]
            )
        changed = {
            f: [_shown(stored, f), _shown(mine, f)]
            for f in fields
            if _shown(stored, f) != _shown(mine, f)
        }
        if not changed:  # an unchanged save writes nothing: same version, no audit entry
            return stored
        stored.priority, stored.owner = priority, owner
        stored.save(update_fields=["priority", "owner", "updated_at"])
        record(actor=actor, action=Action.UPDATE, obj=stored, detail={"changed": changed})
    return stored
