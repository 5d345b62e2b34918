"""Reading the records of a CSV file that people prepare by hand (persons, program records,
interventions, catalogues): one reader for every import, with errors that name the line and
the column.

The reader checks the file as a whole before any row is used: its encoding (UTF-8 with or
without BOM, UTF-16 with BOM, else Windows-1252 as Excel in Mexico saves "CSV"), NUL bytes,
the header (empty, duplicated, missing or unknown columns), and every row's cell count and
cell size. Problems are raised as :class:`RecordError` with a ``code`` and parameters, not as
text: this module knows no Django and no language, and the caller translates the code
(``civica.core.imports`` does it for the application).

Line numbers are the file's physical lines as an editor shows them (a quoted cell spanning
lines counts its lines), starting at 1 for the header; columns are named by their header and
numbered from 1.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

__all__ = [
    "MAX_CELL_CHARS",
    "RecordError",
    "Records",
    "decode",
    "read_records",
]

# A cell is a name, a date, a list of codes or a description: 10,000 characters is generous,
# and a refusal past it keeps a 10 MB cell from being stored and served.
MAX_CELL_CHARS = 10_000
# The csv module refuses fields over its own limit with a bare error; ours is checked per
# cell with its column, so the module's limit only has to be above it.
_CSV_FIELD_LIMIT = 16 * 1024 * 1024
_DELIMITERS = (",", ";", "\t")


@dataclass
class RecordError(Exception):
    """A problem of the file, coded; ``params`` fill the translated message.

    Codes: ``unreadable`` (reason), ``empty``, ``encoding`` (byte), ``nul``, ``malformed``
    (reason), ``no_header``, ``blank_column``, ``duplicate_column``, ``missing_columns``
    (columns, expected), ``unknown_columns`` (columns, expected), ``too_many_cells`` (cells,
    expected), ``too_few_cells`` (cells, expected), ``cell_too_long`` (chars, limit).
    """

    code: str
    line: int | None = None
    column: str | None = None
    column_number: int | None = None
    params: dict = field(default_factory=dict)

    def __str__(self) -> str:  # for logs and tracebacks only; users see the translation
        where = f"line {self.line}" if self.line else ""
        if self.column:
            where += f", column {self.column}"
        return f"{self.code} ({where}) {self.params}"


@dataclass
class Records:
    """The checked rows of one file: ``rows`` are ``(line, {column: stripped text})``."""

    name: str
    header: list[str]
    rows: list[tuple[int, dict[str, str]]]
    encoding: str
    delimiter: str

    def __iter__(self) -> Iterator[tuple[int, dict[str, str]]]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)


def decode(data: bytes) -> tuple[str, str]:
    """Text and encoding: UTF-16 when a BOM says so, UTF-8 (BOM optional), else Windows-1252.

    A UTF-16 file without BOM (every other byte NUL) raises ``encoding`` rather than being
    read as garbage; a file that is neither UTF-8 nor Windows-1252 names the first bad byte.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as error:
            raise _encoding_error(data, error.start) from None
    head = data[:200]
    if head.count(b"\x00") > len(head) // 4:  # UTF-16 without its BOM: every other byte NUL
        raise _encoding_error(data, data.index(b"\x00"))
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError as utf8_error:
        try:
            return data.decode("cp1252"), "cp1252"
        except UnicodeDecodeError:
            raise _encoding_error(data, utf8_error.start) from None


def _encoding_error(data: bytes, offset: int) -> RecordError:
    line = data.count(b"\n", 0, offset) + 1
    column = offset - (data.rfind(b"\n", 0, offset) + 1) + 1
    return RecordError(
        "encoding", line=line, column_number=column, params={"byte": f"0x{data[offset]:02X}"}
    )


def _delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in _DELIMITERS}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def read_records(
    source: Path | str | bytes,
    *,
    known: Iterable[str],
    required: Iterable[str] = (),
    name: str = "",
    max_cell_chars: int = MAX_CELL_CHARS,
) -> Records:
    """Read and check a CSV file of records; raise :class:`RecordError` at the first problem.

    Parameters
    ----------
    source
        A path, the file's bytes, or its text (already decoded).
    known
        Every column the file may have; another one is refused (``unknown_columns``).
    required
        Columns the header must have (``missing_columns``). Empty cells are the caller's
        concern.
    name
        The file name errors are reported under (default: the path's name).
    max_cell_chars
        Longest cell accepted.

    Returns
    -------
    Records
        Rows with the header's column names and stripped cells; blank lines are skipped.
    """
    known = tuple(known)
    required = tuple(required)
    if isinstance(source, Path):
        name = name or source.name
        try:
            source = source.read_bytes()
        except OSError as error:
            raise RecordError(
                "unreadable", params={"reason": error.strerror or str(error)}
            ) from None
    if isinstance(source, bytes):
        text, encoding = decode(source)
    else:
        text, encoding = source.removeprefix("\ufeff"), "utf-8"
    if not text.strip():
        raise RecordError("empty", line=1)
    nul = text.find("\x00")
    if nul >= 0:
        line = text.count("\n", 0, nul) + 1
        raise RecordError("nul", line=line, column_number=nul - (text.rfind("\n", 0, nul) + 1) + 1)
    delimiter = _delimiter(text.split("\n", 1)[0])
    previous_limit = csv.field_size_limit()
    csv.field_size_limit(_CSV_FIELD_LIMIT)
    try:
        return _parse(text, known, required, name, encoding, delimiter, max_cell_chars)
    finally:
        csv.field_size_limit(previous_limit)


def _parse(text, known, required, name, encoding, delimiter, max_cell_chars) -> Records:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        raw_header = next(reader)
    except (StopIteration, csv.Error):
        raise RecordError("no_header", line=1) from None
    header = [cell.strip() for cell in raw_header]
    while len(header) > 1 and not header[-1]:  # a spreadsheet's trailing separators
        header.pop()
    _check_header(header, known, required)
    rows: list[tuple[int, dict[str, str]]] = []
    width = len(header)
    line = reader.line_num + 1
    try:
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                line = reader.line_num + 1
                continue
            if len(cells) != width:
                # Trailing empty cells beyond the header (a spreadsheet's stray commas) are
                # harmless; any other extra cell is data that would be lost.
                if len(cells) > width and not any(c.strip() for c in cells[width:]):
                    cells = cells[:width]
                else:
                    code = "too_many_cells" if len(cells) > width else "too_few_cells"
                    raise RecordError(
                        code,
                        line=line,
                        column_number=min(len(cells), width) + (len(cells) > width),
                        params={"cells": len(cells), "expected": width},
                    )
            row = {}
            for number, (column, cell) in enumerate(zip(header, cells, strict=True), start=1):
                if len(cell) > max_cell_chars:
                    raise RecordError(
                        "cell_too_long",
                        line=line,
                        column=column,
                        column_number=number,
                        params={"chars": len(cell), "limit": max_cell_chars},
                    )
                row[column] = cell.strip()
            rows.append((line, row))
            line = reader.line_num + 1
    except csv.Error as error:
        raise RecordError("malformed", line=line, params={"reason": str(error)}) from None
    return Records(name=name, header=header, rows=rows, encoding=encoding, delimiter=delimiter)


def _check_header(header: list[str], known: tuple, required: tuple) -> None:
    seen: set[str] = set()
    for number, column in enumerate(header, start=1):
        if not column:
            raise RecordError("blank_column", line=1, column_number=number)
        if column in seen:
            raise RecordError("duplicate_column", line=1, column=column, column_number=number)
        seen.add(column)
    missing = [c for c in required if c not in seen]
    if missing:
        raise RecordError(
            "missing_columns",
            line=1,
            params={"columns": ", ".join(missing), "expected": ", ".join(known)},
        )
    unknown = [c for c in header if c not in known]
    if unknown:
        raise RecordError(
            "unknown_columns",
            line=1,
            column=unknown[0],
            column_number=header.index(unknown[0]) + 1,
            params={"columns": ", ".join(unknown), "expected": ", ".join(known)},
        )
