"""The program fact sheet, written from the records: overview (edited in admin), goals and
activities, key achievements computed by the indicator catalogue, coverage map and the
indicator table. One template serves the web page, the HTML file and the PDF (WeasyPrint)."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from civica.indicators import Context, Interval
from civica.monitoring.models import Coverage, FactSheetText, ProgramGoal
from civica.monitoring.reports.maps import coverage_map
from civica.monitoring.reports.report import IndicatorRow, indicator_rows, status_label
from civica.monitoring.selectors import activities_in_force, alliances_in_force
from civica.monitoring.status import format_number
from civica.tables import p_value_text


@dataclass(frozen=True)
class FactSheet:
    language: str
    period_label: str
    period_text: str
    title: str
    overview: str
    goals: list[dict]
    achievements: list[dict]
    rows: list[IndicatorRow]
    table: list[dict]
    alliances: list
    drawing: dict
    synthetic: bool
    generated: str
    threshold: int

    @property
    def without_data(self) -> list[dict]:
        """Indicators with no value for the period (no records, no data ingested): the PDF
        lists them on one line instead of a table row each, which keeps it to three pages;
        the page keeps a row each, with the reason."""
        return [item for item in self.table if item["without_data"]]


def _period_text(context: Context) -> str:
    """``October 2022 – September 2023`` / ``octubre de 2022 – septiembre de 2023`` (Spanish
    writes month names in lower case)."""
    spanish = not (translation.get_language() or "").startswith("en")
    pattern = r"F \d\e Y" if spanish else "F Y"
    start = formats.date_format(context.period.start, pattern)
    end = formats.date_format(context.period.end, pattern)
    text = f"{start} – {end}"
    return text.lower() if spanish else text


def _date_text(day: dt.date, language: str) -> str:
    if language == "en":
        return formats.date_format(day, "j F Y")
    return formats.date_format(day, r"j \d\e F \d\e Y").lower()


def _percent(value: float, language: str) -> str:
    if math.isinf(value):  # an interval the data cannot bound above
        return _("no upper bound")
    return ("+" if value > 0 else "") + format_number(round(value), language)


def _interval_row(item: Interval, language: str) -> dict:
    """One evaluation under its sentence: the change, its 95% interval, Holm-adjusted p."""
    if item.change is None:
        return {"city": item.city, "intervention": item.intervention, "problem": item.problem}
    return {
        "city": item.city,
        "intervention": item.intervention,
        "change": _percent(item.change, language) + " %",
        "interval": _("%(lower)s to %(upper)s")
        % {"lower": _percent(item.lower, language), "upper": _percent(item.upper, language)}
        if item.lower is not None
        else _("placebo rank"),  # a synthetic control's inference has no interval
        "adjusted_p": p_value_text(item.adjusted_p),
        "significant": _("yes") if item.significant else _("no"),
        "problem": "",
    }


def build(
    context: Context,
    *,
    language: str,
    can_view_records: bool = False,
    can_view_aggregates: bool = False,
    today=None,
):
    """The fact sheet of ``context``'s period, in ``language`` (``es`` or ``en``); the two
    flags decide which values link to what stands behind them (none in the PDF)."""
    language = "en" if language.startswith("en") else "es"
    with translation.override("en" if language == "en" else "es-mx"):
        today = today or dt.date.today()
        rows = indicator_rows(
            context,
            can_view_records=can_view_records,
            can_view_aggregates=can_view_aggregates,
            today=today,
        )
        text = FactSheetText.objects.filter(language=language).first()
        activities = activities_in_force(context)
        goals = [
            {
                "label": goal.label,
                "activities": [a for a in activities if goal.value in a.goals],
            }
            for goal in ProgramGoal
        ]
        table = [
            {
                "row": row,
                "name": row.indicator.localized("name", language),
                "value": row.display(language),
                "note": row.result.unavailable,
                "without_data": row.result.value is None,
                "target": format_number(row.target, language) if row.target is not None else "",
                "status": row.status.value,
                "status_label": status_label(row.status),
                "unit": row.indicator.unit,
            }
            for row in rows
        ]
        period_label = context.period.label
        synthetic = (
            any(a.synthetic for a in activities)
            or Coverage.objects.filter(synthetic=True, activity__in=activities).exists()
        )
        return FactSheet(
            language=language,
            period_label=period_label,
            period_text=_period_text(context),
            title=text.title if text else _("Program fact sheet"),
            overview=text.overview if text else "",
            goals=goals,
            achievements=[
                {
                    "text": text,
                    "available": row.value is not None,
                    "intervals": [_interval_row(i, language) for i in row.result.intervals],
                }
                for row in rows
                if (text := row.statement(language, _period_text(context)))
            ],
            rows=rows,
            table=table,
            alliances=alliances_in_force(context),
            drawing=coverage_map(context, component="civic_justice"),
            synthetic=synthetic,
            generated=_date_text(timezone.localdate(), language),
            threshold=settings.CIVICA_SUPPRESSION_THRESHOLD,
        )


def render_html(sheet: FactSheet, *, standalone: bool = True) -> str:
    """The fact sheet as a complete HTML document (styles inline, no external file)."""
    with translation.override("en" if sheet.language == "en" else "es-mx"):
        return render_to_string(
            "monitoring/factsheet_document.html", {"sheet": sheet, "standalone": standalone}
        )


def render_pdf(sheet: FactSheet) -> bytes:
    """The fact sheet as PDF, laid out by WeasyPrint from the same HTML (A4 pages)."""
    import logging

    from weasyprint import HTML

    # WeasyPrint logs every CSS property it does not draw; the sheet does not rely on them.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    return HTML(string=render_html(sheet)).write_pdf()
