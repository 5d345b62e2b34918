"""The drill-down page of a people figure and its CSV (``people.py`` holds the reads)."""

from __future__ import annotations

import io

from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from civica import tables
from civica.accounts.access import SIGNED_IN, audited_download, requires
from civica.accounts.roles import Capability
from civica.indicators import registry
from civica.monitoring import selectors
from civica.monitoring.reports import people
from civica.monitoring.reports.report import current_language
from civica.monitoring.status import format_number, suppress
from civica.participants import reach
from civica.participants.indicators import reach_filters
from civica.participants.models import Track
from civica.tables import csv_value
from civica.web.paging import paginate

PIDS_PER_PAGE = 50
CSV_COLUMNS = ("period", "figure", "unit", "dimension", "category", "label", "value", "suppressed")


def _figure(request) -> dict:
    """What figure is asked about: an indicator of the catalogue (its computation and tracks
    win over the query, so a link cannot relabel another count) or ``kind`` and ``tracks``."""
    from civica.monitoring.views import _filters

    filters = _filters(request)
    code = request.GET.get("indicator") or ""
    indicator = None
    if code:
        indicator = selectors.indicator_by_code(request.user, code)
        kinds = {v: k for k, v in people.KINDS.items()}
        if indicator is None or indicator.computation not in kinds:
            raise Http404("indicator")
        kind = kinds[indicator.computation]
        try:
            registry.check(indicator.computation, indicator.parameters)
        except ValueError as error:  # a stale stored indicator: say why, not a server error
            raise Http404(str(error)) from None
        tracks = indicator.parameters.get("tracks")
        tracks = [tracks] if isinstance(tracks, str) else tracks
    else:
        kind = request.GET.get("kind") or "persons"
        if kind not in people.KINDS:
            raise Http404("kind")
        tracks = [t for t in request.GET.getlist("tracks") if t in Track.values] or None
    context = selectors.people_context(
        request.user, filters["period"], state_code=filters["state_code"]
    )
    return {
        "filters": filters,
        "context": context,
        "indicator": indicator,
        "kind": kind,
        "tracks": tracks,
    }


def _title(figure: dict, language: str) -> str:
    if figure["indicator"] is not None:
        return figure["indicator"].localized("name", language)
    return _("Unique persons reached") if figure["kind"] == "persons" else _("Services delivered")


def _small(value: int) -> str:
    """A count shown to people who see no aggregate table: below the threshold it is
    written "<5" like a suppressed cell."""
    threshold = settings.CIVICA_SUPPRESSION_THRESHOLD
    if suppress([value], threshold)[0]:
        return f"<{threshold}"
    return format_number(value, current_language())


@requires(SIGNED_IN)
def people_figure(request):
    figure = _figure(request)
    user, language = request.user, current_language()
    sections, total = [], None
    if user.can(Capability.VIEW_AGGREGATES):
        groups = people.breakdown(
            user, figure["context"], kind=figure["kind"], tracks=figure["tracks"]
        )
        for dimension, title in people.DIMENSIONS:
            shown = [
                {
                    "label": g.label,
                    "suppressed": g.suppressed,
                    "display": format_number(g.value, language),
                }
                for g in groups[dimension]
            ]
            sections.append({"title": title, "groups": shown})
        total = _figure_total(figure, language)
    page = base_query = behind = None
    if user.can(Capability.VIEW_PERSONAL_DATA):
        behind = people.persons_behind(
            user, figure["context"], kind=figure["kind"], tracks=figure["tracks"]
        )
        page, base_query = paginate(request, behind.pids, PIDS_PER_PAGE)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "monitoring/people.html",
        {
            "title": _title(figure, language),
            "period": figure["context"].period,
            "period_error": figure["filters"]["period_error"],
            "period_note": figure["filters"]["period_note"],
            "kind": figure["kind"],
            "tracks": [Track(t).label for t in figure["tracks"] or []],
            "total": total,
            "sections": sections,
            "suppressed_text": f"<{settings.CIVICA_SUPPRESSION_THRESHOLD}",
            "behind": behind,
            "outside": _small(behind.outside) if behind else "",
            "page": page,
            "base_query": base_query,
            "query": query.urlencode(),
            "can_export": user.can(Capability.EXPORT) and user.can(Capability.VIEW_AGGREGATES),
        },
    )


def _figure_total(figure, language) -> str:
    """The figure itself as the indicator table writes it ("<5" when small)."""
    reader = reach.persons_reached if figure["kind"] == "persons" else reach.services_delivered
    rows = reader(by=(), **reach_filters(figure["context"], figure["tracks"]))
    value = float(sum(r[figure["kind"]] for r in rows))
    if not value:
        return _("not available: no participant records")
    threshold = settings.CIVICA_SUPPRESSION_THRESHOLD
    if suppress([value], threshold)[0]:
        return f"<{threshold}"
    return format_number(value, language)


@requires(Capability.EXPORT)
def people_export(request):
    figure = _figure(request)
    groups = people.breakdown(
        request.user, figure["context"], kind=figure["kind"], tracks=figure["tracks"]
    )
    rows = [
        {
            "period": figure["context"].period.label,
            "figure": figure["indicator"].code if figure["indicator"] else figure["kind"],
            "unit": figure["kind"],
            "dimension": dimension,
            "category": g.key,
            "label": g.label,
            "value": csv_value(g.value),
            "suppressed": g.suppressed,
        }
        for dimension, _title in people.DIMENSIONS
        for g in groups[dimension]
    ]
    buffer = io.StringIO()
    writer = tables.dict_writer(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(
        {k: str(v).lower() if isinstance(v, bool) else v for k, v in r.items()} for r in rows
    )
    return audited_download(
        request,
        buffer.getvalue(),
        filename=f"people-{figure['kind']}-{figure['context'].period.label}.csv",
        content_type="text/csv; charset=utf-8",
        # The record type names the list (persons reached or services delivered) in the
        # reader's language; the stored label holds codes only.
        object_type=f"monitoring.{people.KINDS[figure['kind']]}",
        object_label=figure["context"].period.label,
    )
