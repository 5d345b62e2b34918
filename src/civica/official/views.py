"""Pages of official statistics: a national/state overview and a municipal profile."""

from __future__ import annotations

import contextlib
import io
import math

import numpy as np
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from civica import tables
from civica.accounts.access import audited_download, requires
from civica.accounts.roles import Capability
from civica.official import selectors
from civica.official.explain import reasons
from civica.official.selectors import StatisticsError
from civica.stats import Period
from civica.tables import csv_value
from civica.territory import selectors as territory
from civica.territory import svg
from civica.warehouse.sesnsp import AreaFilter, CrimeFilter
from civica.web.charts import Series, line_chart

DEFAULT_CRIME = "Homicidio doloso"
CLASSES = 5


def _crime(request) -> CrimeFilter:
    return CrimeFilter("subtipo", request.GET.get("crime") or DEFAULT_CRIME)


def _rate_chart(results: list[tuple[str, selectors.SeriesResult]]) -> dict:
    labels = sorted({row.period for _label, result in results for row in result.rows})
    drawn = []
    for label, result in results:
        by_period = {row.period: row.rate for row in result.rows}
        drawn.append(Series(label, tuple(_finite(by_period.get(p)) for p in labels)))
    return line_chart(labels, drawn)


def _finite(value):
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else value


def _choropleth(rows, geometries: dict[str, str], link) -> dict:
    """Areas coloured by quintile of rate; areas without a rate stay grey."""
    rates = [row.rate for row in rows if not math.isnan(row.rate)]
    edges = np.quantile(rates, np.linspace(0, 1, CLASSES + 1)) if rates else []
    shapes = []
    for row in rows:
        geometry = geometries.get(row.code)
        if not geometry:
            continue
        css = (
            "choropleth q0" if math.isnan(row.rate) else f"choropleth q{_quintile(edges, row.rate)}"
        )
        label = f"{row.name}: {row.rate:.1f}" if not math.isnan(row.rate) else row.name
        shapes.append(svg.SvgShape(geometry, label, link(row.code), css))
    legend = [
        {"cls": f"q{i + 1}", "label": f"{edges[i]:.1f}–{edges[i + 1]:.1f}"}
        for i in range(len(edges) - 1)
    ]
    return {"drawing": svg.render(shapes), "legend": legend}


def _quintile(edges, rate: float) -> int:
    return min(CLASSES, 1 + int(np.searchsorted(edges[1:-1], rate, "right")))


def _crime_choices(methodology: str = "2015"):
    from civica.core.services import warehouse
    from civica.warehouse import sesnsp

    manifest = warehouse().manifest()
    snapshot = manifest.current(
        sesnsp.dataset_name(measure="crimes", level="state", methodology=methodology)
    ) or manifest.current(
        sesnsp.dataset_name(measure="crimes", level="municipal", methodology=methodology)
    )
    if snapshot is None:
        return []
    catalogue = sesnsp.catalogue(warehouse().path_of(snapshot))
    return sorted(catalogue["subtipo"].unique())


@requires(Capability.VIEW_AGGREGATES)
def overview(request):
    crime = _crime(request)
    state_code = request.GET.get("state") or None
    loaded = selectors.catalogues(request.user)
    catalogue = request.GET.get("catalogue")
    if catalogue not in loaded:
        catalogue = "2015" if "2015" in loaded or not loaded else loaded[-1]
    first_year, last_year = selectors.catalogue_years(catalogue)
    context = {
        "crime": crime.value,
        "crimes": _crime_choices(catalogue),
        "state_code": state_code,
        "states": territory.states(request.user),
        "catalogue": catalogue,
        "catalogue_name": selectors.catalogue_label(catalogue),
        "catalogues": [(c, selectors.catalogue_label(c)) for c in loaded],
    }
    try:
        national = selectors.series(
            request.user,
            area=AreaFilter(),
            crime=crime,
            granularity="year",
            first_year=first_year,
            last_year=last_year,
        )
        lines = [(_("Nation"), national)]
        if state_code:
            lines.append(
                (
                    territory.state_by_code(request.user, state_code).name,
                    selectors.series(
                        request.user,
                        area=AreaFilter(state_code=state_code),
                        crime=crime,
                        granularity="year",
                        first_year=first_year,
                        last_year=last_year,
                    ),
                )
            )
        period = _ranking_period(national)
        context.update(
            chart=_rate_chart(lines),
            series=national,
            rule=selectors.formula_text(national.rule),
            sources=[selectors.source_label(cut) for cut in national.cuts],
            years=(national.rows[0].period, national.rows[-1].period) if national.rows else None,
            year=period.first_month[0] if period else None,
            months=_months_label(period),
            csv_url=reverse("official:series-csv")
            + f"?crime={crime.value}"
            + (f"&state={state_code}" if state_code else "")
            + (f"&catalogue={catalogue}" if catalogue != "2015" else ""),
        )
        context["ranking_error"] = None
        try:
            ranked = (
                selectors.ranking(
                    request.user,
                    crime=crime,
                    period=period,
                    state_code=state_code,
                    by="municipality" if state_code else "state",
                )
                if period
                else None
            )
        except StatisticsError as error:  # e.g. no municipal file in this catalogue
            ranked, context["ranking_error"] = None, str(error)
        if ranked:
            rows, snapshot = ranked
            if state_code:
                geometries = dict(
                    territory.municipalities(
                        request.user, state=territory.state_by_code(request.user, state_code)
                    ).values_list("cvegeo", "geometry")
                )
                link = lambda code: reverse("official:profile", args=[code])  # noqa: E731
            else:
                geometries = dict(territory.states(request.user).values_list("code", "geometry"))
                link = lambda code: reverse("official:overview") + f"?state={code}"  # noqa: E731
            context.update(ranking=rows, snapshot=snapshot, map=_choropleth(rows, geometries, link))
    except StatisticsError as error:
        context["error"] = str(error)
    return render(request, "official/overview.html", context)


def _ranking_period(result: selectors.SeriesResult) -> Period | None:
    """The last complete year of a series or, when no year is complete (a catalogue's first
    year), the months of its last year reported so far."""
    year = _last_complete_year(result)
    if year:
        return Period.calendar_year(year)
    if not result.rows:
        return None
    last = result.rows[-1]
    missing = {int(m[-2:]) for m in last.missing}
    reported = [m for m in range(1, 13) if m not in missing]
    if not reported:
        return None
    return Period.custom((int(last.period), 1), (int(last.period), max(reported)))


def _months_label(period: Period | None) -> str:
    """``""`` for a whole year; the months covered otherwise ("enero–marzo")."""
    if period is None or period.n_months == 12:
        return ""
    from django.utils.dates import MONTHS

    return f"{MONTHS[period.first_month[1]]}–{MONTHS[period.last_month[1]]}"


def _last_complete_year(result: selectors.SeriesResult) -> int | None:
    complete = [int(row.period) for row in result.rows if row.complete]
    return max(complete) if complete else None


@requires(Capability.VIEW_AGGREGATES)
def profile(request, cvegeo):
    municipality = territory.municipality_by_code(request.user, cvegeo)
    context = {"municipality": municipality, "crimes": _crime_choices()}
    try:
        ranking, snapshot = selectors.priority(request.user, municipality_code=cvegeo)
        top = list(ranking.crimes[:3])
        context.update(
            priority=[{"crime": c, "reasons": reasons(c)} for c in ranking.crimes[:10]],
            priority_notes=ranking.notes,
            window_first="{}-{:02d}".format(*ranking.window.first_month),
            window_last="{}-{:02d}".format(*ranking.window.last_month),
            snapshot=snapshot,
        )
        charts = []
        for item in top:
            crime = CrimeFilter("subtipo", item.crime)
            own = selectors.series(
                request.user,
                area=AreaFilter(municipality.state.code, cvegeo),
                crime=crime,
                granularity="year",
            )
            lines = [(municipality.name, own)]
            for label, area in [
                (municipality.state.name, AreaFilter(municipality.state.code)),
                (_("Nation"), AreaFilter()),
            ]:
                with contextlib.suppress(StatisticsError):  # the state file may be absent
                    lines.append(
                        (
                            label,
                            selectors.series(
                                request.user, area=area, crime=crime, granularity="year"
                            ),
                        )
                    )
            light = selectors.traffic_light(
                request.user,
                area=AreaFilter(municipality.state.code, cvegeo),
                crime=crime,
                months=1,
            )
            charts.append(
                {
                    "crime": item.crime,
                    "chart": _rate_chart(lines),
                    "id": f"chart-{len(charts)}",
                    "csv_url": reverse("official:series-csv")
                    + f"?crime={item.crime}&municipality={cvegeo}",
                    "notes": own.notes,
                    "own_series": own,
                    "light": light.iloc[-1] if len(light) else None,
                    "light_month": str(light.index[-1]) if len(light) else "",
                    "light_baseline": (
                        selectors.traffic_light_baseline(light.iloc[-1]) if len(light) else ""
                    ),
                }
            )
        context["charts"] = charts
        if top:
            crime = CrimeFilter("subtipo", top[0].crime)
            year = _last_complete_year(charts[0]["own_series"])
            if year:
                rows, _snap = selectors.ranking(
                    request.user,
                    crime=crime,
                    period=Period.calendar_year(year),
                    state_code=municipality.state.code,
                )
                geometries = dict(
                    territory.municipalities(request.user, state=municipality.state).values_list(
                        "cvegeo", "geometry"
                    )
                )
                context.update(
                    ranking_year=year,
                    ranking_crime=top[0].crime,
                    ranking=[r for r in rows if not math.isnan(r.rank_by_lower)][:10],
                    own_rank=next((r for r in rows if r.code == cvegeo), None),
                    map=_choropleth(
                        rows, geometries, lambda code: reverse("official:profile", args=[code])
                    ),
                )
        pseudo = snapshot.metadata.get("pseudo_municipalities", [])
        context["quality"] = {
            "catalogue": selectors.catalogue_label("2015"),
            "cut": snapshot.cut,
            "source": snapshot.source_name,
            "last_month": snapshot.metadata.get("last_month_reported"),
            "pseudo": [p for p in pseudo if p.startswith(cvegeo[:2])][:10],
            "has_boundary": municipality.has_boundary,
        }
    except StatisticsError as error:
        context["error"] = str(error)
    return render(request, "official/profile.html", context)


@requires(Capability.EXPORT)
def series_csv(request):
    crime = _crime(request)
    municipality = request.GET.get("municipality") or None
    state = request.GET.get("state") or (municipality[:2] if municipality else None)
    granularity = request.GET.get("by", "year")
    catalogue = request.GET.get("catalogue", "2015")
    if catalogue not in selectors.CATALOGUES:
        raise Http404(catalogue)
    first_year, last_year = selectors.catalogue_years(catalogue)
    try:
        result = selectors.series(
            request.user,
            area=AreaFilter(state, municipality),
            crime=crime,
            granularity=granularity,
            measure=request.GET.get("measure", "crimes"),
            first_year=first_year,
            last_year=last_year,
        )
    except StatisticsError as error:
        raise Http404(str(error)) from None
    name = municipality or state or "nacional"
    records = result.to_records()
    buffer = io.StringIO()
    writer = tables.writer(buffer)
    writer.writerow(["# " + "; ".join(result.cuts), result.rule])
    if records:
        writer.writerow(list(records[0]))
        for record in records:
            writer.writerow([csv_value(v) for v in record.values()])
    return audited_download(
        request,
        buffer.getvalue(),
        filename=f"serie_{name}.csv",
        content_type="text/csv; charset=utf-8",
        object_type="official.series",
        object_label=f"{name} {crime.value}",
    )
