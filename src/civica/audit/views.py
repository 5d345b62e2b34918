from __future__ import annotations

import csv

from django.contrib.auth.decorators import login_required
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from civica.audit import selectors
from civica.audit.models import Action
from civica.audit.services import record
from civica.web.paging import paginate

COLUMNS = [
    "at",
    "actor_username",
    "action",
    "object_type",
    "object_id",
    "object_label",
    "personal_data",
    "ip_address",
    "path",
]


def _filters(request) -> dict:
    return {
        "action": request.GET.get("action", ""),
        "username": request.GET.get("username", "").strip(),
        "personal_only": request.GET.get("personal") == "1",
    }


@login_required
@require_GET
def event_list(request):
    filters = _filters(request)
    page, base_query = paginate(request, selectors.events(request.user, **filters), 100)
    return render(
        request,
        "audit/event_list.html",
        {"page": page, "base_query": base_query, "filters": filters, "actions": Action.choices},
    )


class _Echo:
    def write(self, value):
        return value


@login_required
@require_GET
def event_export(request):
    filters = _filters(request)
    events = selectors.events(request.user, **filters)
    record(
        actor=request.user,
        action=Action.EXPORT,
        object_type="audit.AuditEvent",
        object_label="audit log",
        detail={"filters": filters},
    )
    writer = csv.writer(_Echo())

    def rows():
        yield writer.writerow(COLUMNS)
        for event in events.iterator(chunk_size=2000):
            yield writer.writerow([getattr(event, column) for column in COLUMNS])

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="auditoria.csv"'
    return response
