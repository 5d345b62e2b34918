"""The indicator table as CSV, XLSX and DHIS2 ``dataValueSets`` JSON.

All three carry aggregates only (no record of a person), after disclosure control: a
suppressed cell is written empty with ``suppressed`` true in CSV/XLSX and left out of the
DHIS2 payload; a value not computed is written empty with its reason, and also left out.

DHIS2 mapping (docs/monitoring.md): ``dataElement`` is the indicator code, ``orgUnit`` the
INEGI code (``MX`` for the nation, two digits for a state, five for a municipality),
``categoryOptionCombo`` ``default`` for the total and ``<disaggregation>_<value>`` for a
cell, all read with ``idScheme=CODE``; ``period`` as in :func:`dhis2_period`.
"""

from __future__ import annotations

import io
import json

from civica import tables
from civica.indicators import Context
from civica.monitoring.periods import dhis2_period, dhis2_period_note
from civica.monitoring.reports.report import IndicatorRow, status_label
from civica.tables import csv_value

COLUMNS = (
    "indicator",
    "name",
    "unit",
    "period",
    "territory",
    "disaggregation",
    "value",
    "suppressed",
    "target",
    "status",
    "note",
)
NATION_ORG_UNIT = "MX"


def territory_code(context: Context) -> str:
    return context.municipality_code or context.state_code or NATION_ORG_UNIT


def table_records(rows: list[IndicatorRow], context: Context, language: str) -> list[dict]:
    out = []
    territory = territory_code(context)
    for row in rows:
        base = {
            "indicator": row.code,
            "name": row.indicator.localized("name", language),
            "unit": row.indicator.unit,
            "period": context.period.label,
            "territory": territory,
        }
        out.append(
            base
            | {
                "disaggregation": "",
                "value": csv_value(row.value),
                "suppressed": row.suppressed,
                "target": csv_value(row.target),
                "status": status_label(row.status),
                "note": row.result.unavailable,
            }
        )
        for cell in row.cells:
            out.append(
                base
                | {
                    "disaggregation": ";".join(f"{k}={v}" for k, v in cell.categories),
                    "value": csv_value(cell.value),
                    "suppressed": cell.suppressed,
                    "target": "",
                    "status": "",
                    "note": "",
                }
            )
    return out


def to_csv(records: list[dict]) -> str:
    buffer = io.StringIO()
    writer = tables.dict_writer(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for record in records:
        writer.writerow(
            {k: str(v).lower() if isinstance(v, bool) else v for k, v in record.items()}
        )
    return buffer.getvalue()


def to_xlsx(records: list[dict], *, title: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    tables.xlsx_append(sheet, COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for record in records:
        tables.xlsx_append(sheet, [None if record[c] == "" else record[c] for c in COLUMNS])
    for column, width in zip(
        "ABCDEFGHIJK", (14, 48, 14, 10, 10, 26, 12, 11, 10, 14, 40), strict=True
    ):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _combo(categories) -> str:
    return "__".join(f"{key}_{value}" for key, value in categories) or "default"


def to_dhis2(rows: list[IndicatorRow], context: Context) -> dict:
    """A DHIS2 ``dataValueSets`` payload (import with ``idScheme=CODE``)."""
    period = dhis2_period(context.period)
    # A fiscal quarter goes out as a calendar quarter: each value's comment (a standard
    # dataValue field, shown in DHIS2 data entry) says so, the receiver need not guess.
    note = dhis2_period_note(context.period)
    org_unit = territory_code(context)
    values = []
    for row in rows:
        if row.value is not None:
            values.append(_value(row.code, period, org_unit, "default", row.value, note))
        for cell in row.cells:
            if cell.value is not None:
                values.append(
                    _value(row.code, period, org_unit, _combo(cell.categories), cell.value, note)
                )
    return {
        "dataElementIdScheme": "CODE",
        "orgUnitIdScheme": "CODE",
        "categoryOptionComboIdScheme": "CODE",
        "period": period,
        "orgUnit": org_unit,
        "dataValues": values,
    }


def _value(element, period, org_unit, combo, value, comment="") -> dict:
    number = csv_value(float(value))
    item = {
        "dataElement": element,
        "period": period,
        "orgUnit": org_unit,
        "categoryOptionCombo": combo,
        "value": str(number),
    }
    if comment:
        item["comment"] = comment
    return item


def to_dhis2_json(rows, context) -> str:
    return json.dumps(to_dhis2(rows, context), ensure_ascii=False, indent=2)
