"""Program officers' pages: dashboard, fact sheet, indicator exports and the records behind
each figure. Scope and capability checks live in the selectors."""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from civica.accounts.access import audited_download, requires
from civica.accounts.roles import Capability
from civica.jobs import services as job_services
from civica.monitoring import kept, selectors
from civica.monitoring.models import Component, SupportType
from civica.monitoring.pending import start_pending
from civica.monitoring.periods import parse_period
from civica.monitoring.reports import exports, factsheet
from civica.monitoring.reports.maps import coverage_map
from civica.monitoring.reports.reach_chart import reach_over_time
from civica.monitoring.reports.report import current_language, indicator_rows, status_label
from civica.monitoring.status import format_number
from civica.stats.periods import period_of


def _default_period(today: dt.date | None = None) -> tuple[str, str]:
    """The fiscal year a page opens on, and a note when it is not the current one.

    The current fiscal year until it has records; before that, the latest fiscal year that
    has some (a page of zeros for a year nobody has reported yet reads as a failed program).
    """
    today = today or dt.date.today()
    current = period_of(today.year, today.month, "fiscal_year")
    latest = selectors.latest_record_date(today)
    if latest is None or latest >= current.start:
        return current.label, ""
    shown = period_of(latest.year, latest.month, "fiscal_year")
    note = _("%(current)s has no records yet; showing %(shown)s, the latest period with data.") % {
        "current": current.label,
        "shown": shown.label,
    }
    return shown.label, note


def _filters(request) -> dict:
    note = ""
    label = request.GET.get("period")
    if not label:
        label, note = _default_period()
    try:
        period = parse_period(label)
        error = ""
    except ValueError as exc:
        label, note = _default_period()
        period, error = parse_period(label), str(exc)
    activity = request.GET.get("activity") or ""
    state = request.GET.get("state") or ""
    return {
        "period": period,
        "period_error": error,
        "period_note": note,
        "activity_id": int(activity) if activity.isdigit() else None,
        "state_code": state if len(state) == 2 and state.isdigit() else None,
    }


def _context(request, filters=None, *, stored_only: bool = False):
    filters = filters or _filters(request)
    context = selectors.context_for(
        request.user,
        filters["period"],
        activity_id=filters["activity_id"],
        state_code=filters["state_code"],
    )
    return dataclasses.replace(context, stored_only=stored_only)


@requires(Capability.VIEW_AGGREGATES)
def dashboard(request):
    filters = _filters(request)
    context = _context(request, filters, stored_only=True)
    user = request.user
    with kept.one_write():  # the table, the map and the chart: one write of what they computed
        rows = indicator_rows(
            context,
            can_view_records=user.can(Capability.VIEW_RECORDS),
            can_view_aggregates=user.can(Capability.VIEW_AGGREGATES),
        )
        drawing = coverage_map(context, links=True)
        reach = reach_over_time(context)
    jobs = start_pending(user, rows)
    language = current_language()
    query = request.GET.urlencode()
    return render(
        request,
        "monitoring/dashboard.html",
        {
            "filters": filters,
            "rows": [
                {
                    "row": r,
                    "name": r.indicator.localized("name", language),
                    "value": r.display(language),
                    "target": format_number(r.target, language) if r.target is not None else "",
                    "status_label": status_label(r.status),
                }
                for r in rows
            ],
            "drawing": drawing,
            "reach": reach,
            "activities": selectors.activity_choices(user),
            "states": selectors.state_choices(user),
            "query": query,
            "can_export": user.can(Capability.EXPORT),
            "jobs": jobs,
        },
    )


@requires(Capability.VIEW_AGGREGATES)
def factsheet_page(request):
    filters = _filters(request)
    with kept.one_write():
        sheet = factsheet.build(
            _context(request, filters, stored_only=True),
            language=current_language(),
            can_view_records=request.user.can(Capability.VIEW_RECORDS),
            can_view_aggregates=request.user.can(Capability.VIEW_AGGREGATES),
        )
    jobs = start_pending(request.user, sheet.rows)
    return render(
        request,
        "monitoring/factsheet.html",
        {
            "sheet": sheet,
            "period_note": filters["period_note"],
            "query": request.GET.urlencode(),
            "can_export": request.user.can(Capability.EXPORT),
            "can_download": request.user.can(Capability.VIEW_AGGREGATES),
            "jobs": jobs,
        },
    )


# The PDF of the page the user may read (a donor reads it; it holds aggregates only), not an
# export of records: reading aggregates is enough.
@requires(Capability.VIEW_AGGREGATES)
def factsheet_pdf(request):
    """The PDF from a background job: a page with its progress while it is written, then
    the file (audited when delivered)."""
    from civica.monitoring.jobs import FACTSHEET_PDF, factsheet_inputs

    filters = _filters(request)
    language = current_language()
    job = job_services.submit(
        request.user,
        FACTSHEET_PDF,
        factsheet_inputs(filters, language),
        label=_("Fact sheet PDF · %(period)s") % {"period": filters["period"].label},
    )
    result = job_services.result_of(job)
    if result is None:
        return render(
            request,
            "monitoring/factsheet_pdf_wait.html",
            {"job": job, "query": request.GET.urlencode()},
        )
    return audited_download(
        request,
        result["pdf"],
        filename=f"factsheet-{result['period']}-{language}.pdf",
        content_type="application/pdf",
        object_type="monitoring.report",
        object_label=f"{result['period']} · PDF · {language}",
        capability=Capability.VIEW_AGGREGATES,
    )


@requires(Capability.EXPORT)
def indicators_export(request, fmt: str):
    """The indicator table as the page shows it: a figure that is a job's result is the
    stored one or, while the job runs, an empty value with the note "being computed" (the
    job is started as the page starts it); nothing is evaluated in the request."""
    if fmt not in ("csv", "xlsx", "dhis2"):
        raise Http404(fmt)
    context = _context(request, stored_only=True)
    language = current_language()
    rows = indicator_rows(context)
    start_pending(request.user, rows)
    name = f"indicators-{context.period.label}"
    if fmt == "csv":
        body = exports.to_csv(exports.table_records(rows, context, language))
        content_type = "text/csv; charset=utf-8"
        filename = f"{name}.csv"
    elif fmt == "xlsx":
        body = exports.to_xlsx(
            exports.table_records(rows, context, language), title=context.period.label
        )
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        filename = f"{name}.xlsx"
    elif fmt == "dhis2":
        try:
            body = exports.to_dhis2_json(rows, context)
        except ValueError as error:
            return HttpResponse(str(error), status=400, content_type="text/plain; charset=utf-8")
        content_type = "application/json"
        filename = f"{name}.dhis2.json"
    else:
        raise Http404(fmt)
    return audited_download(
        request,
        body,
        filename=filename,
        content_type=content_type,
        object_type="monitoring.report",
        object_label=f"{context.period.label} · {fmt.upper()}",
    )


def _choice(request, name, choices):
    value = request.GET.get(name) or None
    return value if value in choices.values else None


@requires((Capability.VIEW_AGGREGATES, Capability.VIEW_RECORDS))
def coverage(request):
    context = _context(request)
    component = _choice(request, "component", Component)
    support_type = _choice(request, "support_type", SupportType)
    records = selectors.coverage_records(
        request.user, context, component=component, support_type=support_type
    )
    return render(
        request,
        "monitoring/coverage.html",
        {
            "records": records,
            "period": context.period,
            "component": Component(component).label if component else "",
            "support_type": SupportType(support_type).label if support_type else "",
            "municipalities": len({r.municipality_id for r in records}),
        },
    )


@requires((Capability.VIEW_AGGREGATES, Capability.VIEW_RECORDS))
def activities(request):
    context = _context(request)
    selectors.require(request.user, Capability.VIEW_RECORDS)
    goal = request.GET.get("goal")
    items = [a for a in selectors.activities_in_force(context) if not goal or goal in a.goals]
    return render(
        request,
        "monitoring/activities.html",
        {"activities": items, "period": context.period, "title": _("Activities")},
    )


@requires((Capability.VIEW_AGGREGATES, Capability.VIEW_RECORDS))
def alliances(request):
    context = _context(request)
    selectors.require(request.user, Capability.VIEW_RECORDS)
    return render(
        request,
        "monitoring/alliances.html",
        {"alliances": selectors.alliances_in_force(context), "period": context.period},
    )
