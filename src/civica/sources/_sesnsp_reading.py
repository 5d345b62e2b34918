# ruff: noqa: S608  (SQL here only interpolates names made by this module; values are bound)
"""Header detection and the DuckDB pass that parses, validates and writes a SESNSP file."""

from __future__ import annotations

import csv
import os
import re
import threading
import uuid
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pa_compute

from civica.sources._sesnsp_arrow import Coded, read_coded
from civica.sources._sesnsp_bytes import (
    _blank_lines,
    _ByteScan,
    _stray_carriage_return,
    _wrong_encoding,
)
from civica.sources._sesnsp_kinds import (
    _MONTH_ROLES,
    FIRST_RNID_YEAR,
    KINDS,
    MEMORY_LIMIT,
    MONTHS,
    Kind,
    SesnspFile,
)
from civica.sources.errors import Joined, SourceError
from civica.sources.errors import message as _
from civica.sources.sesnsp_catalog import (
    LEVELS,
    Catalogue,
    Spellings,
    catalogue,
    fold,
    match_crimes,
    tidy,
)
from civica.sources.sesnsp_catalog import is_pseudo_municipality as is_pseudo
from civica.sources.sesnsp_snapshot import SNAPSHOT_MONTHS


def _header(path: Path, scan: _ByteScan, encoding: str) -> list[str]:
    first = scan.head.split(b"\n", 1)[0].rstrip(b"\r")
    if not first.strip():
        message = _("The first line is empty; it must be the header.")
        raise SourceError(message if scan.head else _("The file is empty."), file=path, line=1)
    text = first.decode(encoding, errors="replace").lstrip("\ufeff")
    if any(ord(char) < 32 and char != "\t" for char in text):
        raise _wrong_encoding(path, 1, _("the header has control characters"))
    return next(csv.reader([text]))


def _kind(path: Path, header: list[str]) -> Kind:
    found = [fold(name) for name in header]
    for kind in KINDS.values():
        if found == [fold(name) for name in kind.names]:
            return kind

    def distance(kind: Kind) -> tuple[int, int]:
        expected = {fold(name) for name in kind.names}
        return (len(expected ^ set(found)), -len(expected & set(found)))

    closest = min(KINDS.values(), key=distance)
    if -distance(closest)[1] < 5:
        raise _not_sesnsp(path, header)
    raise _wrong_columns(path, header, closest)


def _not_sesnsp(path: Path, header: list[str]) -> SourceError:
    shown = ", ".join(name.strip() for name in header[:8]) + (", …" if len(header) > 8 else "")
    accepted = Joined(
        "; ",
        (
            Joined(
                "", (_(kind.label), f": {', '.join(kind.names[: -len(MONTHS)])}, Enero … Diciembre")
            )
            for kind in KINDS.values()
        ),
    )
    return SourceError(
        _(
            "This is not a SESNSP crime or victims file: its header is “%(found)s”. "
            "Accepted kinds: %(accepted)s."
        )
        % {"found": shown, "accepted": accepted},
        file=path,
        line=1,
    )


def _wrong_columns(path: Path, header: list[str], kind: Kind) -> SourceError:
    found = [fold(name) for name in header]
    expected = [fold(name) for name in kind.names]
    missing = [name for name in kind.names if fold(name) not in found]
    unexpected = [name.strip() for name in header if fold(name) not in expected]
    column = next(
        (i for i, pair in enumerate(zip(found, expected, strict=False), 1) if pair[0] != pair[1]),
        min(len(found), len(expected)) + 1,
    )
    return SourceError(
        _(
            "The columns are not those of a SESNSP %(kind)s file. Missing or renamed: "
            "%(missing)s; not expected: %(unexpected)s. Expected, in this order: "
            "%(expected)s. Found: %(found)s."
        )
        % {
            "kind": _(kind.label),
            "missing": ", ".join(missing) or _("none (the order differs)"),
            "unexpected": ", ".join(unexpected) or _("none"),
            "expected": ", ".join(kind.names),
            "found": ", ".join(name.strip() for name in header),
        },
        file=path,
        line=1,
        column=column,
        field=header[column - 1].strip() if column <= len(header) else kind.names[column - 1],
    )


# --- DuckDB ----------------------------------------------------------------------------


class _Session:
    """A DuckDB connection with uniquely named temporary tables, dropped on exit."""

    def __init__(self, connection: duckdb.DuckDBPyConnection | None, scratch: Path):
        self.own = connection is None
        self.connection = connection or duckdb.connect(
            config={
                "memory_limit": MEMORY_LIMIT,
                "temp_directory": str(scratch / "duckdb"),
            }
        )
        self.prefix = f"sesnsp_{uuid.uuid4().hex[:12]}"
        self.tables: list[str] = []
        self.restore_order = False

    def __enter__(self) -> _Session:
        if self.own:
            self.connection.execute("SET enable_progress_bar = false")
        # Line numbers are row positions, so rows must stay in file order.
        if not self.one("SELECT current_setting('preserve_insertion_order')")[0]:
            self.restore_order = True
            self.connection.execute("SET preserve_insertion_order = true")
        return self

    def __exit__(self, *exc_info) -> None:
        for table in self.tables:
            self.connection.execute(f"DROP TABLE IF EXISTS {table}")
        if self.restore_order:
            self.connection.execute("SET preserve_insertion_order = false")
        if self.own:
            self.connection.close()

    def table(self, name: str) -> str:
        self.tables.append(f"{self.prefix}_{name}")
        return self.tables[-1]

    def one(self, sql: str, parameters=None) -> tuple | None:
        # Fetched to the end: DuckDB 2 refuses other work (registering an Arrow table) on a
        # connection whose last result was not read to its end.
        rows = self.connection.execute(sql, parameters).fetchall()
        return rows[0] if rows else None

    def all(self, sql: str, parameters=None) -> list[tuple]:
        return self.connection.execute(sql, parameters).fetchall()

    def create(self, name: str, columns: dict[str, str], values: list[list]) -> str:
        """A temporary table filled column-wise from Python lists, in one statement."""
        table = self.table(name)
        self.connection.execute(
            f"CREATE TEMP TABLE {table} ("
            + ", ".join(f"{column} {sql_type}" for column, sql_type in columns.items())
            + ")"
        )
        unnests = ", ".join("unnest(?)" for _column in columns)
        self.connection.execute(f"INSERT INTO {table} SELECT {unnests}", values)
        return table


def _literal(value: str) -> str:
    return "'" + str(value).replace("'", "''") + "'"


# A column the kind has not (municipal or demographic): NULL in every row, of an ENUM type
# rather than VARCHAR because Parquet writes it a third faster (a string all the same).
_NOTHING = "NULL::ENUM('')"


def _int32(values: list[int]) -> pa.Array:
    """An Arrow array of ``values``, built from its buffer: ``pa.array`` would import pandas
    (0.2 s) to ask whether the values are a pandas object."""
    return pa.Array.from_buffers(
        pa.int32(), len(values), [None, pa.py_buffer(np.asarray(values, dtype=np.int32))]
    )


def _enum(values) -> str:
    """An inline ENUM type: small integers through sorts, plain strings in Parquet."""
    return "ENUM(" + ", ".join(_literal(value) for value in sorted(set(values))) + ")"


# Whole numbers, also as pandas re-saves them (``12.0``); DuckDB's own cast rounds ``1.5`` and
# takes ``1e3``, ``0x10``, ``+4``, ``1_000`` and `` 4``, so a cell counts only if its text is
# the cast's canonical form (nearly every cell: one cheap comparison) or matches this pattern.
_WHOLE = r"' *[0-9]+(\.0*)? *'"
_NUMERIC = ("year", "state", "municipality", *_MONTH_ROLES)
_CODES = ("year", "state", "municipality")


def _whole(text: str, cast: str) -> str:
    """SQL: the number a cell's ``text`` holds (``cast`` is its ``TRY_CAST`` to INTEGER), or
    NULL when it is not a whole number written as the checks accept one."""
    return (
        f"CASE WHEN ({cast} >= 0 AND {cast}::VARCHAR = {text}) "
        f"OR regexp_full_match({text}, {_WHOLE}) THEN {cast} END"
    )


_TEXT = ("municipality_name", *LEVELS, "sex", "age_range")
_BAD = {
    "year": "n_year IS NULL OR n_year NOT BETWEEN 2015 AND 2099",
    "state": "n_state IS NULL OR n_state NOT BETWEEN 1 AND 32",
    "municipality": "n_municipality IS NULL OR n_municipality // 1000 <> n_state",
    **{role: f"{role} IS NULL" for role in _TEXT},
    **{role: f"n_{role} IS NULL AND trim({role}) <> ''" for role in _MONTH_ROLES},
}
_DEMOGRAPHICS = ("sex", "age_range")


class _Reading:
    """The DuckDB half of one read: load, validate, normalise, write."""

    def __init__(
        self,
        path: Path,
        plain: Path,
        kind: Kind,
        encoding: str,
        session: _Session,
        source_sha256: str = "",
        typed: tuple[str, ...] = (),
        prefetched: Prefetch | None = None,
    ):
        self.path, self.plain, self.kind, self.encoding = path, plain, kind, encoding
        self.source_sha256 = source_sha256
        self.typed = typed
        """The columns whose every cell the byte scan proved empty or plain digits: the
        months (see ``_load``)."""
        self.prefetched = prefetched
        """Arrow's read of this file, started before the reading was (:class:`Prefetch`)."""
        self.session = session
        self.blank_lines: list[int] | None = None
        self.ahead: _ReadAhead | None = None
        """The fast read, when it was started beside the byte scan."""
        self.wide = session.table("wide")
        self.spellings = Spellings()
        self.texts: dict[str, list[str]] = {}
        """The text of each code, per text column, when the wide table holds codes (after
        the Arrow read); empty when it holds the texts themselves (the checked read)."""
        self.data_lines: int | None = None
        """Lines after the header, as the byte scan counted them (set once it has run)."""
        self.stop_requested = False
        """Set by :meth:`_ReadAhead.stop`: the Arrow read gives up at its next block."""

    def run(self, output: Path, cut: str | None) -> SesnspFile:
        self._load()
        rows, years, last = self._summary()
        methodology = "2015" if years[-1] < FIRST_RNID_YEAR else "rnid2026"
        maps = {"crimes": self._crimes(catalogue(methodology))}
        pseudo = ()
        if "municipality_name" in self.kind.roles:
            maps["names"], found = self._tidy("municipality_name", by="municipality")
            pseudo = tuple(
                sorted(
                    {
                        f"{code:05d} {name}"
                        for code, _raw, name in found
                        if is_pseudo(f"{code:05d}", name)
                    }
                )
            )
        for role in _DEMOGRAPHICS:
            if role in self.kind.roles:
                maps[role], _found = self._tidy(role)
        self._join(maps)
        self._refuse_duplicates()
        if cut and last and cut < "{}-{:02d}".format(*last):
            raise SourceError(
                _("The cut %(cut)s is earlier than the last month with data, %(last)s.")
                % {"cut": cut, "last": "{}-{:02d}".format(*last)},
                file=self.path,
                field="cut",
            )
        self._write(output, rows)
        return SesnspFile(
            path=self.path,
            kind=self.kind.name,
            measure=self.kind.measure,
            level=self.kind.level,
            methodology=methodology,
            cut=cut,
            encoding=self.encoding,
            rows=rows,
            long_rows=rows * 12,
            years=years,
            last_month_reported=last,
            normalized=self.spellings.report(),
            pseudo_municipalities=pseudo,
            output=output,
            source_sha256=self.source_sha256,
        )

    def line(self, rowid: int) -> int:
        """File line of a data row: the header is line 1, and skipped blank lines count."""
        if self.blank_lines is None:
            self.blank_lines = _blank_lines(self.plain)
        line = rowid + 2
        for blank in self.blank_lines:
            if blank > line:
                break
            line += 1
        return line

    def text(self, role: str, value):
        """A text cell of the wide table as the file spells it (it may hold a code)."""
        return value if value is None or role not in self.texts else self.texts[role][value]

    def text_type(self, role: str) -> str:
        """The SQL type of a text column of the wide table: codes, or the texts."""
        return "INTEGER" if role in self.texts else "VARCHAR"

    def column(self, role: str) -> tuple[int, str]:
        """``(position, published name)`` of a role's column."""
        position = self.kind.position(role)
        return position, self.kind.names[position - 1]

    def _load(self) -> None:
        # The fast path: when the byte scan proved that every month cell is empty or plain
        # ASCII digits, Arrow reads the file, the twelve months straight as integers and
        # every other column as codes (:meth:`_load_coded`), at less than half the CPU of
        # DuckDB's reading every cell as text and checking each. Whatever it cannot read (a
        # number too large, a line of the wrong length, an empty cell, a bad code) sends the
        # file to the checked path below, which says where and why, exactly as without the
        # fast path. The fast read may have run already, beside the scan (``_ReadAhead``).
        if self.typed:
            proven = self.ahead.result() if self.ahead is not None else self._fast_load()
            if proven and self._every_line_a_row():
                return
            self.session.connection.execute(f"DROP TABLE IF EXISTS {self.wide}")
        self._load_as(typed=())

    def _fast_load(self) -> bool:
        """Read with the proven columns as integers; whether every cell passed its checks."""
        try:
            if not self._load_as(typed=self.typed):
                return False
        except duckdb.Error:
            return False
        return not self.session.one(f"SELECT 1 FROM {self.wide} WHERE bad IS NOT NULL LIMIT 1")

    def _every_line_a_row(self) -> bool:
        """Whether the fast read made one row of every line after the header, as the checked
        read does of a file the scan proved (no blank line); a line end inside quotes or a
        lone CR would make more rows, and sends the file to the checked read."""
        (rows,) = self.session.one(f"SELECT count(*) FROM {self.wide}")
        return self.data_lines is None or rows == self.data_lines

    def _load_as(self, typed: tuple[str, ...]) -> bool:
        """Read the file into the wide table. With ``typed`` columns (the months, which the
        byte scan proved plain) Arrow reads it as codes (:meth:`_load_coded`), and says
        whether it could; without, DuckDB reads every cell as text and checks it."""
        self.texts = {}
        if typed:
            return self._load_coded(typed)
        rejects = self.session.table("rejects")
        try:
            self._create_wide(self._csv_source(rejects))
        except duckdb.InvalidInputException as error:
            raise self._unparsable(error) from None
        first = self.session.one(
            f"SELECT line, error_type, csv_line, error_message FROM {rejects} "
            "ORDER BY line, column_idx LIMIT 1"
        )
        if first:
            raise self._unreadable_line(*first)
        return True

    def _load_coded(self, typed: tuple[str, ...]) -> bool:
        """Arrow's read (:func:`read_coded`): the months as integers, every other column as
        codes; each distinct code, year and state is checked here, once, by the rules of the
        checked read (:func:`_whole`), and the wide table keeps the text columns as codes."""
        if self.prefetched is not None and typed == _TYPED:
            coded = self.prefetched.result()
        else:
            coded = read_coded(
                self.plain,
                self.kind.roles,
                typed,
                _decoding(self.encoding),
                stopped=lambda: self.stop_requested,
            )
        self.prefetched = None  # its rows are used once
        if coded is None:
            return False
        # Each distinct year, state and municipality code is checked once; one that fails
        # sends the file to the checked read, which says where. Months the byte scan proved
        # plain take no check (any whole number, or nothing), and no text cell is empty.
        numbers = {
            role: self._whole_numbers(coded.texts.pop(role))
            for role in _CODES
            if role in coded.texts
        }
        if any(None in values for values in numbers.values()) or any(
            self._fails(role, numbers[role]) for role in ("year", "state")
        ):
            return False
        table = coded.table
        for role, values in numbers.items():
            position = table.schema.get_field_index(role)
            table = table.set_column(
                position, role, pa_compute.take(_int32(values), table.column(position))
            )
        self.texts = coded.texts
        # Copied into a DuckDB table (0.2 s): read in place, the duplicate pass took 0.5 s
        # more, and the snapshot's columns lost the "no NULL" that table statistics give.
        view = f"{self.session.prefix}_arrow"
        self.session.connection.register(view, table)
        try:
            self._create_wide(
                view,
                typed=(*_CODES, *typed),
                settled=("year", "state", *coded.texts, *typed),
            )
        finally:
            self.session.connection.unregister(view)
        # Arrow's allocator keeps freed memory for reuse; given back, the sort of the
        # snapshot's write has it (the national file peaked at 1.06 GB without this, 0.83 GB
        # with it).
        del table, coded
        pa.default_memory_pool().release_unused()
        return True

    def _whole_numbers(self, texts: list[str]) -> list[int | None]:
        """The number of each text (``None`` for one that is not a whole number)."""
        if not texts:
            return []
        found = dict(
            self.session.all(
                f"SELECT text, {_whole('text', 'TRY_CAST(text AS INTEGER)')} "
                "FROM (SELECT unnest(?::VARCHAR[]) AS text)",
                [texts],
            )
        )
        return [found[text] for text in texts]

    def _fails(self, role: str, numbers: list[int | None]) -> bool:
        """Whether any of ``numbers`` fails the check of ``role``'s cells (:data:`_BAD`)."""
        (failed,) = self.session.one(
            f"SELECT bool_or({_BAD[role]}) FROM (SELECT unnest(?::INTEGER[]) AS n_{role})",
            [numbers],
        )
        return bool(failed)

    def _csv_source(self, rejects: str) -> str:
        """DuckDB's read of the file, every cell as text, bad lines set aside in ``rejects``
        (see :meth:`_unreadable_line`)."""
        return (
            f"read_csv({_literal(self.plain)}, columns = {{"
            + ", ".join(f"'{role}': 'VARCHAR'" for role in self.kind.roles)
            + "}, header = false, skip = 1, auto_detect = false, compression = 'none', "
            "delim = ',', quote = '\"', "
            f"escape = '\"', encoding = '{_decoding(self.encoding)}', "
            f"ignore_errors = true, store_rejects = true, "
            f"rejects_table = '{rejects}', "
            f"rejects_scan = '{self.session.table('rejects_scan')}')"
        )

    def _create_wide(
        self, source: str, typed: tuple[str, ...] = (), settled: tuple[str, ...] = ()
    ) -> None:
        """The wide table from ``source``: the ``typed`` columns arrive as integers, every
        other numeric column as text, cast here; each cell is checked (``bad``) but those of
        the ``settled`` columns, whose every value is known to pass."""
        roles = self.kind.roles
        numeric = [role for role in _NUMERIC if role in roles and role not in typed]
        casts = "".join(f", TRY_CAST({role} AS INTEGER) AS c_{role}" for role in numeric)
        numbers = ", ".join(
            [f"{_whole(role, f'c_{role}')} AS n_{role}" for role in numeric]
            + [f"{role} AS n_{role}" for role in typed if role in roles]
        )
        checked = [
            (self.kind.position(role), role)
            for role in roles
            if role in _BAD and role not in settled
        ]
        bad = " ".join(f"WHEN {_BAD[role]} THEN {position}" for position, role in checked)
        bad_text = " ".join(f"WHEN {position} THEN {role}::VARCHAR" for position, role in checked)

        def optional(role: str, sql: str) -> str:
            return sql if role in roles else "NULL::VARCHAR"

        self.session.connection.execute(f"""
            CREATE TEMP TABLE {self.wide} AS
            SELECT TRY_CAST(n_year AS SMALLINT) AS year,
                   TRY_CAST(n_state AS UTINYINT) AS state,
                   {"n_municipality" if "municipality" in roles else "NULL::INTEGER"}
                       AS municipality,
                   {optional("municipality_name", "municipality_name")} AS municipality_name,
                   bien_juridico, tipo, subtipo, modalidad,
                   {", ".join(f"{optional(role, role)} AS {role}" for role in _DEMOGRAPHICS)},
                   {", ".join(f"n_{role} AS {role}" for role in _MONTH_ROLES)},
                   bad, CASE bad {bad_text} END AS bad_text
            FROM (
                SELECT *, CASE {bad} END::TINYINT AS bad
                FROM (SELECT *, {numbers} FROM (SELECT *{casts} FROM {source}))
            )
        """)

    def _unparsable(self, error: duckdb.Error) -> SourceError:
        """What DuckDB's reader could not get past without a line to blame (its rejects
        table names the others): a carriage return that the file's line ends do not use,
        which is found here, or else its own reason."""
        line = _stray_carriage_return(self.plain)
        if line is not None:
            return SourceError(
                _(
                    "The line holds a carriage return (CR) that is not part of the file's "
                    "line ends: a lone CR, or CR LF in a file whose lines end in LF. Save the "
                    "file again as CSV."
                ),
                file=self.path,
                line=line,
            )
        return SourceError(
            _("The file cannot be read as CSV (%(reason)s).")
            % {"reason": str(error).splitlines()[0]},
            file=self.path,
        )

    def _unreadable_line(self, line: int, error_type: str, text: str, message: str):
        expected = len(self.kind.columns)
        found = re.search(r"Found: (\d+)", str(message))
        fields = int(found.group(1)) if found else len(next(csv.reader([text.strip()]), []))
        if error_type not in ("MISSING COLUMNS", "TOO MANY COLUMNS"):
            return SourceError(
                _("The line cannot be read as CSV (%(reason)s).")
                % {"reason": str(message).splitlines()[0]},
                file=self.path,
                line=line,
            )
        column = min(fields, expected) + 1
        return SourceError(
            _(
                "The line has %(found)d fields; the header has %(expected)d. A short last "
                "line means the file was cut short (truncated): download it again."
            )
            % {"found": fields, "expected": expected},
            file=self.path,
            line=line,
            column=column,
            field=self.kind.names[column - 1] if column <= expected else None,
        )

    def _summary(self) -> tuple[int, tuple[int, ...], tuple[int, int] | None]:
        latest = " ".join(
            f"WHEN {role} IS NOT NULL THEN year::INTEGER * 100 + {number}"
            for number, role in reversed(list(enumerate(_MONTH_ROLES, 1)))
        )
        rows, first_bad, old, new, years, last = self.session.one(f"""
            SELECT count(*), min(rowid) FILTER (WHERE bad IS NOT NULL),
                   min(rowid) FILTER (WHERE year < {FIRST_RNID_YEAR}),
                   min(rowid) FILTER (WHERE year >= {FIRST_RNID_YEAR}),
                   list(DISTINCT year), max(CASE {latest} END)
            FROM {self.wide}
        """)
        if rows == 0:
            raise SourceError(_("The file has a header but no data rows."), file=self.path, line=2)
        if first_bad is not None:
            raise self._bad_cell(first_bad)
        if old is not None and new is not None:
            raise self._mixed_methodologies(old, new)
        return rows, tuple(sorted(years)), divmod(last, 100) if last else None

    def _bad_cell(self, rowid: int) -> SourceError:
        position, text = self.session.one(
            f"SELECT bad, bad_text FROM {self.wide} WHERE rowid = ?", [rowid]
        )
        role, name = self.kind.columns[position - 1]
        return SourceError(
            _bad_reason(role, text, self.kind.measure),
            file=self.path,
            line=self.line(rowid),
            column=position,
            field=name,
        )

    def _mixed_methodologies(self, old: int, new: int) -> SourceError:
        return SourceError(
            _(
                "The file mixes years up to %(old_year)d (2015 methodology, line %(old)d) with "
                "years from %(new_year)d (RNID catalogue, line %(new)d). SESNSP replaced its "
                "crime catalogue in January 2026 (114 modalities instead of 98) and the two "
                "series are not comparable without a crosswalk: read them as separate files."
            )
            % {
                "old_year": FIRST_RNID_YEAR - 1,
                "old": self.line(old),
                "new_year": FIRST_RNID_YEAR,
                "new": self.line(new),
            },
            file=self.path,
            line=self.line(max(old, new)),
            column=1,
            field=self.kind.names[0],
        )

    def _crimes(self, crimes: Catalogue) -> str:
        """A table from each spelling of a crime to its official names and catalogue order."""
        found = self.session.all(f"""
            SELECT bien_juridico, tipo, subtipo, modalidad, count(*), min(rowid)
            FROM {self.wide} GROUP BY ALL ORDER BY min(rowid)
        """)
        spelt = [
            (
                tuple(
                    self.text(level, value) for level, value in zip(LEVELS, row[:4], strict=True)
                ),
                *row[4:],
            )
            for row in found
        ]
        matched = match_crimes(
            crimes,
            spelt,
            columns=tuple(self.column(level) for level in LEVELS),
            spellings=self.spellings,
            path=self.path,
            line=self.line,
        )
        columns = {level: self.text_type(level) for level in LEVELS} | {"crime_order": "SMALLINT"}
        columns |= {f"c_{level}": _enum(o[1][i] for o in matched) for i, level in enumerate(LEVELS)}
        values = [[row[i] for row in found] for i in range(4)] + [[o for o, _ in matched]]
        values += [[official[i] for _o, official in matched] for i in range(4)]
        return self.session.create("crimes", columns, values)

    def _tidy(self, role: str, by: str | None = None) -> tuple[str, list[tuple]]:
        """A table from each spelling of a text column to its tidied form (an ENUM)."""
        keys = f"{by}, {role}" if by else role
        found = self.session.all(
            f"SELECT {keys}, count(*), min(rowid) FROM {self.wide} GROUP BY ALL"
        )
        position, column = self.column(role)
        tidied = []
        for *key, raw, rows, first in found:
            value = tidy(self.text(role, raw))
            if not value:
                raise SourceError(
                    _("The cell is empty; this column needs a value."),
                    file=self.path,
                    line=self.line(first),
                    column=position,
                    field=column,
                )
            self.spellings.note(column, self.text(role, raw), value, rows)
            tidied.append((*key, raw, value))
        columns = ({by: "INTEGER"} if by else {}) | {
            "raw": self.text_type(role),
            "value": _enum(row[-1] for row in tidied),
        }
        values = [list(column_values) for column_values in zip(*tidied, strict=True)]
        return self.session.create(role, columns, values), tidied

    def _join(self, maps: dict[str, str]) -> None:
        """How a row of the wide table gets its official names (ENUMs) and catalogue order:
        the joins to the small tables of spellings, kept for the duplicate check (the crime's
        order and the demographics alone) and the snapshot (everything)."""
        found = self._states()
        states = self.session.create(
            "states",
            {"state": "UTINYINT", "code": _enum(f"{state:02d}" for state in found)},
            [found, [f"{state:02d}" for state in found]],
        )
        crimes = f"FROM {self.wide} w JOIN {maps['crimes']} c USING ({', '.join(LEVELS)})"
        people = {}
        for role in _DEMOGRAPHICS:
            if role in maps:
                crimes += f" JOIN {maps[role]} AS d_{role} ON w.{role} = d_{role}.raw"
                people[role] = f"d_{role}.value"
        self.key_source = crimes
        self.key = (
            f"w.year, w.state, w.municipality, c.crime_order, "
            f"{people.get('sex', 'NULL')}, {people.get('age_range', 'NULL')}"
        )
        joins = f"{crimes} JOIN {states} s ON w.state = s.state"
        municipality = name = _NOTHING
        if "names" in maps:
            codes = sorted(
                {
                    code
                    for (code,) in self.session.all(
                        f"SELECT DISTINCT municipality FROM {maps['names']}"
                    )
                }
            )
            places = self.session.create(
                "municipalities",
                {"municipality": "INTEGER", "code": _enum(f"{code:05d}" for code in codes)},
                [codes, [f"{code:05d}" for code in codes]],
            )
            joins += (
                f" JOIN {maps['names']} n ON w.municipality = n.municipality "
                f"AND w.municipality_name = n.raw JOIN {places} p "
                "ON w.municipality = p.municipality"
            )
            municipality, name = "p.code", "n.value"
        months = ", ".join(
            f"w.{role}::INTEGER AS {column}"
            for role, column in zip(_MONTH_ROLES, SNAPSHOT_MONTHS, strict=True)
        )
        # The snapshot's rows and order: state, municipality, year, crime (catalogue order),
        # sex and age range, sorted as they are written (a sorted table in between cost
        # more than the sort: 2.7 M rows stored once more).
        self.snapshot = f"""
            SELECT w.year, s.code AS state_code, {municipality} AS municipality_code,
                   {name} AS municipality_name, c.c_bien_juridico AS bien_juridico,
                   c.c_tipo AS tipo, c.c_subtipo AS subtipo, c.c_modalidad AS modalidad,
                   {people.get("sex", _NOTHING)} AS sex,
                   {people.get("age_range", _NOTHING)} AS age_range, {months}
            {joins}
            ORDER BY state_code, municipality_code, w.year, c.crime_order, sex, age_range
        """

    def _states(self) -> list[int]:
        return sorted(
            state for (state,) in self.session.all(f"SELECT DISTINCT state FROM {self.wide}")
        )

    def _refuse_duplicates(self) -> None:
        # SESNSP writes its rows in key order (year, state, municipality, crime in catalogue
        # order, sex, age range), so one streaming pass over the file's rows comparing each
        # key with the one before proves there is no duplicate: a strictly increasing
        # sequence has none, whatever order the pass sees the rows in. Only when it is not
        # strictly increasing (a duplicate, or a file in another order) does the grouping
        # below decide; it also names both lines.
        repeated, unordered = self.session.one(f"""
            SELECT count(*) FILTER (WHERE key IS NOT DISTINCT FROM previous),
                   count(*) FILTER (WHERE key < previous)
            FROM (SELECT ({self.key}) AS key, lag(({self.key})) OVER () AS previous
                  {self.key_source})
        """)
        if not repeated and not unordered:
            return
        duplicate = self.session.one(f"""
            SELECT min(w.rowid), max(w.rowid) {self.key_source}
            GROUP BY {self.key} HAVING count(*) > 1 ORDER BY min(w.rowid) LIMIT 1
        """)
        if duplicate is None:
            return
        first, second = duplicate
        area, year, *cells = self.session.one(
            f"SELECT CASE WHEN municipality IS NULL THEN lpad(state::VARCHAR, 2, '0') "
            f"ELSE lpad(municipality::VARCHAR, 5, '0') END, year, bien_juridico, tipo, "
            f"subtipo, modalidad, sex, age_range FROM {self.wide} WHERE rowid = ?",
            [second],
        )
        crime = [
            self.text(role, cell)
            for role, cell in zip((*LEVELS, *_DEMOGRAPHICS), cells, strict=True)
        ]
        raise SourceError(
            _(
                "Lines %(first)d and %(second)d hold the same area, year and crime (%(area)s, "
                "%(year)d, %(crime)s): one of them was probably pasted twice."
            )
            % {
                "first": self.line(first),
                "second": self.line(second),
                "area": area,
                "year": year,
                "crime": " › ".join(name for name in crime if name is not None),
            },
            file=self.path,
            line=self.line(second),
        )

    def _write(self, output: Path, rows: int) -> None:
        """The wide rows with official names, twelve month columns each, sorted as they are
        written: a tenth of the rows of the long form, so the write costs a fifth (see
        ``SNAPSHOT_MONTHS``)."""
        partial = output.with_name(f".{output.name}.{uuid.uuid4().hex[:12]}.part")
        try:
            (written,) = self.session.one(f"""
                COPY ({self.snapshot})
                TO {_literal(partial)} (FORMAT parquet, COMPRESSION zstd, {_PARQUET})
            """)
            if written != rows:
                raise RuntimeError(f"wrote {written} rows instead of {rows}")
            os.replace(partial, output)
        finally:
            partial.unlink(missing_ok=True)


class _ReadAhead:
    """The fast read (:meth:`_Reading._fast_load`) in a thread of its own, started before the
    byte scan on the encoding and kind that the file's first bytes suggest: Arrow parses
    the file, and DuckDB copies its rows, while Python scans and hashes it (both let go of
    the interpreter lock), so the scan costs little wall time of its own. Its table is used only if
    the finished scan says what the read assumed (same bytes, encoding and kind, every month
    cell plain digits); otherwise it is stopped, as soon as the scan knows, and the file is
    read as without it. Nothing the read finds is reported before the scan's own verdict, so
    the errors and their order are those of a read after the scan."""

    def __init__(self, reading: _Reading):
        self.reading = reading
        self.proven = False
        self.stopped = False
        self.thread = threading.Thread(target=self._run, name="sesnsp-read-ahead", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        try:
            self.proven = self.reading._fast_load()
        except BaseException:  # interrupted by stop(), or anything else: the read is dropped
            self.proven = False

    def fits(self, plain: Path, kind: Kind, encoding: str, typed: tuple[str, ...]) -> bool:
        """Whether the read assumed what the scan found."""
        ahead = self.reading
        return not self.stopped and (plain, kind.name, encoding, typed) == (
            ahead.plain,
            ahead.kind.name,
            ahead.encoding,
            ahead.typed,
        )

    def result(self) -> bool:
        """Whether the read finished with every cell passing its checks."""
        self.thread.join()
        return self.proven and not self.stopped

    def stop(self) -> None:
        """Interrupt the read (if it still runs: Arrow gives up at its next block, DuckDB's
        copy at once), wait for it and drop its table."""
        if not self.stopped:
            self.stopped = True
            self.reading.stop_requested = True
            if self.reading.prefetched is not None:
                self.reading.prefetched.stop()
            if self.thread.is_alive():
                self.reading.session.connection.interrupt()
            self.thread.join()
            self.reading.session.connection.execute(f"DROP TABLE IF EXISTS {self.reading.wide}")


def _read_ahead(
    path: Path, session: _Session, head: bytes, prefetch: Prefetch | None = None
) -> _ReadAhead | None:
    """Start the fast read of a plain (not compressed) file on what its first bytes say, or
    ``None`` when they do not say enough (see :class:`_ReadAhead`); with the rows of
    ``prefetch`` when it read this file as this kind in this encoding."""
    guessed = _guess(path, head)
    if guessed is None:
        return None
    kind, encoding = guessed
    if prefetch is not None and not prefetch.fits(path, kind, encoding):
        prefetch.stop()
        prefetch = None
    return _ReadAhead(
        _Reading(path, path, kind, encoding, session, typed=_TYPED, prefetched=prefetch)
    )


def _guess(path: Path, head: bytes) -> tuple[Kind, str] | None:
    """The kind and encoding a plain file's first bytes suggest, or ``None`` (compressed,
    no whole line, not a SESNSP header: the scan and the header say what is wrong)."""
    if head.startswith((b"\x1f\x8b", b"PK")) or b"\n" not in head:
        return None
    try:
        head.decode("utf-8")
        encoding = "utf-8"
    except UnicodeDecodeError as error:
        encoding = "utf-8" if error.start > len(head) - 4 else "latin-1"  # a cut character
    try:
        return _kind(path, _header(path, _Head(head), encoding)), encoding
    except (SourceError, csv.Error):
        return None


def _decoding(encoding: str) -> str:
    """How the fast read decodes text of a file in ``encoding`` (Windows-1252 is read from
    its UTF-8 copy)."""
    return "latin-1" if encoding == "latin-1" else "utf-8"


class Prefetch:
    """Arrow's read of a file (:func:`read_coded`), started in a thread of its own before
    anything else needs it: ``civica ingest sesnsp`` starts it before Django, whose start
    then costs no wall time of its own (Arrow lets go of the interpreter lock). It reads
    the file as the kind and encoding its first bytes suggest, and its rows are used only
    by a reading of the same, unchanged file that the byte scan then proves plain; otherwise
    it is stopped."""

    def __init__(self, path: Path, kind: Kind, encoding: str):
        self.path, self.kind, self.encoding = path, kind, encoding
        self.version = _version(path)
        self.stopped = False
        self._coded: Coded | None = None
        self.thread = threading.Thread(target=self._run, name="sesnsp-prefetch", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        try:
            self._coded = read_coded(
                self.path, self.kind.roles, _TYPED, _decoding(self.encoding), lambda: self.stopped
            )
        except BaseException:  # anything else: the reading reads the file itself
            self._coded = None

    def fits(self, path: Path, kind: Kind, encoding: str) -> bool:
        """Whether this read is of ``path`` as it is now, as ``kind`` in ``encoding``."""
        return not self.stopped and (self.path, self.kind.name, self.encoding, self.version) == (
            path,
            kind.name,
            encoding,
            _version(path),
        )

    def result(self) -> Coded | None:
        """The rows as codes, or ``None`` when Arrow could not read them cleanly; handed
        over, not kept (the reading frees them once copied)."""
        self.thread.join()
        coded, self._coded = self._coded, None
        return None if self.stopped else coded

    def stop(self) -> None:
        """Stop the read (Arrow gives up at its next block) and wait for it."""
        self.stopped = True
        self.thread.join()


def _version(path: Path) -> tuple[int, int] | None:
    """Size and modification time of ``path``: a prefetch of an older version is not used."""
    try:
        status = path.stat()
    except OSError:
        return None
    return status.st_size, status.st_mtime_ns


def _start_prefetch(path: Path, head: bytes) -> Prefetch | None:
    """Start Arrow's read of a plain SESNSP file whose first bytes are ``head``, or ``None``
    when they do not say enough to read it (see :class:`Prefetch`)."""
    guessed = _guess(path, head)
    return None if guessed is None else Prefetch(path, *guessed)


# What the byte scan of a SESNSP file proves plain when it can: the months (see
# ``_ByteScan.numeric_tail_is_plain``).
_TYPED = _MONTH_ROLES


class _Head:
    """The first bytes of a file, as :func:`_header` reads them from a scan."""

    def __init__(self, head: bytes):
        self.head = head


# Dictionaries only for the names (ENUMs, which always get one): for the year and month
# columns zstd over plain values is as small, and building a dictionary of every number cost
# a third of the write.
_PARQUET = "DICTIONARY_SIZE_LIMIT 1"


def _bad_reason(role: str, text: str | None, measure: str) -> str:
    value = (text or "").strip()
    if not value:
        return _("The cell is empty; this column needs a value.")
    if role == "year":
        if re.fullmatch(r"[0-9]+(\.0*)?", value):
            return _(
                "The year %(year)s is outside 2015–2099: SESNSP files of the 2015 "
                "methodology start in 2015."
            ) % {"year": value}
        return _("“%(value)s” is not a year.") % {"value": value}
    if role == "state":
        return _("“%(value)s” is not a state code (1 to 32).") % {"value": value}
    if role == "municipality":
        if re.fullmatch(r"[0-9]+(\.0*)?", value):
            return _(
                "The municipality code %(value)s does not start with the state code of its row."
            ) % {"value": value}
        return _("“%(value)s” is not a municipality code (INEGI, five digits).") % {"value": value}
    counted = _("crimes") if measure == "crimes" else _("victims")
    if re.fullmatch(r"-\s*[0-9.]+", value):
        return _("“%(value)s” is negative; a count of %(counted)s is 0 or more.") % {
            "value": value,
            "counted": counted,
        }
    if re.fullmatch(r"[0-9]*\.[0-9]+", value):
        return _("“%(value)s” is not a whole number of %(counted)s.") % {
            "value": value,
            "counted": counted,
        }
    return _("“%(value)s” is not a number. Leave the cell empty for a month not reported yet.") % {
        "value": value
    }
