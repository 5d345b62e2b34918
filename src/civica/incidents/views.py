"""The incident map, the near-repeat page, and every layer as a download."""

from __future__ import annotations

import datetime
import json

from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from civica.accounts.access import audited_download, requires
from civica.accounts.roles import Capability
from civica.incidents import analysis, geojson, map_config, selectors
from civica.incidents.selectors import IncidentsError, Selection
from civica.tables import csv_value, frame_csv, p_value_text
from civica.territory import selectors as territory_selectors

POINT_LIMIT = 5000


def _date(value: str | None):
    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError:
        raise Http404(value) from None


def _selection(request, layer: str) -> Selection:
    return Selection(
        layer=layer,
        crime=request.GET.get("crime") or None,
        start=_date(request.GET.get("from")),
        end=_date(request.GET.get("to")),
        municipality=request.GET.get("municipality") or None,
    )


def _cell(request) -> float:
    try:
        return min(max(float(request.GET.get("cell", 250)), 50.0), 5000.0)
    except ValueError:
        return 250.0


def _export(request, body: str, content_type: str, filename: str, what: str):
    return audited_download(
        request,
        body,
        filename=filename,
        content_type=content_type,
        object_type="incidents",
        object_label=what,
    )


@requires(Capability.VIEW_RECORDS)
def map_page(request, layer):
    selection = _selection(request, layer)
    context = {
        "layer": layer,
        "selection": selection,
        "cell": _cell(request),
        "query": request.GET.urlencode(),
    }
    try:
        selectors.snapshot(request.user, selection)
        context["crimes"] = selectors.crimes(request.user, selection)
    except IncidentsError as error:
        context["error"] = str(error)
    context["municipalities"] = territory_selectors.municipalities_with_sectors(request.user)
    context["map_config"] = map_config.live(layer, request.GET.urlencode())
    return render(request, "incidents/map.html", context)


def _handle(func):
    def wrapper(request, layer):
        try:
            return func(request, layer)
        except IncidentsError as error:
            return JsonResponse({"error": str(error)}, status=404)

    wrapper.__name__ = func.__name__
    return requires(Capability.VIEW_RECORDS, download="download")(wrapper)


@_handle
def sectors_layer(request, layer):
    kind = "cuadrante" if request.GET.get("kind") == "cuadrante" else "sector"
    rows = selectors.sector_rates(request.user, _selection(request, layer), kind_column=kind)
    geometries = territory_selectors.sector_geometries(request.user, rows["sector_id"].tolist())
    body = geojson.sectors(rows, geometries)
    if request.GET.get("download"):
        if request.GET.get("download") == "csv":
            return _export(
                request,
                frame_csv(rows, index=False),
                "text/csv; charset=utf-8",
                f"{kind}s_{layer}.csv",
                f"{layer} {kind}s",
            )
        return _export(
            request, body, "application/geo+json", f"{kind}s_{layer}.geojson", f"{layer} {kind}s"
        )
    return HttpResponse(body, content_type="application/geo+json")


@_handle
def hotspots_layer(request, layer):
    if not request.GET.get("download"):
        return _map_cells(request, layer)
    result = analysis.hotspots(request.user, _selection(request, layer), cell_size=_cell(request))
    if request.GET.get("download") == "csv":
        return _export(
            request,
            result.csv(),
            "text/csv; charset=utf-8",
            f"hotspots_{layer}.csv",
            f"{layer} hot spots",
        )
    return _export(
        request,
        result.geojson(),
        "application/geo+json",
        f"hotspots_{layer}.geojson",
        f"{layer} hot spots",
    )


def _map_cells(request, layer):
    """The map draws only significant cells, as centres its script turns into squares
    (sending every cell with an incident, and each as a polygon with every column, made a
    city-wide layer of 50 m cells weigh megabytes). The cells are kept by their inputs and
    the layer's snapshot: asking again reads them instead of computing Gi* anew; new
    incidents or a change of the study area are a new question. Files keep every cell."""
    from civica.incidents import jobs as incident_jobs
    from civica.jobs import services as job_services

    inputs = incident_jobs.hotspot_map_inputs(_selection(request, layer), cell_size=_cell(request))
    cells, _kept = job_services.compute(request.user, incident_jobs.HOTSPOT_MAP, inputs)
    return HttpResponse(
        # Keys sorted: the same bytes whether the layer was computed or read back
        # (PostgreSQL's jsonb keeps its own key order).
        json.dumps(cells, separators=(",", ":"), ensure_ascii=False, sort_keys=True),
        content_type="application/json",
    )


@_handle
def basemap_layer(request, layer):
    """The boundaries of the municipalities the layer's incidents fall in (within the user's
    scope), from the territory records: the map's background when no tile server is set."""
    selection = _selection(request, layer)
    codes = selectors.layer_municipalities(
        request.user, Selection(layer, version=selection.version)
    )
    features = [
        {
            "type": "Feature",
            "properties": {"cvegeo": cvegeo, "name": name},
            "geometry": json.loads(geometry),
        }
        for cvegeo, name, geometry in selectors.municipality_boundaries(request.user, codes)
    ]
    body = json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False)
    return HttpResponse(body, content_type="application/geo+json")


@_handle
def points_layer(request, layer):
    frame = selectors.incidents(
        request.user,
        _selection(request, layer),
        columns=("id", "date", "time", "crime", "lat", "lon"),
    )
    bbox = request.GET.get("bbox")
    if bbox:
        try:
            west, south, east, north = (float(v) for v in bbox.split(","))
        except ValueError:
            return JsonResponse({"error": "bbox=west,south,east,north"}, status=400)
        frame = frame[frame["lon"].between(west, east) & frame["lat"].between(south, north)]
    if request.GET.get("download"):
        return _export(
            request,
            geojson.points(frame),
            "application/geo+json",
            f"incidents_{layer}.geojson",
            f"{layer} incidents",
        )
    truncated = len(frame) > POINT_LIMIT
    response = HttpResponse(
        geojson.points(frame.head(POINT_LIMIT)), content_type="application/geo+json"
    )
    response["X-Civica-Truncated"] = "1" if truncated else "0"
    return response


@requires(Capability.VIEW_RECORDS, download="download")
def near_repeat_page(request, layer):
    selection = _selection(request, layer)
    adjust = "none" if request.GET.get("adjust") == "none" else "bh"
    context = {
        "layer": layer,
        "selection": selection,
        "query": request.GET.urlencode(),
        "adjust": adjust,
    }
    try:
        context["crimes"] = selectors.crimes(request.user, selection)
        result = _near_repeat_job(request, selection, context) if selection.crime else None
        if result is not None:
            frame = result.to_frame()
            if request.GET.get("download") == "csv":
                return _export(
                    request,
                    frame_csv(frame, index=False),
                    "text/csv; charset=utf-8",
                    f"near_repeat_{layer}.csv",
                    f"{layer} near repeat",
                )
            significant = result.significant(0.05, adjust=adjust).ravel()
            context.update(
                result=result,
                heatmap=_heatmap(result, adjust),
                chance=analysis.near_repeat_chance(result),
                rows=[
                    {k: csv_value(v) if isinstance(v, float) else v for k, v in row.items()}
                    | {
                        "p_text": p_value_text(row["p_value"]),
                        "q_text": p_value_text(row["q_value"]),
                        "significant": bool(flag),
                    }
                    for row, flag in zip(frame.to_dict("records"), significant, strict=True)
                ],
            )
    except (IncidentsError, ValueError) as error:
        context["error"] = str(error)
    return render(request, "incidents/near_repeat.html", context)


def _near_repeat_job(request, selection: Selection, context: dict):
    """The Knox table from the background job (999 permutations take seconds on a city-wide
    crime): the stored result when these inputs were computed before, else ``None`` with
    the running job in the context for the page to show its progress."""
    from civica.incidents import jobs as incident_jobs
    from civica.jobs import services as job_services

    permutations = 199 if request.GET.get("quick") else 999
    job = job_services.submit(
        request.user,
        incident_jobs.NEAR_REPEAT,
        incident_jobs.near_repeat_inputs(selection, permutations=permutations),
        label=_("Near repeat · %(crime)s") % {"crime": selection.crime},
    )
    value = job_services.result_of(job)
    if value is None:
        context["job"] = job
        return None
    return incident_jobs.knox_from_json(value)


def _heatmap(result, adjust: str = "bh") -> dict:
    """Cells of an SVG heatmap of observed/expected ratios, significant cells outlined."""
    import math

    cells = []
    ratio = result.ratio
    significant = result.significant(0.05, adjust=adjust)
    for i in range(ratio.shape[0]):
        for j in range(ratio.shape[1]):
            value = ratio[i, j]
            # Shade by how far above 1 the ratio is: 0 (at or below 1) to 5 (2 or more).
            level = 0 if math.isnan(value) or value <= 1 else min(5, math.ceil((value - 1) / 0.2))
            cells.append(
                {
                    "row": i,
                    "col": j,
                    "x": 90 + j * 60,
                    "y": 30 + i * 28,
                    "value": "" if math.isnan(value) else f"{value:.2f}",
                    "level": level,
                    "significant": bool(significant[i, j]),
                }
            )
    return {
        "cells": cells,
        "width": 90 + ratio.shape[1] * 60 + 10,
        "height": 30 + ratio.shape[0] * 28 + 10,
        "rows": [
            {"y": 30 + i * 28 + 18, "label": f"{a:g}–{b:g} m"}
            for i, (a, b) in enumerate(
                zip(result.distance_bands[:-1], result.distance_bands[1:], strict=True)
            )
        ],
        "cols": [
            {"x": 90 + j * 60 + 30, "label": f"{a:g}–{b:g} d"}
            for j, (a, b) in enumerate(
                zip(result.time_bands[:-1], result.time_bands[1:], strict=True)
            )
        ],
    }


@requires(Capability.VIEW_RECORDS)
def layer_list(request):
    return render(request, "incidents/layers.html", {"layers": selectors.layers(request.user)})
