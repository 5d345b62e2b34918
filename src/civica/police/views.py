"""Pages of official police figures: the nation, a state, a municipality."""

from __future__ import annotations

import datetime as dt
import io
import tempfile
from pathlib import Path

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from civica import tables
from civica.accounts.access import audited_download, requires
from civica.accounts.roles import Capability
from civica.police import selectors
from civica.police.selectors import PoliceDataMissing
from civica.territory import selectors as territory
from civica.web.charts import Series, line_chart


def _context(request, profile_kwargs: dict) -> dict:
    context = {
        "category_note": selectors.CATEGORY_NOTE,
        "reference": selectors.MODELO_OPTIMO_REFERENCE,
    }
    try:
        profile = selectors.official_profile(request.user, **profile_kwargs)
    except PoliceDataMissing as error:
        context["error"] = str(error)
        return context
    context["profile"] = profile
    if profile.family_violence_911:
        labels = [month for month, _count in profile.family_violence_911]
        context["chart_911"] = line_chart(
            labels,
            [
                Series(
                    profile.state_name or _("Nation"),
                    tuple(c for _m, c in profile.family_violence_911),
                )
            ],
        )
    return context


@requires(Capability.VIEW_AGGREGATES)
def overview(request):
    code = (request.GET.get("municipality") or "").strip()
    if code:
        return redirect("police:municipality", cvegeo=code)
    context = _context(request, {})
    context["states"] = territory.states(request.user)
    return render(request, "police/profile.html", context)


@requires(Capability.VIEW_AGGREGATES)
def state_profile(request, code):
    state = territory.state_by_code(request.user, code)
    context = _context(request, {"state_code": code})
    context["state"] = state
    context["peers"] = selectors.peers(request.user, state_code=code)
    return render(request, "police/profile.html", context)


@requires(Capability.VIEW_AGGREGATES)
def municipality_profile(request, cvegeo):
    municipality = territory.municipality_by_code(request.user, cvegeo)
    context = _context(request, {"municipality_code": cvegeo})
    context["municipality"] = municipality
    context["csv_url"] = reverse("police:municipality-csv", args=[cvegeo])
    if request.user.can(Capability.VIEW_RECORDS):
        context["records_url"] = reverse("police:records", args=[cvegeo])
        context["scenarios_url"] = reverse("police:scenarios", args=[cvegeo])
        context["calls_url"] = reverse("police:calls", args=[cvegeo])
    return render(request, "police/profile.html", context)


@requires((Capability.VIEW_AGGREGATES, Capability.EXPORT))
def profile_csv(request, cvegeo):
    """The figures of the page as one long table: area, topic, item, value, status, source."""
    try:
        profile = selectors.official_profile(request.user, municipality_code=cvegeo)
    except PoliceDataMissing:
        raise Http404(cvegeo) from None
    rows = []
    if profile.staff:
        for row in profile.staff.categories:
            rows.append(
                [profile.code, "staff_total", f"category {row.code}", row.total, row.status]
            )
            rows.append(
                [profile.code, "staff_women", f"category {row.code}", row.women, row.status]
            )
    for comparison in profile.comparisons:
        rows.append([profile.code, "police_per_1000", comparison.label, comparison.rate, ""])
    if profile.spending:
        for row in profile.spending.chapters:
            rows.append([profile.code, "spending", row.chapter, row.amount, row.status])
    for fund in profile.funds:
        rows.append(
            [
                profile.code,
                f"funds_year_{fund.reference_year}",
                fund.fund_name,
                fund.amount,
                fund.status,
            ]
        )
    if profile.calls:
        for item in ("total", "genuine", "not_genuine", "other", "unspecified"):
            rows.append(
                [profile.code, "calls", item, getattr(profile.calls, item), profile.calls.status]
            )
    return _csv_download(
        request,
        ["area", "topic", "item", "value", "status"],
        rows,
        filename=f"police-{cvegeo}.csv",
        object_type="police.official",
        object_label=_("Official police figures of %(code)s") % {"code": cvegeo},
    )


def _csv_download(request, header, rows, *, filename, object_type, object_label):
    """``header`` and ``rows`` as the audited CSV download of a police page (values as
    :func:`civica.tables.csv_value` writes them)."""
    buffer = io.StringIO()
    writer = tables.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow([tables.csv_value(v) for v in row])
    return audited_download(
        request,
        buffer.getvalue(),
        filename=filename,
        content_type="text/csv; charset=utf-8",
        object_type=object_type,
        object_label=object_label,
    )


@requires(Capability.VIEW_RECORDS, write=Capability.EDIT_RECORDS)
def municipality_records(request, cvegeo):
    """The municipality's own records: indicators, the records by kind, and CSV imports."""
    from civica.police import imports, records

    municipality = records.municipality_in_scope(request.user, cvegeo)
    context = {
        "municipality": municipality,
        "kinds": list(imports.KINDS),
        "can_edit": request.user.can(Capability.EDIT_RECORDS),
    }
    if request.method == "POST":
        context.update(_import_upload(request, imports))
    on = request.GET.get("on")
    try:
        day = dt.date.fromisoformat(on) if on else None
    except ValueError:
        day = None
        context["date_error"] = _("Use a date YYYY-MM-DD.")
    context["on"] = (day or dt.date.today()).isoformat()
    context["indicators"] = records.indicators(request.user, cvegeo, on=day)
    context["records"] = records.records_of(request.user, cvegeo)
    context["columns"] = {
        kind: [c.name for c in spec.columns] for kind, spec in imports.KINDS.items()
    }
    return render(request, "police/records.html", context)


def _import_upload(request, imports) -> dict:
    from civica.core.imports import ImportFailed

    kind = request.POST.get("kind", "")
    upload = request.FILES.get("file")
    if kind not in imports.KINDS or upload is None:
        return {"import_errors": [_("Choose a kind of record and a CSV file.")]}
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / Path(upload.name).name
        with path.open("wb") as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
        try:
            summary = imports.import_police_records(kind=kind, path=path, actor=request.user)
        except ImportFailed as error:
            return {"import_errors": error.lines()}
    return {
        "import_done": _("%(file)s: %(created)d created, %(updated)d updated.")
        % {"file": upload.name, "created": summary.created, "updated": summary.updated}
    }


def _plan_chart(items) -> dict:
    """Officers and gap (millions of pesos) by year, one line per scenario."""
    years = sorted({row.year for _s, rows in items for row in rows})
    officers, gaps = [], []
    for scenario, rows in items:
        by_year = {row.year: row for row in rows}
        officers.append(
            Series(
                scenario.name, tuple(by_year[y].officers if y in by_year else None for y in years)
            )
        )
        gaps.append(
            Series(
                scenario.name,
                tuple(by_year[y].gap / 1e6 if y in by_year else None for y in years),
            )
        )
    labels = [str(y) for y in years]
    return {"officers": line_chart(labels, officers), "gap": line_chart(labels, gaps)}


def _scenario_csv(request, scenarios, label: str):
    from civica.police import scenarios as plans

    return _csv_download(
        request,
        plans.COLUMNS,
        plans.table(scenarios),
        filename="escenarios_policia.csv",
        object_type="police.Scenario",
        object_label=label,
    )


@requires(Capability.VIEW_RECORDS, write=Capability.EDIT_RECORDS)
def scenarios(request, cvegeo):
    """Build a scenario (preview or save) and list the saved ones to compare."""
    from civica.police import records
    from civica.police import scenarios as plans
    from civica.police.forms import ScenarioForm

    municipality = records.municipality_in_scope(request.user, cvegeo)
    initial = plans.defaults(municipality)
    context = {"municipality": municipality, "origin": initial["origin"]}
    if request.method == "POST":
        form = ScenarioForm(request.POST)
        if form.is_valid():
            scenario = form.save(commit=False)
            scenario.municipality = municipality
            if request.POST.get("action") == "save":
                if not scenario.name:
                    form.add_error("name", _("Name the scenario to save it."))
                else:
                    scenario.created_by = request.user
                    scenario.save()
                    from civica.audit.services import Action, record

                    record(actor=request.user, action=Action.CREATE, obj=scenario)
                    return redirect("police:scenario", pk=scenario.pk)
            rows = plans.result(scenario)
            context.update(preview=rows, chart=_plan_chart([(scenario, rows)]))
    else:
        form = ScenarioForm(initial=initial["values"])
    context["form"] = form
    context["saved"] = plans.scenarios_of(request.user, cvegeo)
    return render(request, "police/scenarios.html", context)


@requires(Capability.VIEW_RECORDS, download="download")
def scenario(request, pk):
    from civica.police import scenarios as plans

    item = plans.scenario_by_id(request.user, pk)
    if request.GET.get("download") == "csv":
        return _scenario_csv(request, [item], item.name)
    rows = plans.result(item)
    return render(
        request,
        "police/scenario.html",
        {
            "scenario": item,
            "rows": rows,
            "chart": _plan_chart([(item, rows)]),
            "municipality": item.municipality,
            "can_edit": request.user.can(Capability.EDIT_RECORDS),
        },
    )


@requires(Capability.EDIT_RECORDS, write=Capability.EDIT_RECORDS)
def scenario_edit(request, pk):
    """Change a saved scenario. A save made from a copy loaded before someone else's save
    is refused: the page shows what differs and nothing is overwritten."""
    from civica.police import scenarios as plans
    from civica.police.forms import ScenarioEditForm

    item = plans.scenario_by_id(request.user, pk)
    form = ScenarioEditForm(request.POST or None, instance=item)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            plans.update_scenario(
                actor=request.user,
                scenario=item,
                version=form.cleaned_data["version"],
                changes=form.changes(),
            )
        except plans.StaleScenario as error:
            conflict = error.differences
            # Build on the stored version from here; the values typed stay in view.
            form.data = form.data.copy()
            form.data["version"] = error.version
        else:
            return redirect("police:scenario", pk=item.pk)
    return render(
        request,
        "police/scenario_edit.html",
        {
            "form": form,
            "scenario": plans.scenario_by_id(request.user, pk),
            "municipality": item.municipality,
            "conflict": conflict,
        },
    )


@requires(Capability.VIEW_RECORDS, download="download")
def compare(request, cvegeo):
    """Saved scenarios side by side (``?id=…&id=…``), as a table, charts and CSV."""
    from civica.police import records
    from civica.police import scenarios as plans

    municipality = records.municipality_in_scope(request.user, cvegeo)
    ids = [int(v) for v in request.GET.getlist("id") if v.isdigit()]
    chosen = [s for s in plans.scenarios_of(request.user, cvegeo) if s.pk in ids]
    if request.GET.get("download") == "csv":
        return _scenario_csv(request, chosen, ", ".join(s.name for s in chosen))
    items = [(s, plans.result(s)) for s in chosen]
    years = sorted({row.year for _s, rows in items for row in rows})
    grid = []
    for year in years:
        cells = []
        for _s, rows in items:
            cells.append(next((r for r in rows if r.year == year), None))
        grid.append({"year": year, "cells": cells})
    query = "&".join(f"id={s.pk}" for s in chosen)
    return render(
        request,
        "police/compare.html",
        {
            "municipality": municipality,
            "items": items,
            "grid": grid,
            "chart": _plan_chart(items) if items else None,
            "csv_url": reverse("police:scenarios-compare", args=[cvegeo])
            + f"?{query}&download=csv",
        },
    )


@requires(Capability.VIEW_RECORDS)
def calls_page(request, cvegeo):
    """Calls for service: response times against the standards, demand by sector and hour."""
    from civica.police import calls, records

    municipality = records.municipality_in_scope(request.user, cvegeo)
    by = request.GET.get("by") or "sector"
    context = {
        "municipality": municipality,
        "by": by,
        "can_import": request.user.can(Capability.EDIT_RECORDS),
    }

    def seconds(name, default):
        try:
            return max(1, min(3600, int(request.GET.get(name) or default)))
        except ValueError:
            return default

    try:
        context["report"] = calls.report(
            request.user,
            cvegeo,
            by=by,
            capture_standard=seconds("capture", calls.CAPTURE_STANDARD),
            dispatch_standard=seconds("dispatch", calls.DISPATCH_STANDARD),
        )
    except calls.NoCalls as error:
        context["error"] = str(error)
    if "report" in context:
        peak = max((max(day) for day in context["report"].profile), default=0) or 1
        context["heat"] = [
            {
                "day": label,
                "cells": [
                    {"hour": h, "calls": n, "level": round(n / peak * 4)} for h, n in enumerate(day)
                ],
            }
            for label, day in zip(WEEKDAYS, context["report"].profile, strict=True)
        ]
    return render(request, "police/calls.html", context)


WEEKDAYS = ["L", "M", "X", "J", "V", "S", "D"]


@requires(Capability.EDIT_RECORDS, write=Capability.EDIT_RECORDS)
def calls_import(request, cvegeo):
    """Upload a CAD file: checked, placed and published by a background job whose progress,
    result or refusal (line and column) this page shows (``?job=<id>``)."""
    from civica.jobs import selectors as job_selectors
    from civica.jobs import services as job_services
    from civica.police import jobs as police_jobs
    from civica.police import records

    municipality = records.municipality_in_scope(request.user, cvegeo)
    context = {"municipality": municipality}
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            context["import_errors"] = [_("Choose a CAD file (CSV).")]
            return render(request, "police/calls_import.html", context)
        path, sha = police_jobs.stage(upload)
        job = job_services.submit(
            request.user,
            police_jobs.CALLS_IMPORT,
            police_jobs.import_inputs(
                municipality=municipality.cvegeo,
                sha256=sha,
                name=path.name,
                column_map=(request.POST.get("map") or "").strip(),
            ),
            label=_("Calls of %(name)s from %(file)s")
            % {"name": municipality.name, "file": path.name},
        )
        if job.finished:  # answered from the store: the staged copy is not needed
            police_jobs.discard(job.inputs)
        return redirect(f"{request.path}?job={job.id}")
    job_id = request.GET.get("job")
    if job_id:
        job = job_selectors.job(request.user, job_id)
        context["job"] = job
        try:
            value = job_services.result_of(job)
        except job_services.JobRefused as error:
            context["import_errors"] = [str(error)]
        else:
            if value is not None:
                context["import_done"] = value["summary"]
    return render(request, "police/calls_import.html", context)


@requires(Capability.VIEW_RECORDS)
def calls_map(request, cvegeo):
    """Calls per sector on the incident map's map (``civica/incident_map.js``): sector
    polygons coloured by calls per km², without the incident layers."""
    from django.conf import settings

    from civica.police import calls, records

    municipality = records.municipality_in_scope(request.user, cvegeo)
    context = {"municipality": municipality}
    try:
        frame, _geometries = calls.sector_map(request.user, cvegeo)
    except calls.NoCalls as error:
        context["error"] = str(error)
        return render(request, "police/calls_map.html", context)
    data = reverse("police:calls-sectors", args=[cvegeo])
    context.update(
        rows=frame.to_dict("records"),
        unmapped=frame.attrs["unmapped"],
        data_url=data,
        map_config={
            "tiles": settings.CIVICA_TILE_URL,
            "attribution": settings.CIVICA_TILE_ATTRIBUTION,
            "sectors": data,
            "query": "",
            "labels": {
                "sectors": _("Sectors by calls per km²"),
                "legend": _("Legend"),
                "fewer": _("fewer calls per km²"),
                "more": _("more"),
                "zoomIn": _("Zoom in"),
                "zoomOut": _("Zoom out"),
            },
        },
    )
    return render(request, "police/calls_map.html", context)


@requires(Capability.VIEW_RECORDS, download="download")
def calls_sectors(request, cvegeo):
    """The map's data: calls per sector polygon as GeoJSON; ``?download=geojson|csv`` is
    the audited download (needs *export*)."""
    from django.http import HttpResponse, JsonResponse

    from civica.incidents import geojson
    from civica.police import calls

    try:
        frame, geometries = calls.sector_map(request.user, cvegeo)
    except calls.NoCalls as error:
        return JsonResponse({"error": str(error)}, status=404)
    download = request.GET.get("download")
    label = _("Calls for service per sector of %(code)s") % {"code": cvegeo}
    if download == "csv":
        columns = [c for c in frame.columns if c != "sector_id"]
        return _csv_download(
            request,
            columns,
            frame[columns].itertuples(index=False),
            filename=f"llamadas_sectores_{cvegeo}.csv",
            object_type="police.calls",
            object_label=label,
        )
    body = geojson.sectors(frame, geometries)
    if download:
        return audited_download(
            request,
            body,
            filename=f"llamadas_sectores_{cvegeo}.geojson",
            content_type="application/geo+json",
            object_type="police.calls",
            object_label=label,
        )
    return HttpResponse(body, content_type="application/geo+json")
