"""Cell helpers for the CSV files of program records and of the indicator catalogue.

Reading, locking, the transaction, the audit entry and the summary are
:func:`civica.core.imports.import_records`'s; these helpers turn a bad cell into a
:class:`~civica.core.imports.RowError` naming its column."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from civica.core.imports import ImportFailed, RowError

__all__ = ["CsvImportError", "RowError", "date", "full_clean", "required_text", "split"]


# The one importer's exceptions, under the names this module's callers know.
CsvImportError = ImportFailed


def date(row: dict, column: str, *, required: bool = True) -> dt.date | None:
    text = row.get(column, "")
    if not text:
        if required:
            raise RowError(column, _("a date is required (YYYY-MM-DD)."))
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise RowError(
            column, _("“%(value)s” is not a date; write it as YYYY-MM-DD.") % {"value": text}
        ) from None


def split(text: str) -> list[str]:
    return [part.strip() for part in (text or "").split(";") if part.strip()]


def required_text(row: dict, column: str) -> str:
    if not row.get(column):
        raise RowError(column, _("this cell is empty; it is required."))
    return row[column]


def full_clean(obj, field_to_column: dict[str, str], *, exclude=None, queries: bool = True) -> None:
    """Validate a model instance, naming the CSV column of the first bad field.

    ``queries=False`` leaves out the checks that query the database (unique fields and
    constraints), for an importer that makes them for the whole file at once; ``exclude``
    leaves out fields such as a foreign key just looked up.
    """
    try:
        obj.full_clean(exclude=exclude, validate_unique=queries, validate_constraints=queries)
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise RowError(field_to_column.get(field, field), " ".join(messages)) from None
