"""One way to import a CSV file of records: read, stage, write, audit, summarize.

Every CSV import command (persons, instruments, activities, coverage, alliances, indicators,
targets, interventions) goes through :func:`import_records`:

1. **Read** with :func:`civica.sources.records.read_records` (encoding, header, cell counts and
   sizes checked); its coded errors are translated here, with the file, line and column.
2. **Lock** the dataset (:func:`dataset_lock`): two imports of the same kind of records never
   run at once — a PostgreSQL advisory lock, or a lock file beside the SQLite database — so
   two copies of a file imported together cannot both pass the duplicate checks.
3. **Stage**: the importer checks every row and prepares what it will write, reading only.
   Every problem is collected (line, column, message, in the user's language); any problem
   refuses the whole file before anything is written.
4. **Write** in one transaction; or, for large files, **stage and apply**: the importer's
   ``write`` puts each batch of at most ``batch_size`` rows into staging tables
   (:mod:`civica.core.staging`) in a transaction of its own — so that on SQLite the write
   lock is never held for long and log-ins and audited page views keep working — and its
   ``apply`` copies them into the served tables in ONE short transaction with the audit
   entry. A kill at any moment leaves either the data served before or the whole file, never
   part of it (``participants/tests/test_kill_during_import.py``). (Importers given ``undo`` instead
   write batches straight into the served tables and undo them if a later batch fails;
   a kill between batches leaves the earlier ones.)
5. **Audit** one entry for the file (dataset, file name, rows, created, updated), and return
   an :class:`ImportSummary`.

A progress callback ``progress(done, total)`` is called after each written batch (for
importers that write the whole file in one transaction, after each ``batch_size`` items when
they pass ``split=True``), so a command line or a background job can show how far the write
is.
"""

from __future__ import annotations

import contextlib
import fcntl
import gc
import hashlib
import os
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils.translation import gettext as _

from civica.audit.services import Action, record
from civica.sources.records import RecordError, Records, read_records

__all__ = [
    "BATCH_SIZE",
    "ImportBusy",
    "ImportFailed",
    "ImportSummary",
    "Problem",
    "RowError",
    "dataset_lock",
    "import_records",
    "read",
    "stage_rows",
    "write_rows",
]

# Rows written per transaction when an importer can undo: a fraction of a second of SQLite's
# write lock at the importers' speed, far below the busy timeout other writers wait.
BATCH_SIZE = 1000
# SQLite lets a waiting writer in only when it retries, at most every 100 ms (its busy
# handler's longest sleep): without a pause the next batch took the lock first, every time,
# and a log-in waited for the whole import.
SQLITE_PAUSE = 0.15
# ... but not after every batch: a pause once the import has held the lock in turns for a
# quarter of a second lets a waiting writer in as surely, and a fast import no longer spends half
# its time pausing (a waiter waits at most this plus one batch, far below the busy timeout).
SQLITE_HOLD = 0.25
# Problems listed for one refused file: enough to fix a column's worth of mistakes at once.
MAX_PROBLEMS = 100
# Seconds an import waits for another import of the same dataset before it is refused.
LOCK_WAIT = 10.0


class RowError(Exception):
    """A bad cell, raised by an importer's row check; becomes a :class:`Problem`."""

    def __init__(self, column: str, message: str, *, line: int | None = None):
        super().__init__(message)
        self.column = column
        self.message = message
        self.line = line


@dataclass(frozen=True)
class Problem:
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        if not self.line:
            return self.message
        if not self.column:
            return _("line %(line)s: %(message)s") % {"line": self.line, "message": self.message}
        return _("line %(line)s, column “%(column)s”: %(message)s") % {
            "line": self.line,
            "column": self.column,
            "message": self.message,
        }


class ImportFailed(ValueError):
    """The file was refused and nothing was written; ``problems`` say where and why."""

    def __init__(self, problems: Sequence[Problem], *, file: str = ""):
        self.problems = list(problems)
        self.file = file
        # Written now, in the language of the user who imported.
        prefix = f"{file}, " if file else ""
        self._lines = [prefix + str(p) for p in self.problems]
        super().__init__(str(self))

    @property
    def errors(self) -> list[Problem]:
        return self.problems

    def lines(self) -> list[str]:
        return list(self._lines)

    def __str__(self) -> str:
        return "\n".join(self._lines)


class ImportBusy(ImportFailed):
    """Another import of the same dataset is running."""


class ImportSummary(dict):
    """``{"created": n, "updated": n}``; ``ids`` lists what was created (pseudonymous ids
    for persons), ``rows`` the rows read."""

    def __init__(self, created: int = 0, updated: int = 0, *, ids=(), rows: int = 0):
        super().__init__(created=created, updated=updated)
        self.ids = list(ids)
        self.rows = rows

    @property
    def created(self) -> int:
        return self["created"]

    @property
    def updated(self) -> int:
        return self["updated"]

    def line(self, what: str) -> str:
        return _("%(what)s: %(created)d created, %(updated)d updated.") % {
            "what": what,
            "created": self["created"],
            "updated": self["updated"],
        }


def _message(error: RecordError) -> str:
    params = dict(error.params)
    messages = {
        "unreadable": _("the file could not be read (%(reason)s)."),
        "empty": _("the file is empty; the first line names the columns."),
        "encoding": _(
            "byte %(byte)s cannot be read as text; save the file as “CSV UTF-8” and import "
            "it again."
        ),
        "nul": _("the file contains a NUL byte (not text); export it again as CSV."),
        "malformed": _("this line cannot be read as CSV (%(reason)s); check its quotes."),
        "no_header": _("the first line must name the columns."),
        "blank_column": _("a column has no name in the first line."),
        "duplicate_column": _("this column appears twice in the first line; keep one."),
        "missing_columns": _("missing columns %(columns)s (expected %(expected)s)."),
        "unknown_columns": _("unknown columns %(columns)s (expected %(expected)s)."),
        "too_many_cells": _(
            "this line has %(cells)d cells but the first line names %(expected)d columns; "
            "quote cells that contain a comma."
        ),
        "too_few_cells": _(
            "this line has %(cells)d cells but the first line names %(expected)d columns."
        ),
        "cell_too_long": _("the cell has %(chars)d characters; at most %(limit)d are accepted."),
    }
    return messages.get(error.code, error.code) % params


def problem_of(error: RecordError) -> Problem:
    column = error.column or ""
    if not column and error.column_number:
        column = str(error.column_number)
    return Problem(error.line or 0, column, _message(error))


def read(
    source: Path | str | bytes, *, known: Iterable[str], required: Iterable[str], name: str = ""
) -> Records:
    """The file's checked rows, or :class:`ImportFailed` naming the file, line and column."""
    if isinstance(source, str) and not name:
        name = ""
    try:
        return read_records(source, known=known, required=required, name=name)
    except RecordError as error:
        file = name or (source.name if isinstance(source, Path) else "")
        raise ImportFailed([problem_of(error)], file=file) from None


def _problems_of(error: Exception, line: int, field_to_column: dict[str, str]) -> list[Problem]:
    if isinstance(error, RowError):
        return [Problem(error.line or line, error.column, error.message)]
    if isinstance(error, PermissionDenied):
        return [Problem(line, "", str(error))]
    if hasattr(error, "error_dict"):
        return [
            Problem(
                line,
                field_to_column.get(name, "" if name == "__all__" else name),
                " ".join(ValidationError(messages).messages),
            )
            for name, messages in error.error_dict.items()
        ]
    return [Problem(line, "", " ".join(error.messages))]


def stage_rows(
    records: Records,
    check: Callable[[int, dict], object],
    *,
    field_to_column: dict[str, str] | None = None,
) -> list:
    """``check(line, row)`` for every row; the values it returns, or :class:`ImportFailed`
    with every problem (``RowError``, ``ValidationError``, ``PermissionDenied``) found."""
    staged, problems = [], []
    for line, row in records:
        try:
            staged.append(check(line, row))
        except (RowError, ValidationError, PermissionDenied) as error:
            problems += _problems_of(error, line, field_to_column or {})
            if len(problems) >= MAX_PROBLEMS:
                break
    if problems:
        raise ImportFailed(problems, file=records.name)
    return staged


def _lock_key(dataset: str) -> int:
    digest = hashlib.sha256(f"civica-import:{dataset}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def _lock_file(dataset: str) -> Path:
    name = str(settings.DATABASES["default"]["NAME"])
    if name and ":memory:" not in name and "mode=memory" not in name:
        folder = Path(name).resolve().parent
    else:
        folder = Path(tempfile.gettempdir())
    digest = hashlib.sha256(f"{name}|{dataset}".encode()).hexdigest()[:16]
    return folder / f".civica-import-{digest}.lock"


@contextlib.contextmanager
def dataset_lock(dataset: str, *, what: str = "", wait: float = LOCK_WAIT):
    """Hold the import lock of ``dataset`` or raise :class:`ImportBusy` after ``wait`` s.

    PostgreSQL: a session advisory lock (``pg_try_advisory_lock``), released at the end or
    when the connection dies. SQLite: ``flock`` on a file beside the database, released at
    the end or when the process dies. Either way a killed import never leaves a stale lock.
    """
    deadline = time.monotonic() + wait
    if connection.vendor == "postgresql":
        key = _lock_key(dataset)
        with connection.cursor() as cursor:
            while True:
                cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
                if cursor.fetchone()[0]:
                    break
                if time.monotonic() >= deadline:
                    raise _busy(what or dataset)
                time.sleep(0.1)
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
        return
    path = _lock_file(dataset)
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        while True:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise _busy(what or dataset) from None
                time.sleep(0.1)
        try:
            yield
        finally:
            fcntl.flock(descriptor, fcntl.LOCK_UN)
    finally:
        os.close(descriptor)


def _busy(what: str) -> ImportBusy:
    return ImportBusy(
        [
            Problem(
                0,
                "",
                _(
                    "Another import of %(what)s is running; nothing was imported. Import "
                    "the file again when it has finished."
                )
                % {"what": what},
            )
        ]
    )


@dataclass
class Written:
    """What one call of an importer's ``write`` did."""

    created: int = 0
    updated: int = 0
    ids: tuple = ()


def write_rows(
    rows: Iterable[Sequence],
    one_row: Callable[..., bool],
    *,
    denied_column: str | None = None,
    id_of: Callable[[Sequence], object] | None = None,
) -> Written:
    """The ``write`` of an importer that writes its staged rows one at a time.

    Each row is a sequence whose first item is its line in the file; ``one_row(*row)`` writes
    it and returns whether it created a record (``True``) or updated one (``False``). A
    :class:`RowError` it raises is given the row's line (so ``one_row`` need not know it);
    with ``denied_column``, a ``PermissionDenied`` becomes a ``RowError`` in that column.
    ``id_of(row)`` names what a row created, for an importer that can undo.
    """
    done = Written()
    ids: list = []
    for row in rows:
        line = row[0]
        try:
            created = one_row(*row)
        except RowError as error:
            error.line = error.line or line
            raise
        except PermissionDenied as error:
            if denied_column is None:
                raise
            raise RowError(denied_column, str(error), line=line) from None
        done.created += bool(created)
        done.updated += not created
        if created and id_of is not None:
            ids.append(id_of(row))
    done.ids = tuple(ids)
    return done


def import_records(
    *,
    dataset: str,
    what: str,
    source: Path | str | bytes,
    name: str = "",
    known: Iterable[str],
    required: Iterable[str],
    actor,
    stage: Callable[[Records], list],
    write: Callable[[list], Written],
    undo: Callable[[list], None] | None = None,
    batch_size: int = BATCH_SIZE,
    progress: Callable[[int, int], None] | None = None,
    audit_detail: dict | None = None,
    apply: Callable[[], Written] | None = None,
    split: bool = False,
) -> ImportSummary:
    """Read, lock, stage, write and audit one file; see the module's description.

    Parameters
    ----------
    dataset
        Lock and audit name (``participants.Person``, ``monitoring.Activity`` …).
    what
        The records in the user's language, for the busy message.
    stage
        ``stage(records) -> list``: checks every row (reading only) and returns the items to
        write, or raises :class:`ImportFailed`.
    write
        ``write(items) -> Written``: writes items inside the transaction it is given; may raise
        :class:`RowError` (with ``line``) to refuse the file. Importers that write one row at
        a time use :func:`write_rows`.
    undo
        ``undo(ids)`` deletes what earlier batches created. Without it (and without
        ``apply``), the whole file is written in one transaction.
    apply
        ``apply() -> Written``: with it, ``write`` stages each batch (its ``Written`` counts
        what will be created) and ``apply`` makes the staged rows served, in one transaction
        with the audit entry; ``undo(ids)``, if given, then only discards the staging.
    split
        Without ``undo`` and ``apply``: ``write`` takes any part of the items, so the file,
        still written in one transaction, is written ``batch_size`` items at a time with a
        ``progress`` call after each (a progress that writes to the database sees its
        writes committed with the import's).
    """
    if isinstance(source, Path):
        name = name or source.name
    records = read(source, known=known, required=required, name=name)
    whole = undo is None and apply is None  # the whole file in one transaction
    with dataset_lock(dataset, what=what), _long_lived_frozen():
        items = stage(records)
        total = len(items)
        step = batch_size if not whole or split else max(total, 1)
        created = updated = 0
        ids: list = []
        paused = time.monotonic()
        try:
            # One transaction around every batch when the file is written whole (each batch
            # is then a savepoint); a transaction per batch otherwise.
            with transaction.atomic() if whole else contextlib.nullcontext():
                for start in range(0, max(total, 1), step):
                    last = start + step >= total
                    with transaction.atomic():
                        done = write(items[start : start + step])
                        if last and apply is None:
                            _audit(
                                actor,
                                dataset,
                                records,
                                created + done.created,
                                updated + done.updated,
                                ids + list(done.ids),
                                audit_detail,
                            )
                    created += done.created
                    updated += done.updated
                    ids += list(done.ids)
                    if progress is not None:
                        progress(min(start + step, total), total)
                    if (
                        connection.vendor == "sqlite"
                        and not whole
                        and (not last or apply)
                        and (last or time.monotonic() - paused >= SQLITE_HOLD)
                    ):
                        time.sleep(SQLITE_PAUSE)
                        paused = time.monotonic()
            if apply is not None:
                with transaction.atomic():
                    done = apply()
                    created += done.created
                    updated += done.updated
                    ids += list(done.ids)
                    _audit(actor, dataset, records, created, updated, ids, audit_detail)
        except RowError as error:
            _undo(undo, ids)
            raise ImportFailed(
                [Problem(error.line or 0, error.column, error.message)], file=records.name
            ) from None
        except (IntegrityError, ValidationError) as error:
            # Staging saw no conflict, so a record was written meanwhile by someone else.
            _undo(undo, ids)
            message = _(
                "a record was written by someone else while the file was imported (%(error)s); "
                "nothing was imported, import the file again."
            ) % {"error": getattr(error, "messages", [str(error)])[0]}
            raise ImportFailed([Problem(0, "", message)], file=records.name) from None
        except BaseException:
            _undo(undo, ids)
            raise
    return ImportSummary(created, updated, ids=ids, rows=len(records))


@contextlib.contextmanager
def _long_lived_frozen():
    """The objects that lived before the import are left out of the garbage collector's
    full passes while it runs (``gc.freeze``): an import makes objects by the hundred
    thousand, each pass walked every object of the process again, and they took a fifth of
    a persons import's time. Young objects are collected as usual; the frozen ones are
    handed back at the end."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _audit(actor, dataset, records, created, updated, ids, audit_detail) -> None:
    record(
        actor=actor,
        action=Action.CREATE if not updated else Action.UPDATE,
        object_type="core.ImportedFile",
        object_id=dataset,
        object_label=records.name[:200] or dataset,
        detail={
            "file": records.name,
            "rows": len(records),
            "created": created,
            "updated": updated,
            "ids": [str(i) for i in ids],
        }
        | (audit_detail or {}),
    )


def _undo(undo, ids) -> None:
    if undo is None:
        return
    with contextlib.suppress(DatabaseError), transaction.atomic():
        undo(ids)
