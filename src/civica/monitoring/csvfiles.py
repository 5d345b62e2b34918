"""Reading the CSV files of program records and of the indicator catalogue: one file is
imported whole or not at all, and an error names the file, the line and the column."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class RowError(Exception):
    """A bad cell: raised while reading a row, turned into a file/line/column message."""

    def __init__(self, column: str, message: str):
        super().__init__(message)
        self.column = column
        self.message = message


class CsvImportError(ValueError):
    """The whole file was refused; ``str()`` says where and why."""


def rows(path: Path, *, required: tuple[str, ...], known: tuple[str, ...]) -> Iterator:
    """Yield ``(line, row)`` with stripped cells; raise on a missing or unknown column."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        header = [c.strip() for c in reader.fieldnames or []]
        missing = [c for c in required if c not in header]
        unknown = [c for c in header if c not in known]
        if missing or unknown:
            problem = (
                _("missing columns %(columns)s") % {"columns": ", ".join(missing)}
                if missing
                else _("unknown columns %(columns)s") % {"columns": ", ".join(unknown)}
            )
            raise CsvImportError(
                _("%(file)s, line 1: %(problem)s (expected %(expected)s).")
                % {"file": path.name, "problem": problem, "expected": ", ".join(known)}
            )
        reader.fieldnames = header
        for row in reader:
            yield reader.line_num, {k: (v or "").strip() for k, v in row.items() if k}


def fail(path: Path, line: int, error: RowError) -> CsvImportError:
    return CsvImportError(
        _("%(file)s, line %(line)s, column “%(column)s”: %(message)s")
        % {"file": path.name, "line": line, "column": error.column, "message": error.message}
    )


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


def full_clean(obj, field_to_column: dict[str, str]) -> None:
    """Validate a model instance, naming the CSV column of the first bad field."""
    try:
        obj.full_clean()
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise RowError(field_to_column.get(field, field), " ".join(messages)) from None
