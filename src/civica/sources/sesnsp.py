"""Reader of SESNSP's open-data files of crimes and victims (incidencia del fuero común).

SESNSP publishes wide tables: one row per area × year × crime modality (× sex × age range
for victims) and one column per month, where an empty cell means "not reported yet", never
zero. Three kinds exist, told apart by their header:

* municipal incidence (``IDM_NM_*``, ``Municipal-Delitos-*``), by municipality;
* state incidence (``IDEFC_NM_*``), by state;
* state victims (``IDVFC_NM_*``), by state, sex and age range.

Each kind exists under two crime catalogues: the 2015 methodology (years up to 2025, 98
modalities) and RNID (years from 2026, 114 modalities). The two series are not comparable,
so a file that mixes them is refused.

The national municipal file has ~2.7 M rows (~390 MB), so no Python loop runs per row:
one streaming pass over the bytes settles the container, the encoding and archives that
end early (and hashes the file for its snapshot's record), and everything else runs in
Arrow and DuckDB: parsing, validation queries and the Parquet snapshot, written under a
temporary name and moved into place only when every check has passed.

What the reading costs, and why (issue 19). A file whose month cells the byte scan proves
plain is read by Arrow's multithreaded CSV reader, beside the scan, each text column as a
dictionary (``_sesnsp_arrow.py``): each distinct year, code and name is then checked once,
with the rules below, and the rows go to DuckDB as integer codes (0.6 s and 1.2 s of CPU
for the national file, where DuckDB's own typed read took 1.65 s and 2.9 s). Any other
file, or one that read fails, is read by DuckDB, every cell as text, checked cell by cell,
which names line and column. There each number is cast once, and the cast is kept only if
the cell's text is the cast's own canonical form (``c >= 0 AND c::VARCHAR = cell``;
DuckDB's parser also takes ``1e3``, ``0x10``, ``+4``, ``1_000``, `` 4``) or, for the rare
other spellings, matches the pattern of a whole number (spaces, leading zeros, ``12.0`` as
re-saved by pandas). Codes stay integers until the few distinct ones are padded. Duplicates
are ruled out by one pass over the rows in file order (SESNSP writes them in key order; a
grouping decides otherwise); the rows are then joined to the catalogue and the tidied names
(ENUMs) and sorted as the Parquet snapshot is written, with no sorted copy stored in
between. The snapshot keeps the file's wide shape (twelve month columns, official names and
codes): writing the ~32 M long rows instead cost as much as the raw load itself; queries
read long rows through :func:`long_rows`. It keeps dictionaries for the names only: for the
numbers zstd over plain values is as small and a third cheaper to write.

``civica ingest sesnsp`` starts Arrow's read of its first file before Django starts
(:func:`prefetch`), so that Django's start costs no wall time of its own.
"""

from __future__ import annotations

import re
import shutil
import uuid
from pathlib import Path

import duckdb

from civica.sources._sesnsp_bytes import _scan, _transcoded
from civica.sources._sesnsp_kinds import KINDS, MONTHS, Kind, SesnspFile
from civica.sources._sesnsp_reading import (
    _TYPED,
    Prefetch,
    _header,
    _kind,
    _read_ahead,
    _ReadAhead,
    _Reading,
    _Session,
    _start_prefetch,
)
from civica.sources.errors import SourceError
from civica.sources.errors import message as _
from civica.sources.sesnsp_catalog import fold
from civica.sources.sesnsp_snapshot import SNAPSHOT_MONTHS, long_rows

__all__ = [
    "KINDS",
    "MONTHS",
    "SNAPSHOT_MONTHS",
    "Kind",
    "Prefetch",
    "SesnspFile",
    "cut_from_name",
    "long_rows",
    "prefetch",
    "read_sesnsp",
]


def read_sesnsp(
    path: str | Path,
    *,
    output: str | Path,
    cut: str | None = None,
    connection: duckdb.DuckDBPyConnection | None = None,
    prefetch: Prefetch | None = None,
) -> SesnspFile:
    """Read one SESNSP file exactly as published and write its tidy Parquet to ``output``.

    Parameters
    ----------
    path
        A ``.csv``, ``.csv.gz`` or ``.zip`` holding one CSV (told apart by their bytes).
    output
        The Parquet file to write. It is touched only after every check has passed, by
        renaming a finished file in the same folder, so a failed read leaves it as it was.
    cut
        Publication cut ``YYYY-MM``; by default read from the file name (``IDEFC_NM_nov24``).
    connection
        A DuckDB connection to work in (temporary tables are dropped afterwards); by default
        a private in-memory one limited to :data:`MEMORY_LIMIT`.
    prefetch
        Arrow's read of ``path`` started earlier (:func:`prefetch`): its rows are used if it
        read this file, unchanged, as what the reading finds it to be; it is stopped either
        way by the time this returns.

    Returns
    -------
    SesnspFile
        What was read. The Parquet file holds one row per area × crime × year (× sex × age
        range): ``year SMALLINT, state_code, municipality_code, municipality_name,
        bien_juridico, tipo, subtipo, modalidad, sex, age_range VARCHAR, month_01 …
        month_12 INTEGER``, where a month is NULL when not reported yet and the municipal
        and demographic columns are NULL where the kind has none. Rows are sorted by state,
        municipality, year, crime (catalogue order), sex and age range.
        :func:`long_rows` turns it into one row per month (``year, month, …, value``).

    Raises
    ------
    SourceError
        For anything that is not a well-formed SESNSP file, naming the file, the line and
        the column (or the crime category).
    """
    path, output = Path(path), Path(output)
    cut = _checked_cut(path, cut) if cut is not None else cut_from_name(path.name)
    output.parent.mkdir(parents=True, exist_ok=True)
    scratch = output.parent / f".{output.name}.{uuid.uuid4().hex[:12]}"
    scratch.mkdir()
    ahead = None
    try:
        with _Session(connection, scratch) as session:
            try:
                ahead = _read_ahead(path, session, _first_bytes(path), prefetch)
                plain, scan = _scan(
                    path,
                    scratch / "source.csv",
                    numeric_tail=len(MONTHS),
                    watch=ahead and _watch(ahead),
                )
                encoding = scan.encoding()
                kind = _kind(path, _header(path, scan, encoding))
                if encoding == "cp1252":
                    plain = _transcoded(path, plain, scratch / "source-utf8.csv")
                typed = _typed(scan)
                if ahead is not None and not ahead.fits(plain, kind, encoding, typed):
                    ahead.stop()
            except BaseException:
                if ahead is not None:
                    ahead.stop()
                raise
            if ahead is not None and not ahead.stopped:
                reading = ahead.reading
                reading.source_sha256, reading.ahead = scan.source_sha256, ahead
            else:
                reading = _Reading(
                    path,
                    plain,
                    kind,
                    encoding,
                    session,
                    scan.source_sha256,
                    typed=typed,
                )
            reading.data_lines = scan.lines() - 1
            try:
                result = reading.run(output, cut)
            finally:
                if ahead is not None:
                    ahead.thread.join()
    finally:
        if prefetch is not None:
            prefetch.stop()
        shutil.rmtree(scratch, ignore_errors=True)
    return result


def prefetch(path: str | Path) -> Prefetch | None:
    """Start Arrow's read of a plain SESNSP file in a thread, before anything else needs it
    (``civica ingest sesnsp`` starts it before Django), for :func:`read_sesnsp` to use;
    ``None`` when the file's first bytes do not say enough (a compressed file, no header).
    It checks nothing itself: whatever it reads is used only after the byte scan has proved
    the file, and errors are those of :func:`read_sesnsp`."""
    path = Path(path)
    return _start_prefetch(path, _first_bytes(path))


def _typed(scan) -> tuple[str, ...]:
    """The columns the fast read may read straight as integers: the months, when the byte
    scan proved each one plain digits or nothing (Arrow's integer reading takes `` 4``,
    ``-4`` and ``0x10``, which the checks refuse or read otherwise)."""
    return _TYPED if scan.numeric_tail_is_plain() else ()


def _first_bytes(path: Path) -> bytes:
    """The bytes the scan keeps as the file's head (its header line), or none."""
    try:
        with path.open("rb") as handle:
            return handle.read(65536)
    except OSError:
        return b""  # the scan says why


def _watch(ahead: _ReadAhead):
    """Stop the read ahead as soon as the scan knows it assumed wrong."""

    def watch(scan) -> None:
        if not ahead.stopped and (
            scan.numeric_tail_failed() or not scan.could_be(ahead.reading.encoding)
        ):
            ahead.stop()

    return watch


# --- publication cut -------------------------------------------------------------------

_MONTH_WORDS = {
    "enero": 1, "ene": 1, "febrero": 2, "feb": 2, "marzo": 3, "mar": 3, "abril": 4, "abr": 4,
    "mayo": 5, "may": 5, "junio": 6, "jun": 6, "julio": 7, "jul": 7, "agosto": 8, "ago": 8,
    "septiembre": 9, "sept": 9, "sep": 9, "octubre": 10, "oct": 10, "noviembre": 11,
    "nov": 11, "diciembre": 12, "dic": 12,
}  # fmt: skip
_CUT_IN_NAME = re.compile(
    r"(?<![a-z])(" + "|".join(sorted(_MONTH_WORDS, key=len, reverse=True)) + r")"
    r"[\s_.-]*(\d{4}|\d{2})(?!\d)"
)
_CUT = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def cut_from_name(name: str) -> str | None:
    """The cut ``YYYY-MM`` that SESNSP writes into its file names, or ``None``.

    ``IDVFC_NM_ene25`` → ``2025-01``; ``Municipal-Delitos - Noviembre 2025 (2015-2025).csv``
    and ``Municipal-Delitos-2015-2025_nov2025.csv`` → ``2025-11``.
    """
    matches = list(_CUT_IN_NAME.finditer(fold(name)))
    if not matches:
        return None
    word, year = matches[-1].groups()
    return f"{int(year) + (2000 if len(year) == 2 else 0)}-{_MONTH_WORDS[word]:02d}"


def _checked_cut(path: Path, cut: str) -> str:
    if not _CUT.match(cut.strip()):
        raise SourceError(
            _("The cut “%(cut)s” is not a month written YYYY-MM (for example 2025-01).")
            % {"cut": cut},
            file=path,
            field="cut",
        )
    return cut.strip()
