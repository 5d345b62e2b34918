"""The indicator table of a period: each indicator's value, target, status, disaggregated
cells and fact-sheet statement, with disclosure control applied. Every output (pages, fact
sheet, CSV, XLSX, DHIS2) is built from this one table; its values are computed once per
change of their inputs (``civica.monitoring.kept``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from civica.indicators import Cell, Context, Result
from civica.monitoring import kept
from civica.monitoring.models import Indicator, Target
from civica.monitoring.status import Status, fill_statement, format_number, status_of, suppress


def status_label(status: Status) -> str:
    labels = {
        Status.MET: _("Met"),
        Status.ON_TRACK: _("On track"),
        Status.BEHIND: _("Behind"),
        Status.NO_TARGET: _("No target"),
        Status.NOT_AVAILABLE: _("Not available"),
    }
    return labels[status]


@dataclass(frozen=True)
class CellRow:
    categories: tuple[tuple[str, str], ...]
    value: float | None  # None when suppressed
    suppressed: bool


@dataclass(frozen=True)
class IndicatorRow:
    indicator: Indicator
    result: Result
    value: float | None  # None when not computed or suppressed
    suppressed: bool
    cells: tuple[CellRow, ...]
    target: float | None
    status: Status
    records_url: str

    @property
    def code(self) -> str:
        return self.indicator.code

    def display(self, language: str) -> str:
        if self.result.value is None:
            return self.result.unavailable
        if self.suppressed:
            return f"<{settings.CIVICA_SUPPRESSION_THRESHOLD}"
        return format_number(self.value, language)

    def statement(self, language: str, period_label: str) -> str:
        """The fact-sheet sentence, or an honest "not available" when there is no value."""
        template = self.indicator.localized("statement", language)
        if not template:
            return ""
        if self.result.value is None or self.suppressed:
            return f"{self.indicator.localized('name', language)}: {self.display(language)}"
        values = dict(self.result.parts) | {"value": self.value, "period": period_label}
        try:
            return fill_statement(template, values, language)
        except (KeyError, ValueError, IndexError):
            # A part this result lacks (e.g. no "range" when a city's crime rose): say the
            # value plainly rather than a sentence that would not be true.
            return f"{self.indicator.localized('name', language)}: {self.display(language)}"


def _targets(context: Context) -> dict[int, float]:
    """The target of each indicator (by id) for the context's period and territory."""
    territory = Q(state__isnull=True, municipality__isnull=True)
    if context.municipality_code:
        territory = Q(municipality__cvegeo=context.municipality_code)
    elif context.state_code:
        territory = Q(state__code=context.state_code)
    found: dict[int, float] = {}
    for indicator_id, value in (
        Target.objects.filter(period=context.period.label)
        .filter(territory)
        .order_by("-pk")
        .values_list("indicator_id", "value")
    ):
        found[indicator_id] = value  # the first created wins, as .first() did
    return found


# Drill-downs that show aggregates only (people figures): open to whoever sees the table.
AGGREGATE_DRILL_DOWNS = frozenset({"monitoring:people", "justice:indicator"})


def _records_url(
    result: Result, indicator: Indicator, can_view_records: bool, can_view_aggregates: bool
) -> str:
    if not result.records:
        return ""
    name, query = result.records
    if name in AGGREGATE_DRILL_DOWNS:
        if not can_view_aggregates:
            return ""
        query = (*query, ("indicator", indicator.code))
    elif not can_view_records:
        return ""
    return reverse(name) + ("?" + urlencode(query) if query else "")


def indicator_rows(
    context: Context,
    *,
    can_view_records: bool = False,
    can_view_aggregates: bool = False,
    today: dt.date | None = None,
    indicators=None,
) -> list[IndicatorRow]:
    """``can_view_records``/``can_view_aggregates``: whether the viewer gets links to the
    records behind a figure, and to the aggregate breakdown behind a people figure."""
    threshold = settings.CIVICA_SUPPRESSION_THRESHOLD
    elapsed = context.period.elapsed_fraction(today or dt.date.today())
    rows = []
    indicators = list(indicators if indicators is not None else Indicator.objects.all())
    targets = _targets(context)
    results = kept.compute_all((i.computation, context, i.parameters) for i in indicators)
    for indicator, result in zip(indicators, results, strict=True):
        value, hidden, cells = result.value, False, ()
        if indicator.disclosure_control and value is not None:
            hidden = suppress([value], threshold)[0]
        wanted = set(indicator.disaggregations)
        shown = tuple(c for c in result.cells if {k for k, _v in c.categories} <= wanted)
        cells = _cells(shown, indicator.disclosure_control, threshold)
        target = targets.get(indicator.pk)
        rows.append(
            IndicatorRow(
                indicator=indicator,
                result=result,
                value=None if hidden else value,
                suppressed=hidden,
                cells=cells,
                target=target,
                status=status_of(
                    actual=None if hidden else value,
                    target=target,
                    direction=indicator.direction,
                    elapsed=elapsed,
                ),
                records_url=_records_url(result, indicator, can_view_records, can_view_aggregates),
            )
        )
    return rows


def _cells(cells: tuple[Cell, ...], controlled: bool, threshold: int) -> tuple[CellRow, ...]:
    if not controlled:
        return tuple(CellRow(c.categories, c.value, False) for c in cells)
    out: list[CellRow] = []
    groups: dict[tuple, list[Cell]] = {}
    for cell in cells:
        groups.setdefault(tuple(k for k, _v in cell.categories), []).append(cell)
    for group in groups.values():
        hidden = suppress([c.value for c in group], threshold)
        out.extend(
            CellRow(c.categories, None if h else c.value, h)
            for c, h in zip(group, hidden, strict=True)
        )
    return tuple(out)


def current_language() -> str:
    return "en" if (get_language() or "").startswith("en") else "es"
