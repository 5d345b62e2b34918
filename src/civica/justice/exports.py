"""The case list as CSV: one row per case in the user's scope, without personal fields.

The person is named by the pseudonymous id only (never names, CURP, birth date, address,
narrative, place, injuries, guardian or defender), so the file carries nothing the board
does not already show; every cell passes ``tables.safe_cell`` (no spreadsheet formulas).
Rows are streamed in chunks, so a juzgado's whole history fits in constant memory.
"""

from __future__ import annotations

import csv
import io

from django.utils import timezone
from django.utils.translation import gettext as _

from civica.justice import permissions, selectors
from civica.tables import safe_row

__all__ = ["COLUMNS", "case_rows_csv"]

COLUMNS = (
    "folio",
    "juzgado",
    "person",
    "detained_at",
    "presented_at",
    "waits_for",
    "faltas",
    "resolved_at",
    "sanction",
    "commutation",
    "closed_at",
    "closure",
)


# What the rows read: no encrypted field is even loaded.
_READ = (
    "folio",
    "juzgado__name",
    "person__pid",
    "detained_at",
    "presented_at",
    "medical_at",
    "screened_at",
    "hearing_started_at",
    "resolved_at",
    "sanction",
    "commutation",
    "closed_at",
    "closure",
)


def _time(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _stage(case) -> str:
    stage = case.stage
    return str(_("Closed")) if stage == "closed" else str(permissions.STAGES[stage])


def case_rows_csv(user, **filters):
    """CSV text in chunks for ``selectors.case_list(user, **filters)``."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    rows = (
        selectors.case_list(user, **filters)
        .select_related(None)
        .select_related("juzgado", "person")
        .only(*_READ)
    )
    for n, case in enumerate(rows.iterator(chunk_size=2000)):
        writer.writerow(
            safe_row(
                [
                    case.folio,
                    case.juzgado.name,
                    case.person.pid,
                    _time(case.detained_at),
                    _time(case.presented_at),
                    _stage(case),
                    ";".join(o.code for o in case.offences.all()),
                    _time(case.resolved_at),
                    case.sanction,
                    case.commutation,
                    _time(case.closed_at),
                    case.closure,
                ]
            )
        )
        if n % 500 == 499:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()
