from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse

from civica.accounts.access import SIGNED_IN, audited_download, requires
from civica.accounts.roles import Capability
from civica.territory import exports, selectors, svg
from civica.web.paging import paginate

PAGE_SIZE = 50


@requires(SIGNED_IN)
def state_list(request):
    query = request.GET.get("q", "").strip()
    context = {"states": selectors.states(request.user), "query": query}
    if query:
        context["municipality_hits"] = selectors.municipalities(request.user, query=query)[:50]
        context["sector_hits"] = selectors.sectors(request.user).filter(name__icontains=query)[:50]
    return render(request, "territory/state_list.html", context)


@requires(SIGNED_IN)
def state_detail(request, code):
    state = selectors.state_by_code(request.user, code)
    query = request.GET.get("q", "").strip()
    page, base_query = paginate(
        request, selectors.municipalities(request.user, state=state, query=query), PAGE_SIZE
    )
    drawing = svg.render([svg.SvgShape(state.geometry, state.name)])
    return render(
        request,
        "territory/state_detail.html",
        {
            "state": state,
            "page": page,
            "base_query": base_query,
            "query": query,
            "drawing": drawing,
            "population": selectors.population_series(state=state),
        },
    )


@requires(SIGNED_IN)
def municipality_detail(request, cvegeo):
    municipality = selectors.municipality_by_code(request.user, cvegeo)
    sectors = list(selectors.sectors(request.user, municipality=municipality))
    shapes = [svg.SvgShape(municipality.geometry, municipality.name, css_class="boundary")]
    shapes += [
        svg.SvgShape(s.geometry, s.name, reverse("territory:sector", args=[s.pk]), "sector")
        for s in sectors
    ]
    return render(
        request,
        "territory/municipality_detail.html",
        {
            "municipality": municipality,
            "sectors": sectors,
            "drawing": svg.render(shapes),
            "population": selectors.population_series(municipality=municipality),
            "can_export": request.user.can(Capability.EXPORT),
        },
    )


@requires(SIGNED_IN)
def sector_detail(request, pk):
    sector = selectors.sector_by_id(request.user, pk)
    drawing = svg.render(
        [
            svg.SvgShape(sector.municipality.geometry, css_class="boundary"),
            svg.SvgShape(sector.geometry, sector.name, css_class="sector selected"),
        ]
    )
    return render(request, "territory/sector_detail.html", {"sector": sector, "drawing": drawing})


@requires(Capability.EXPORT)
def sectors_export(request, cvegeo, fmt):
    if fmt not in {"geojson", "csv"}:
        raise Http404(fmt)
    municipality = selectors.municipality_by_code(request.user, cvegeo)
    sectors = selectors.sectors(request.user, municipality=municipality)
    if fmt == "geojson":
        body, content_type = exports.sectors_geojson(sectors), "application/geo+json"
    else:
        body, content_type = exports.sectors_csv(sectors), "text/csv; charset=utf-8"
    return audited_download(
        request,
        body,
        filename=f"sectores_{cvegeo}.{fmt}",
        content_type=content_type,
        object_type="territory.Sector",
        object_label=f"{cvegeo} sectors",
        detail={"format": fmt, "rows": sectors.count()},
    )
