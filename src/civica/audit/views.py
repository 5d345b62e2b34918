from __future__ import annotations

from django.shortcuts import render

from civica import tables
from civica.accounts.access import audited_download, requires
from civica.accounts.roles import Capability
from civica.audit import selectors
from civica.audit.models import Action
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


@requires(Capability.VIEW_AUDIT)
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


@requires(Capability.VIEW_AUDIT)
def event_export(request):
    filters = _filters(request)
    events = selectors.events(request.user, **filters)
    writer = tables.writer(_Echo())

    def rows():
        yield writer.writerow(COLUMNS)
        for event in events.iterator(chunk_size=2000):
            yield writer.writerow([getattr(event, column) for column in COLUMNS])

    return audited_download(
        request,
        rows(),
        filename="auditoria.csv",
        content_type="text/csv; charset=utf-8",
        object_type="audit.AuditEvent",
        object_label="audit log",
        detail={"filters": filters},
    )
