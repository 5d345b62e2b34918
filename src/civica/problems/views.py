"""Pages of problem-oriented policing: a municipality's problems by stage, scanning, and a
problem's story from scan to assessment. Reads through :mod:`.selectors` (scoped; out of
scope is 404), writes through :mod:`.services` (checked, audited)."""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from civica.accounts.access import requires
from civica.accounts.roles import Capability
from civica.errors import DataQuestionError
from civica.incidents import map_config
from civica.incidents import selectors as incident_selectors
from civica.problems import analyses, assessment, scanning, selectors, services
from civica.problems.catalog import CHEERS, SESNSP_STEP, STAGE_ORDER, TRIANGLE, Stage
from civica.problems.forms import (
    AcceptForm,
    AnalysisForm,
    AttachForm,
    DoneForm,
    MilestoneForm,
    PriorityOwnerForm,
    ResponseForm,
    ScanForm,
)


def _stages():
    return [(value, Stage(value).label, SESNSP_STEP[value]) for value in STAGE_ORDER]


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


@requires(Capability.VIEW_RECORDS)
def problem_list(request):
    code = request.GET.get("municipality") or ""
    grouped = selectors.by_stage(request.user, code or None)
    labels = {value: (label, step) for value, label, step in _stages()}
    return render(
        request,
        "problems/list.html",
        {
            "groups": [(labels[stage][0], labels[stage][1], items) for stage, items in grouped],
            "municipality": code,
            "can_edit": request.user.can(Capability.EDIT_RECORDS),
        },
    )


def _layers(user) -> list[str]:
    try:
        return [row["layer"] for row in incident_selectors.layers(user)]
    except PermissionDenied:
        return []


@requires(Capability.VIEW_RECORDS, write=Capability.EDIT_RECORDS)
def scan_page(request):
    """Candidates proposed by every scanning source; POST accepts one."""
    layers = _layers(request.user)
    if request.method == "POST":
        accept = AcceptForm(request.POST)
        if accept.is_valid():
            data = accept.cleaned_data
            try:
                problem = services.accept_candidate(
                    actor=request.user,
                    key=data["key"],
                    layer=data["layer"],
                    end=data["end"],
                    cheers=accept.cheers(),
                    priority=data["priority"],
                    owner=request.user,
                    cheers_notes=data["cheers_notes"],
                    title=data["title"],
                )
            except (ValidationError, DataQuestionError) as error:
                messages.error(
                    request,
                    _error_text(error) if isinstance(error, ValidationError) else str(error),
                )
            else:
                messages.success(request, _("Problem accepted: its analysis starts now."))
                return redirect("problems:detail", problem.pk)
        else:
            messages.error(request, _("The candidate could not be read; scan again."))
        return redirect("problems:scan")
    form = ScanForm(request.GET or None, layers=layers)
    candidates, error = [], ""
    if form.is_bound and form.is_valid():
        try:
            candidates = scanning.scan(
                request.user, layer=form.cleaned_data["layer"], end=form.cleaned_data["end"]
            )
        except DataQuestionError as problem:
            error = str(problem)
    accept_forms = [
        (
            c,
            AcceptForm(
                initial={
                    "key": c.key,
                    "layer": form.cleaned_data["layer"],
                    "end": form.cleaned_data["end"],
                    "title": c.title,
                    "priority": "medium",
                },
                # Each candidate's own ids, so every label names its own box on the page.
                auto_id=f"id_c{n}_%s",
            ),
        )
        for n, c in enumerate(candidates, start=1)
    ]
    return render(
        request,
        "problems/scan.html",
        {
            "form": form,
            "candidates": accept_forms,
            "error": error,
            "sources": scanning.sources(),
            "can_edit": request.user.can(Capability.EDIT_RECORDS),
        },
    )


@requires(Capability.VIEW_RECORDS)
def problem_detail(request, pk):
    problem = selectors.problem_by_id(request.user, pk)
    responses = list(selectors.responses(request.user, problem))
    result = assessment.assess(request.user, problem) if responses else None
    return render(
        request,
        "problems/detail.html",
        {
            "problem": problem,
            "stages": _stages(),
            "sectors": selectors.visible_sectors(request.user, problem),
            "cheers": [(label, problem.cheers.get(key)) for key, label in CHEERS],
            "triangle": [(label, getattr(problem, key)) for key, label in TRIANGLE],
            "analyses": selectors.analyses(request.user, problem),
            "responses": responses,
            "assessment": result,
            "can_edit": request.user.can(Capability.EDIT_RECORDS),
            "next_stage": _next(problem),
            "milestone_form": MilestoneForm(),
            "done_form": DoneForm(),
        },
    )


def _next(problem):
    at = STAGE_ORDER.index(problem.stage)
    if at + 1 >= len(STAGE_ORDER):
        return None
    value = STAGE_ORDER[at + 1]
    return Stage(value).label, SESNSP_STEP[value]


@requires(Capability.EDIT_RECORDS, write=Capability.EDIT_RECORDS)
def analysis_edit(request, pk):
    problem = selectors.problem_by_id(request.user, pk)
    fields = [key for key, _label in TRIANGLE] + ["hypotheses", "description"]
    form = AnalysisForm(request.POST or None, initial={f: getattr(problem, f) for f in fields})
    if request.method == "POST" and form.is_valid():
        services.update_analysis(actor=request.user, problem=problem, **form.cleaned_data)
        messages.success(request, _("Analysis saved."))
        return redirect("problems:detail", problem.pk)
    return render(
        request,
        "problems/form.html",
        {"form": form, "problem": problem, "title": _("Problem analysis")},
    )


@requires(Capability.EDIT_RECORDS, write=Capability.EDIT_RECORDS)
def attach(request, pk):
    problem = selectors.problem_by_id(request.user, pk)
    form = AttachForm(request.POST or None, problem=problem)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        parameters = {"layer": problem.incident_layer, "start": data["start"], "end": data["end"]}
        if data["kind"] == "temporal_profile":
            parameters |= {
                "crimes": [data["crime"]] if data["crime"] else list(problem.crimes),
                "sector_ids": [s.pk for s in selectors.visible_sectors(request.user, problem)],
            }
        else:
            parameters |= {
                "crime": data["crime"] or (problem.crimes[0] if problem.crimes else None)
            }
            if len(problem.municipality_ids) == 1:
                parameters["municipality"] = problem.municipality.cvegeo
        try:
            analysis = services.attach_analysis(
                actor=request.user, problem=problem, kind=data["kind"], parameters=parameters
            )
        except DataQuestionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Analysis attached as a frozen snapshot."))
            return redirect("problems:analysis", analysis.pk)
    return render(
        request,
        "problems/form.html",
        {"form": form, "problem": problem, "title": _("Attach an analysis")},
    )


@requires(Capability.VIEW_RECORDS)
def analysis_page(request, pk):
    analysis = selectors.analysis_by_id(request.user, pk)
    context = {
        "analysis": analysis,
        "problem": analysis.problem,
        "parameters": analyses.parameter_rows(analysis.parameters),
    }
    if analysis.kind == "temporal_profile" and analysis.result.get("hour_weekday"):
        result = analysis.result
        peak = max((max(row) for row in result["hour_weekday"]), default=0) or 1
        context["heat"] = [
            (analyses.weekday_name(i), [(v, round(v / peak, 2)) for v in row])
            for i, row in enumerate(result["hour_weekday"])
        ]
        context["hours"] = [f"{h:02d}" for h in range(24)]
        context["months"] = list(enumerate(result["month"], start=1))
    if analysis.kind == "hotspots" and analysis.result.get("geojson"):
        # The frozen cells drawn by the incident map's own script, not the data as they are now.
        cells = analysis.result["geojson"]
        context["map_config"] = map_config.snapshot(
            analysis.parameters.get("layer") or analysis.problem.incident_layer,
            json.loads(cells) if isinstance(cells, str) else cells,  # stored as GeoJSON text
        )
    return render(request, "problems/analysis.html", context)


@requires(Capability.EDIT_RECORDS, write=Capability.EDIT_RECORDS)
def response_create(request, pk):
    problem = selectors.problem_by_id(request.user, pk)
    form = ResponseForm(
        request.POST or None,
        interventions=selectors.interventions(request.user),
        organizations=selectors.organizations(request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.add_response(actor=request.user, problem=problem, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Response saved."))
            return redirect("problems:detail", problem.pk)
    return render(
        request,
        "problems/form.html",
        {"form": form, "problem": problem, "title": _("New response")},
    )


@requires(Capability.EDIT_RECORDS, write=Capability.EDIT_RECORDS)
def milestone_create(request, pk):
    response = selectors.response_by_id(request.user, pk)
    form = MilestoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.add_milestone(actor=request.user, response=response, **form.cleaned_data)
        messages.success(request, _("Milestone planned."))
        return redirect("problems:detail", response.problem_id)
    return render(
        request,
        "problems/form.html",
        {"form": form, "problem": response.problem, "title": _("Plan a milestone")},
    )


@requires(Capability.EDIT_RECORDS, write=Capability.EDIT_RECORDS)
def milestone_done(request, pk):
    milestone = selectors.milestone_by_id(request.user, pk)
    form = DoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.complete_milestone(
            actor=request.user, milestone=milestone, done_date=form.cleaned_data["done_date"]
        )
        messages.success(request, _("Milestone done."))
        return redirect("problems:detail", milestone.response.problem_id)
    return render(
        request,
        "problems/form.html",
        {"form": form, "problem": milestone.response.problem, "title": milestone.name},
    )


@requires(Capability.VIEW_RECORDS, write=Capability.EDIT_RECORDS)
def advance(request, pk):
    problem = selectors.problem_by_id(request.user, pk)
    if request.method == "POST":
        try:
            services.advance(actor=request.user, problem=problem, note=request.POST.get("note", ""))
        except ValidationError as error:
            messages.error(request, _error_text(error))
    return redirect("problems:detail", problem.pk)


@requires(Capability.EDIT_RECORDS, write=Capability.EDIT_RECORDS)
def priority_owner(request, pk):
    """Change an accepted problem's priority and owner, refusing a save over a newer version
    (the two versions are shown side by side, as on the intervention form). A problem still
    in scanning has neither: its page says so instead of a form every save would refuse."""
    problem = selectors.problem_by_id(request.user, pk)
    if problem.stage == Stage.SCANNING:
        messages.info(request, _("Accept the problem (CHEERS test) before choosing its owner."))
        return redirect("problems:detail", problem.pk)
    form = PriorityOwnerForm(
        request.POST or None,
        candidates=selectors.owner_candidates(problem),
        initial={
            "priority": problem.priority,
            "owner": problem.owner_id,
            "loaded_version": problem.updated_at.isoformat(),
        },
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_priority_and_owner(
                actor=request.user,
                problem=problem,
                loaded_version=data["loaded_version"],
                priority=data["priority"],
                owner=data["owner"],
            )
        except services.EditConflictError as error:
            conflict = error.changes
            # Offer the stored version as the one to build on; the typed values stay in view.
            problem.refresh_from_db()
            form.data = form.data.copy()
            form.data["loaded_version"] = problem.updated_at.isoformat()
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Priority and owner saved."))
            return redirect("problems:detail", problem.pk)
    return render(
        request,
        "problems/form.html",
        {
            "form": form,
            "problem": problem,
            "title": _("Priority and owner"),
            "conflict": conflict,
        },
    )
