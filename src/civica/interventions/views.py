"""Pages of the intervention registry, evaluation designs and their results.

Reads go through :mod:`civica.interventions.selectors` (scoped; out of scope is 404) and
writes through :mod:`civica.interventions.services` (validated, audited).
"""

from __future__ import annotations

import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from civica import tables
from civica.accounts import scope
from civica.accounts.access import audited_download, requires
from civica.accounts.roles import Capability
from civica.errors import DataQuestionError
from civica.incidents import selectors as incident_selectors
from civica.interventions import methods, selectors, services
from civica.interventions.forms import DesignForm, InterventionForm
from civica.interventions.layer_checks import known_crimes
from civica.interventions.models import EvaluationDesign, InterventionKind, Method
from civica.territory import selectors as territory_selectors
from civica.web.paging import paginate

PER_PAGE = 25


@requires(Capability.VIEW_RECORDS)
def intervention_list(request):
    queryset = selectors.interventions(request.user)
    kind = request.GET.get("kind") or ""
    if kind:
        queryset = queryset.filter(kind=kind)
    page, base_query = paginate(request, queryset, PER_PAGE)
    _sector_counts(request.user, page)
    return render(
        request,
        "interventions/list.html",
        {
            "page": page,
            "base_query": base_query,
            "kinds": InterventionKind.choices,
            "kind": kind,
            "can_edit": request.user.can(Capability.EDIT_RECORDS),
        },
    )


def _form_fields(form) -> dict:
    return {
        k: v for k, v in form.cleaned_data.items() if k not in ("target_sectors", "loaded_version")
    }


def _sector_counts(user, page) -> None:
    """Each listed intervention's target sectors the user may see (a program across places
    shows a municipal analyst their part only)."""
    for intervention in page.object_list:
        intervention.visible_targets = selectors.visible_sectors(
            user, intervention.target_sectors.all()
        )


@requires(Capability.EDIT_RECORDS, write=Capability.EDIT_RECORDS)
def intervention_create(request):
    # Every municipality of the user's scope: a municipal design (synthetic control) needs
    # no sectors, so a municipality without them is a valid place too.
    municipalities = territory_selectors.municipalities(request.user).order_by(
        "name", "state__name"
    )
    ids = scope.municipality_ids(request.user)
    if ids is not None:
        municipalities = municipalities.filter(id__in=ids)
    code = request.GET.get("municipality") or request.POST.get("municipality")
    if not code:
        return render(
            request, "interventions/choose_municipality.html", {"municipalities": municipalities}
        )
    municipality = municipalities.filter(cvegeo=code).first()
    if municipality is None:
        raise Http404(code)
    form = InterventionForm(
        request.POST or None,
        municipality=municipality,
        known_crimes=known_crimes(request.user, municipality.cvegeo),
        user=request.user,
    )
    if request.method == "POST" and form.is_valid():
        try:
            intervention = services.create_intervention(
                actor=request.user,
                target_sectors=form.cleaned_data["target_sectors"],
                municipality=municipality,
                **_form_fields(form),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Intervention saved."))
            return redirect("interventions:detail", intervention.pk)
    return render(
        request,
        "interventions/form.html",
        {"form": form, "municipality": municipality, "intervention": None},
    )


@requires(Capability.VIEW_RECORDS)
def intervention_detail(request, pk):
    intervention = selectors.intervention_by_id(request.user, pk)
    return render(
        request,
        "interventions/detail.html",
        {
            "intervention": intervention,
            "designs": selectors.designs(request.user, intervention),
            "can_edit": request.user.can(Capability.EDIT_RECORDS),
            "covers": selectors.covers(request.user, intervention),
            "targets": selectors.visible_sectors(request.user, intervention.target_sectors.all()),
        },
    )


@requires(Capability.EDIT_RECORDS, write=Capability.EDIT_RECORDS)
def intervention_edit(request, pk):
    intervention = selectors.intervention_by_id(request.user, pk)
    form = InterventionForm(
        request.POST or None,
        instance=intervention,
        municipality=intervention.municipality,
        known_crimes=known_crimes(request.user, intervention.municipality.cvegeo),
        user=request.user,
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.update_intervention(
                actor=request.user,
                intervention=intervention,
                loaded_version=form.cleaned_data["loaded_version"],
                target_sectors=form.cleaned_data["target_sectors"],
                **_form_fields(form),
            )
        except PermissionDenied as error:
            form.add_error(None, str(error))
        except services.EditConflictError as error:
            conflict = error.changes
            # Offer the stored version as the one to build on; the typed values stay in view.
            intervention.refresh_from_db()
            form.data = form.data.copy()
            form.data["loaded_version"] = intervention.updated_at.isoformat()
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Intervention saved."))
            return redirect("interventions:detail", intervention.pk)
    return render(
        request,
        "interventions/form.html",
        {
            "form": form,
            "municipality": intervention.municipality,
            "intervention": intervention,
            "conflict": conflict,
            "partial": form.partial,
        },
    )


def _comparison_choices(user, intervention):
    """Sectors of the target sectors' layers, in scope, that are not targets."""
    return selectors.comparison_sector_choices(user, intervention)


@requires(Capability.EDIT_RECORDS, write=Capability.EDIT_RECORDS)
def design_create(request, pk):
    intervention = selectors.intervention_by_id(request.user, pk)
    if not selectors.covers(request.user, intervention):
        raise PermissionDenied(
            _("A design counts every sector of %(places)s; your territory holds only part.")
            % {"places": intervention.places_label}
        )
    try:
        layers = [row["layer"] for row in incident_selectors.layers(request.user)]
    except PermissionDenied:
        layers = []
    form = DesignForm(
        request.POST or None,
        intervention=intervention,
        sectors=_comparison_choices(request.user, intervention),
        layers=layers,
    )
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "comparison_sectors"}
        try:
            design = services.create_design(
                actor=request.user,
                intervention=intervention,
                comparison_sectors=form.cleaned_data["comparison_sectors"],
                **fields,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Design saved. Review it, then lock it to see results."))
            return redirect("interventions:design", design.pk)
    return render(
        request, "interventions/design_form.html", {"form": form, "intervention": intervention}
    )


def _design(user, pk) -> EvaluationDesign:
    return selectors.design_by_id(user, pk)  # 404 when missing or out of scope


@requires(Capability.VIEW_RECORDS, write=Capability.EDIT_RECORDS)
def design_page(request, pk):
    design = _design(request.user, pk)
    if request.method == "POST":
        if not request.user.can(Capability.EDIT_RECORDS):
            raise PermissionDenied
        try:
            services.lock_design(design=design, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("interventions:design", design.pk)
    context = {"design": design, "intervention": design.intervention}
    if design.is_locked:
        result = None
        try:
            result = _result(request, design, context)
        except DataQuestionError as error:
            context["error"] = str(error)
        if result is not None:
            context |= {
                "headline_es": methods.headline(result, "es-mx"),
                "headline_en": methods.headline(result, "en"),
                "figures": methods.figures(result),
                **methods.page_data(result),
            }
    return render(request, "interventions/design.html", context)


def _result(request, design, context):
    """The design's result; for methods that take seconds, from a background job (``None``
    with the job in the context while it runs, the stored result once it is done)."""
    from civica.interventions import jobs as intervention_jobs
    from civica.jobs import services as job_services

    if design.method not in intervention_jobs.BACKGROUND_METHODS:
        return methods.evaluate(request.user, design)
    job = job_services.submit(
        request.user,
        intervention_jobs.EVALUATE,
        {"design": design.pk},
        label=_("Evaluation · %(name)s") % {"name": design.intervention.name},
    )
    result = job_services.result_of(job)
    if result is None:
        context["job"] = job
    return result


@requires(Capability.EXPORT)
def design_csv(request, pk):
    design = _design(request.user, pk)
    try:
        if design.method != Method.BEFORE_AFTER:  # the monthly table is the RIRR's
            raise Http404(design.method)
        evaluation = methods.evaluate(request.user, design)
    except DataQuestionError as error:
        raise Http404(str(error)) from None
    buffer = io.StringIO()
    writer = tables.writer(buffer)
    writer.writerow(["month", "window", "target", "comparison", "buffer", "counterfactual"])
    for m in evaluation.months:
        writer.writerow(
            [
                m.month.strftime("%Y-%m"),
                m.window,
                m.target,
                m.comparison,
                "" if m.buffer is None else m.buffer,
                "" if m.counterfactual is None else f"{m.counterfactual:.3f}",
            ]
        )
    return audited_download(
        request,
        buffer.getvalue(),
        filename=f"evaluation_{design.pk}.csv",
        content_type="text/csv; charset=utf-8",
        obj=design,
        detail={"what": "evaluation months", "layer": evaluation.layer},
    )


@requires(Capability.VIEW_RECORDS)
def summary_page(request):
    """The program summary evaluates every locked design in scope: a background job
    (``interventions.summary``), its result kept until a design is locked or the data change."""
    from civica.interventions import jobs as intervention_jobs
    from civica.jobs import services as job_services

    job = job_services.submit(
        request.user, intervention_jobs.SUMMARY, {}, label=_("Program summary of evaluations")
    )
    context = {"job": job}
    try:
        summary = job_services.result_of(job)
    except DataQuestionError as error:
        context["error"] = str(error)
        summary = None
    if summary is not None:
        context |= {
            "summary": summary,
            "sentence_es": summary.sentence("es-mx"),
            "sentence_en": summary.sentence("en"),
        }
    return render(request, "interventions/summary.html", context)
