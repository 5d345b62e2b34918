"""The municipal civic-justice dashboard, an indicator's breakdown and reincidence: pages and
CSV files of aggregates only (no person is ever listed), for every role that sees aggregates.

The figures come from :mod:`civica.justice.analysis` over the municipalities of the user's
scope (``accounts.scope``) that have juzgados, optionally narrowed to one of them.
"""

from __future__ import annotations

import datetime as dt
import io

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from civica import tables
from civica.accounts.access import audited_download, requires
from civica.accounts.roles import Capability
from civica.justice import analysis
from civica.justice.analysis import DASHBOARD_MEASURES, aggregate_municipalities
from civica.tables import csv_value, number_text
from civica.web.charts import Series, StepSeries, line_chart, step_chart

__all__ = ["dashboard", "indicator", "reincidence_page"]

TABLE_COLUMNS = (
    "indicator",
    "parameter",
    "start",
    "end",
    "municipality",
    "dimension",
    "group",
    "numerator",
    "denominator",
    "value",
    "unit",
    "hidden",
)


def _date(value: str | None, default: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(value) if value else default
    except ValueError:
        return default


def _last_months(months: int, *, ending_months_ago: int = 0) -> tuple[dt.date, dt.date]:
    """Whole months: the ``months`` months that end ``ending_months_ago`` months before the
    current month."""
    today = timezone.localdate()
    first = today.replace(day=1)
    index = first.year * 12 + first.month - 1 - ending_months_ago
    end = dt.date(index // 12, index % 12 + 1, 1) - dt.timedelta(days=1)
    start_index = index - months
    return dt.date(start_index // 12, start_index % 12 + 1, 1), end


def _selection(request, *, default=(12, 0)) -> dict:
    places = aggregate_municipalities(request.user)
    code = request.GET.get("municipality") or ""
    chosen = [p for p in places if p.cvegeo == code]
    if code and not chosen:
        raise Http404("municipality")
    start, end = _last_months(default[0], ending_months_ago=default[1])
    start = _date(request.GET.get("start"), start)
    end = _date(request.GET.get("end"), end)
    if end < start:
        start, end = end, start
    ids = {p.pk for p in (chosen or places)}
    return {
        "places": places,
        "municipality": chosen[0] if chosen else None,
        "ids": ids,
        "start": start,
        "end": end,
        "query": f"start={start.isoformat()}&end={end.isoformat()}"
        + (f"&municipality={code}" if chosen else ""),
    }


def _value_text(row: analysis.Breakdown, unit: str) -> str:
    if row.hidden:
        return _("hidden (small group)")
    if row.value is None:
        return "—"
    suffix = " %" if unit == "percent" else ""
    return number_text(row.value, decimals=1) + suffix


def _parameter_text(measure: analysis.Measure, parameter: str) -> str:
    if not parameter:
        return ""
    if measure.parameter == "days":
        return _("%(n)s days") % {"n": parameter}
    if measure.parameter == "months":
        return _("%(n)s months") % {"n": parameter}
    return str(analysis.CHOICE_NAMES.get(parameter, parameter))


def _table(selection) -> list[dict]:
    rows = []
    figures = analysis.table(selection["ids"], start=selection["start"], end=selection["end"])
    for (name, parameter), got in zip(DASHBOARD_MEASURES, figures, strict=True):
        measure = analysis.MEASURES[name]
        rows.append(
            {
                "name": name,
                "parameter": parameter,
                "label": measure.label,
                "detail": _parameter_text(measure, parameter),
                "figure": got,
                "value": _value_text(got.total, measure.unit),
                "numerator": got.total.numerator,
                "denominator": got.total.denominator,
                "numerator_label": measure.numerator,
                "denominator_label": measure.denominator,
                "unit": measure.unit,
            }
        )
    return rows


def _csv(request, records: list[dict], filename: str, label: str):
    buffer = io.StringIO()
    writer = tables.dict_writer(buffer, TABLE_COLUMNS)
    writer.writeheader()
    for record in records:
        writer.writerow({k: csv_value(record.get(k, "")) for k in TABLE_COLUMNS})
    return audited_download(
        request,
        buffer.getvalue(),
        filename=filename,
        content_type="text/csv; charset=utf-8",
        object_type="justice.Indicator",
        object_label=label,
        detail={"rows": len(records)},
    )


def _records(selection, name, parameter, got: analysis.Figure, dimension: str = "") -> list:
    common = {
        "indicator": name,
        "parameter": parameter,
        "start": selection["start"].isoformat(),
        "end": selection["end"].isoformat(),
        "municipality": selection["municipality"].cvegeo if selection["municipality"] else "",
        "unit": got.measure.unit,
    }
    rows = [{**common, "dimension": "", "group": "", **_numbers(got.total)}]
    rows += [{**common, "dimension": dimension, "group": r.key, **_numbers(r)} for r in got.rows]
    return rows


def _numbers(row: analysis.Breakdown) -> dict:
    return {
        "numerator": row.numerator,
        "denominator": row.denominator,
        "value": None if row.value is None else round(row.value, 2),
        "hidden": "yes" if row.hidden else "",
    }


def _trend(selection) -> dict:
    """Monthly presentations and the share screened over the 24 months to the period's end."""
    end = selection["end"]
    index = end.year * 12 + end.month - 24
    start = dt.date(index // 12, index % 12 + 1, 1)
    monthly = analysis.monthly(selection["ids"], start=start, end=end)
    labels = [m for m, _c, _s in monthly]
    count = line_chart(labels, [Series(str(_("Presentations")), tuple(c for _m, c, _s in monthly))])
    shares = line_chart(
        labels,
        [Series(str(_("Share screened (%)")), tuple(s for _m, _c, s in monthly))],
    )
    return {"count": count, "screened": shares}


@requires(Capability.VIEW_AGGREGATES, download="format")
def dashboard(request):
    selection = _selection(request)
    rows = _table(selection)
    if request.GET.get("format") == "csv":
        records = []
        for row in rows:
            records += _records(selection, row["name"], row["parameter"], row["figure"])
        return _csv(request, records, "justicia-civica-indicadores.csv", "dashboard")
    return render(
        request,
        "justice/analysis/dashboard.html",
        {
            "selection": selection,
            "rows": rows,
            "trend": _trend(selection),
        },
    )


@requires(Capability.VIEW_AGGREGATES, download="format")
def indicator(request):
    name = request.GET.get("measure") or ""
    if name not in analysis.MEASURES:
        raise Http404("measure")
    measure = analysis.MEASURES[name]
    parameter = request.GET.get("parameter") or ""
    if measure.choices and parameter not in measure.choices:
        parameter = measure.choices[0]
    selection = _selection(request)
    sections = []
    records = []
    figures = analysis.breakdowns(
        name,
        municipality_ids=selection["ids"],
        start=selection["start"],
        end=selection["end"],
        parameter=parameter,
    )
    for dimension, got in zip(analysis.BY, figures, strict=True):
        records += _records(selection, name, parameter, got, dimension)[(1 if records else 0) :]
        sections.append(
            {
                "title": analysis.BY_NAMES[dimension],
                "rows": [{"row": r, "value": _value_text(r, measure.unit)} for r in got.rows],
                "total": got.total,
                "total_value": _value_text(got.total, measure.unit),
                "note": got.note,
            }
        )
    if request.GET.get("format") == "csv":
        return _csv(request, records, f"justicia-civica-{name}.csv", name)
    return render(
        request,
        "justice/analysis/indicator.html",
        {
            "selection": selection,
            "measure": measure,
            "parameter": parameter,
            "parameter_text": _parameter_text(measure, parameter),
            "choices": [(c, _parameter_text(measure, c)) for c in measure.choices],
            "sections": sections,
            "extra": [("measure", name), ("parameter", parameter)],
        },
    )


def _curves(result, population: str) -> list:
    return [c for c in result.curves if c.population == population and c.group != "*"]


def _km_chart(curves, months: int) -> dict:
    x_max = months * 30.4375
    series = [
        StepSeries(
            label=c.group,
            x=tuple(float(d) for d in c.days),
            y=tuple(100 * (1 - float(s)) for s in c.survival),
            # 1 − S: the band's upper edge comes from S's lower one.
            lower=tuple(100 * (1 - float(u)) for u in c.upper),
            upper=tuple(100 * (1 - float(v)) for v in c.lower),
        )
        for c in curves
    ]
    ticks = [(m * 30.4375, str(m)) for m in range(0, months + 1, 3)]
    return step_chart(series, x_max=x_max, x_ticks=ticks)


@requires(Capability.VIEW_AGGREGATES, download="format")
def reincidence_page(request):
    selection = _selection(request, default=(12, 12))
    result = analysis.reincidence(selection["ids"], start=selection["start"], end=selection["end"])
    threshold = analysis.suppression_threshold()
    tables_ = []
    if result is not None:
        for population in ("adult", "adolescent"):
            rows = [r for r in result.table if r.population == population]
            if not rows:
                continue
            shown = []
            for r in rows:
                small = 0 < r.observed < threshold
                shown.append(
                    {
                        "row": r,
                        "group": _("All") if r.group == "*" else r.group,
                        "hidden": small,
                        "share": "—"
                        if r.share is None
                        else (
                            _("hidden (small group)")
                            if small
                            else number_text(100 * r.share, decimals=1) + " %"
                        ),
                        "interval": ""
                        if r.share is None or small
                        else f"{number_text(100 * r.lower, decimals=1)}–"
                        f"{number_text(100 * r.upper, decimals=1)} %",
                    }
                )
            tables_.append({"population": population, "rows": shown})
    if request.GET.get("format") == "csv":
        records = []
        for table in tables_:
            for item in table["rows"]:
                r = item["row"]
                records.append(
                    {
                        "indicator": r.measure,
                        "parameter": r.window_months,
                        "start": selection["start"].isoformat(),
                        "end": selection["end"].isoformat(),
                        "municipality": selection["municipality"].cvegeo
                        if selection["municipality"]
                        else "",
                        "dimension": table["population"],
                        "group": r.group,
                        "numerator": None if item["hidden"] else r.events,
                        "denominator": None if item["hidden"] else r.observed,
                        "value": None
                        if item["hidden"] or r.share is None
                        else round(100 * r.share, 2),
                        "unit": "percent",
                        "hidden": "yes" if item["hidden"] else "",
                    }
                )
        return _csv(request, records, "justicia-civica-reincidencia.csv", "reincidence")
    charts, risk_tables = [], []
    if result is not None:
        for population in ("adult", "adolescent"):
            curves = [c for c in _curves(result, population) if c.persons >= threshold]
            if curves:
                charts.append({"population": population, "chart": _km_chart(curves, 12)})
                risk_tables.append(
                    {
                        "population": population,
                        "months": [m for m, _n in curves[0].risk_table if m <= 12],
                        "rows": [
                            {"group": c.group, "at_risk": [n for m, n in c.risk_table if m <= 12]}
                            for c in curves
                        ],
                    }
                )
    return render(
        request,
        "justice/analysis/reincidence.html",
        {
            "selection": selection,
            "result": result,
            "tables": tables_,
            "charts": charts,
            "risk_tables": risk_tables,
            "notes": [analysis.note_text(n) for n in result.notes] if result else [],
        },
    )
