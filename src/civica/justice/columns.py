"""The numbers every civic-justice figure reads of each case, kept by juzgado and month.

Every figure of :mod:`civica.justice.analysis` reads, for the cases of a period and scope, a
dozen numbers per case: the local month and instants of presentation and resolution, the
hours to resolution, the grouping keys the case stores (sex, age, offence family, sanction),
the person's linking key, whether a minor, and one integer of **flags** — one bit per
condition the indicators count (:func:`conditions`: medical certificate, tamizaje, risk
level, sanction, commutation, arrest within 36 hours…), evaluated by the database, the one
place those rules are written. No name, no birth date.

Read from the cases, those numbers cost a scan of the period and a Python object per value
(a year of 350,000 presentations: about 2 s). They are kept instead, one blob of columns per
juzgado and local month of presentation (``CaseMonth``), stamped with the number of changes
of that month's cases that database triggers count (``CaseMonthChange``, migration 0008:
every insert, update and delete of a case, whatever writes it — a form, an import,
``QuerySet.update``, plain SQL). A kept month is used only while its count is the one read
before it was built; any other month is built again from its cases, alone, and kept. So
a night's intakes make the next view read one month again, not three years; a figure is
never older than its records. A change committed while a month is being built leaves the
month stamped with the count of before, so it is built again at the next read.

A month's blob is a JSON header and the columns' raw bytes (read without pickle); text
columns are codes into the month's own list of values.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import numpy as np
from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import DatabaseError, connection, transaction
from django.db.models import Count, Sum

from civica.justice.measures import MEASURES
from civica.justice.models import Case, CaseMonth, CaseMonthChange, Juzgado, Sanction

__all__ = ["LAYOUT", "Columns", "bounds", "conditions", "month_of", "read", "refresh"]

log = logging.getLogger(__name__)

#: The layout of the kept columns (and of the flags): kept months of another layout are
#: built again. Change it whenever :func:`conditions` or the columns change.
LAYOUT = 2

# PostgreSQL: a month's change rows are folded into one when a reader sees more than this.
FOLD_AT = 50

# --- What each case counts as: the conditions, one flag bit each. -------------------------

_START = "COALESCE(justice_case.detained_at, justice_case.presented_at)"
_RESOLVED = "justice_case.resolved_at IS NOT NULL"
_RESPONSIBLE = f"{_RESOLVED} AND justice_case.responsible"
_HOURS = "justice_case.community_hours > 0"
_ARRESTS = f"{_RESOLVED} AND justice_case.sanction = '{Sanction.ARREST}'"
_SCREENED = "justice_case.screened_at IS NOT NULL"


def _micros(later: str, earlier: str) -> str:
    """SQL: whole microseconds from ``earlier`` to ``later`` (two datetime columns)."""
    if connection.vendor == "postgresql":
        return f"(EXTRACT(EPOCH FROM ({later} - {earlier})) * 1000000)::bigint"

    # Django keeps 'YYYY-MM-DD HH:MM:SS[.ffffff]' in UTC: seconds, then the fraction.
    def fraction(column: str) -> str:
        return f"CAST(substr({column} || '.000000', 21, 6) AS INTEGER)"

    return (
        f"((CAST(strftime('%%s', {later}) AS INTEGER) - CAST(strftime('%%s', {earlier}) "
        f"AS INTEGER)) * 1000000 + {fraction(later)} - {fraction(earlier)})"
    )


def _custody_within_36h() -> str:
    """SQL: the time from the detention (or else the presentation) to the resolution is at
    most 36 hours, exactly (microseconds on SQLite, whose datetimes are UTC text)."""
    if connection.vendor == "postgresql":
        return f"justice_case.resolved_at - {_START} <= INTERVAL '36 hours'"
    return f"{_micros('justice_case.resolved_at', _START)} <= {36 * 3600 * 10**6}"


def conditions() -> dict[str, str]:
    """Name → SQL condition of every count the indicators divide, in the order of their
    flag bits (the literals are choices of the models, never input)."""
    out = {
        "presentations": "1 = 1",
        "medical": "justice_case.medical_at IS NOT NULL",
        "screened": _SCREENED,
        "rnd": "justice_case.rnd_folio <> ''",
        "resolved": _RESOLVED,
        "responsible": _RESPONSIBLE,
        "alternative": f"{_RESPONSIBLE} AND ({_HOURS} OR justice_case.sanction = "
        f"'{Sanction.MEASURE}')",
        "commutation_asked": "justice_case.commutation IN ('asked', 'granted', 'denied')",
        "commutation_granted": "justice_case.commutation = 'granted'",
        "work_closed": f"{_HOURS} AND justice_case.closure IN ('complied', 'noncompliance')",
        "work_complied": f"{_HOURS} AND justice_case.closure = 'complied'",
        "arrests": _ARRESTS,
        "arrests_36h": f"{_ARRESTS} AND COALESCE(justice_case.arrest_hours, 0) <= 36 "
        f"AND {_custody_within_36h()}",
    }
    for level in MEASURES["risk_level"].choices:
        out[f"risk_{level}"] = f"{_SCREENED} AND justice_case.risk_level = '{level}'"
    for sanction in MEASURES["sanction_mix"].choices:
        out[f"sanction_{sanction}"] = f"{_RESPONSIBLE} AND justice_case.sanction = '{sanction}'"
    return out


def _epoch_seconds(column: str) -> str:
    """SQL: whole seconds since 1970 (UTC, floored) of a datetime column; ``NULL`` stays."""
    if connection.vendor == "postgresql":
        return f"FLOOR(EXTRACT(EPOCH FROM {column}))::bigint"
    return f"CAST(strftime('%%s', {column}) AS INTEGER)"


# --- The columns. ------------------------------------------------------------------------

#: Text columns (codes into the month's values).
_TEXT = ("sex", "family", "sanction")
#: Numbers that may be missing (float64, NaN).
_MAYBE = ("resolved", "age_years", "micros")


def _selects() -> list[tuple[str, str]]:
    """(column, SQL) of what is kept of each case, in order."""
    flags = " + ".join(
        f"(CASE WHEN {condition} THEN {1 << bit} ELSE 0 END)"
        for bit, condition in enumerate(conditions().values())
    )
    return [
        ("month", "justice_case.presented_month"),
        ("presented", _epoch_seconds("justice_case.presented_at")),
        ("resolved", _epoch_seconds("justice_case.resolved_at")),
        ("flags", f"({flags})"),
        ("age_years", "justice_case.age_years"),
        ("sex", "justice_case.sex"),
        ("family", "justice_case.family"),
        ("sanction", "justice_case.sanction"),
        # A case without a linked person is a person of its own.
        ("person", "COALESCE(justice_case.person_key, -justice_case.id)"),
        ("minor", "justice_case.minor"),
        ("micros", "justice_case.resolution_micros"),
    ]


@dataclass(frozen=True)
class Columns:
    """The kept numbers of a set of cases, one NumPy array each (same length): ``juzgado``,
    ``month`` (``year * 12 + month - 1``), ``presented`` (UTC epoch seconds), ``resolved``
    (epoch seconds, NaN until resolved), ``flags`` (bit ``i`` = the ``i``-th of
    :func:`conditions`), ``age_years`` (NaN unknown), ``sex``/``family``/``sanction`` (the
    stored text), ``person`` (linking key), ``minor`` (bool), ``micros`` (to resolution,
    NaN until resolved)."""

    arrays: dict[str, np.ndarray]

    def __len__(self) -> int:
        return len(self.arrays["presented"])

    def __getitem__(self, name: str) -> np.ndarray:
        return self.arrays[name]

    def where(self, mask: np.ndarray) -> Columns:
        return Columns({name: values[mask] for name, values in self.arrays.items()})

    def flag(self, name: str) -> np.ndarray:
        """Whether each case meets the condition ``name`` of :func:`conditions`."""
        bit = list(conditions()).index(name)
        return (self.arrays["flags"] >> bit) & 1 == 1


def _empty() -> dict[str, np.ndarray]:
    out = {"juzgado": np.empty(0, np.int64)}
    for name, _sql in _selects():
        if name in _TEXT:
            out[name] = np.empty(0, dtype=object)
        elif name in _MAYBE:
            out[name] = np.empty(0, np.float64)
        elif name == "minor":
            out[name] = np.empty(0, bool)
        else:
            out[name] = np.empty(0, np.int64)
    return out


def _arrays(rows: list[tuple]) -> dict[str, np.ndarray]:
    """The fetched rows (in :func:`_selects` order) as columns."""
    if not rows:
        return {k: v for k, v in _empty().items() if k != "juzgado"}
    out = {}
    for index, (name, _sql) in enumerate(_selects()):
        values = [row[index] for row in rows]
        if name in _TEXT:
            out[name] = np.array(["" if v is None else v for v in values], dtype=object)
        elif name in _MAYBE:
            out[name] = np.array([np.nan if v is None else v for v in values], np.float64)
        elif name == "minor":
            out[name] = np.array(values, dtype=bool)  # SQLite answers 0/1
        else:
            out[name] = np.array(values, dtype=np.int64)
    return out


#: How each column is stored (the smallest exact type): text as codes into the month's
#: values, the age (whole years, or NaN) in float32; ``month`` is the blob's own.
_STORED = {
    "presented": "<i8",
    "resolved": "<f8",
    "flags": "<i4",
    "age_years": "<f4",
    "sex": "<i2",
    "family": "<i2",
    "sanction": "<i2",
    "person": "<i8",
    "minor": "|b1",
    "micros": "<f8",
}


def _encode(arrays: dict[str, np.ndarray]) -> bytes:
    """One blob: a JSON header (rows, each column's type and place, the text values), then
    the columns' bytes. No pickle: a blob read back can only be numbers and those texts."""
    header: dict = {"rows": len(arrays["presented"]), "columns": [], "values": {}}
    chunks, offset = [], 0
    for name, dtype in _STORED.items():
        values = arrays[name]
        if name in _TEXT:
            uniques, values = np.unique(values.astype(str), return_inverse=True)
            header["values"][name] = uniques.tolist()
        raw = np.ascontiguousarray(values, dtype=dtype).tobytes()
        header["columns"].append([name, dtype, offset, len(raw)])
        chunks.append(raw)
        offset += len(raw)
    head = json.dumps(header).encode()
    return len(head).to_bytes(4, "little") + head + b"".join(chunks)


def _decode(data: bytes, month: int) -> dict[str, np.ndarray]:
    data = bytes(data)
    size = int.from_bytes(data[:4], "little")
    header = json.loads(data[4 : 4 + size])
    body = memoryview(data)[4 + size :]
    out = {"month": np.full(header["rows"], month, np.int64)}
    for name, dtype, offset, length in header["columns"]:
        values = np.frombuffer(body[offset : offset + length], dtype=dtype)
        if name in _TEXT:
            values = np.array(header["values"][name], dtype=object)[values]
        elif name == "age_years":
            values = values.astype(np.float64)
        out[name] = values
    return out


# --- Months and instants. ----------------------------------------------------------------


def month_of(day: dt.date) -> int:
    """``Case.presented_month`` of a local date."""
    return day.year * 12 + day.month - 1


def _month_start(month: int) -> dt.datetime:
    day = dt.date(month // 12, month % 12 + 1, 1)
    return dt.datetime.combine(day, dt.time.min, tzinfo=ZoneInfo(settings.TIME_ZONE))


def bounds(start: dt.date | None, end: dt.date | None) -> tuple:
    """The instants of local midnight of ``start`` and of the day after ``end``."""
    local = ZoneInfo(settings.TIME_ZONE)
    low = None if start is None else dt.datetime.combine(start, dt.time.min, tzinfo=local)
    high = (
        None
        if end is None
        else dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=local)
    )
    return low, high


# --- Versions, building, keeping. --------------------------------------------------------


def _juzgados(municipality_ids: Iterable[int] | None) -> list[int]:
    juzgados = Juzgado.objects.all()
    if municipality_ids is not None:
        juzgados = juzgados.filter(municipality_id__in=list(municipality_ids))
    return sorted(juzgados.values_list("id", flat=True))


def _versions(juzgados: list[int], first: int, last: int | None) -> dict[tuple, int]:
    """(juzgado, month) → count of changes, for every month the triggers saw a case in."""
    changes = CaseMonthChange.objects.filter(juzgado_id__in=juzgados, month__gte=first)
    if last is not None:
        changes = changes.filter(month__lte=last)
    found, crowded = {}, []
    for juzgado, month, version, rows in (
        changes.values("juzgado_id", "month")
        .annotate(version=Sum("changes"), rows=Count("id"))
        .order_by()
        .values_list("juzgado_id", "month", "version", "rows")
    ):
        found[(juzgado, month)] = int(version)
        if rows > FOLD_AT:
            crowded.append((juzgado, month))
    if crowded and connection.vendor == "postgresql":
        _fold(crowded)
    return found


def _fold(keys: list[tuple]) -> None:
    """Replace the change rows of ``keys`` this transaction sees by one row per month holding
    their sum (the version is unchanged). Rows another writer appends meanwhile are not
    seen, so not deleted; two readers folding at once: the second deletes only what the
    first left, and adds only what it deleted."""
    pairs = ", ".join("(%s, %s)" for _key in keys)
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "WITH gone AS (DELETE FROM justice_casemonthchange WHERE (juzgado_id, month) "  # noqa: S608 - placeholders only
                f"IN ({pairs}) RETURNING juzgado_id, month, changes) INSERT INTO "
                "justice_casemonthchange (juzgado_id, month, changes) SELECT juzgado_id, "
                "month, SUM(changes) FROM gone GROUP BY juzgado_id, month",
                [value for key in keys for value in key],
            )
    except DatabaseError as error:  # the rows stay: the version is the same either way
        log.warning("changes of kept case months not folded: %s", error)


def _build(juzgado: int, months: list[int]) -> dict[int, dict[str, np.ndarray]]:
    """The columns of ``months`` of one juzgado, read from its cases (one range query)."""
    low, high = _month_start(months[0]), _month_start(months[-1] + 1)
    cases = (
        Case.objects.filter(juzgado_id=juzgado, presented_at__gte=low, presented_at__lt=high)
        .order_by()
        .values_list("id")
    )
    try:
        sql, params = cases.query.sql_with_params()
    except EmptyResultSet:  # pragma: no cover - the filters above always match something
        rows = []
    else:
        selects = ", ".join(expression for _name, expression in _selects())
        # The ORM's FROM and WHERE (scope and range) with the columns of _selects: SQL of
        # this module, never input.
        sql = f"SELECT {selects}{sql[sql.index(' FROM ') :]}"  # noqa: S608
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
    arrays = _arrays(rows)
    out = {}
    for month in months:
        mask = arrays["month"] == month
        out[month] = {name: values[mask] for name, values in arrays.items()}
    return out


@contextlib.contextmanager
def _without_waiting():
    """A write that does not wait for another writer: a view keeps months only when the
    database is free at once (else the next view builds them), rather than waiting behind
    an import (SQLite's busy timeout: 20 s) or another transaction's row locks."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA busy_timeout")
            (waited,) = cursor.fetchone()
            cursor.execute("PRAGMA busy_timeout = 0")
            try:
                yield
            finally:
                cursor.execute(f"PRAGMA busy_timeout = {int(waited)}")
        else:
            cursor.execute("SET LOCAL lock_timeout = '1s'")  # this transaction only
            yield


def _keep(built: dict[tuple, dict], versions: dict[tuple, int]) -> None:
    """Store the built months with the versions read before building. A write that fails
    (the database busy with another writer) leaves the figures computed, the months not
    kept."""
    rows = [
        CaseMonth(
            juzgado_id=juzgado,
            month=month,
            layout=LAYOUT,
            version=versions[(juzgado, month)],
            rows=len(arrays["presented"]),
            data=_encode(arrays),
        )
        for (juzgado, month), arrays in built.items()
    ]
    try:
        with transaction.atomic(), _without_waiting():
            CaseMonth.objects.bulk_create(
                rows,
                batch_size=100,
                update_conflicts=True,
                unique_fields=["juzgado", "month"],
                update_fields=["layout", "version", "rows", "data", "built_at"],
            )
    except DatabaseError as error:
        log.warning("case months not kept: %s", error)


def _runs(months: list[int]) -> list[list[int]]:
    """Sorted months in runs of consecutive ones (one range query each)."""
    runs: list[list[int]] = []
    for month in months:
        if runs and runs[-1][-1] == month - 1:
            runs[-1].append(month)
        else:
            runs.append([month])
    return runs


def _months(juzgados: list[int], first: int, last: int | None, *, data: bool):
    """The count of changes of every month (``_versions``) and the months kept at that
    count: key → blob (``None`` without ``data``: a caller that only builds what is stale
    reads no kept blob)."""
    versions = _versions(juzgados, first, last)
    kept = CaseMonth.objects.filter(juzgado_id__in=juzgados, month__gte=first, layout=LAYOUT)
    if last is not None:
        kept = kept.filter(month__lte=last)
    fields = ("juzgado_id", "month", "version", "data")[: 4 if data else 3]
    fresh = {}
    for juzgado, month, version, *blob in kept.values_list(*fields):
        if versions.get((juzgado, month)) == version:
            fresh[(juzgado, month)] = blob[0] if blob else None
    return versions, fresh


def _build_stale(versions: dict[tuple, int], fresh: dict) -> dict[tuple, dict]:
    """The months not kept at their count, read from the cases (one range query per run
    of months of a juzgado) and kept."""
    stale: dict[int, list[int]] = {}
    for juzgado, month in sorted(set(versions) - set(fresh)):
        stale.setdefault(juzgado, []).append(month)
    built = {}
    for juzgado, months in stale.items():
        for run in _runs(months):
            for month, arrays in _build(juzgado, run).items():
                built[(juzgado, month)] = arrays
    if built:
        _keep(built, versions)
    return built


def read(municipality_ids: Iterable[int] | None, *, first: int, last: int | None = None) -> Columns:
    """The columns of the cases of the municipalities (``None``: all) presented in the local
    months ``first`` to ``last`` (``None``: every later one): the kept months whose count of
    changes is unchanged, the others built from the cases and kept."""
    versions, fresh = _months(_juzgados(municipality_ids), first, last, data=True)
    parts = {key: _decode(blob, key[1]) for key, blob in fresh.items()}
    parts.update(_build_stale(versions, fresh))
    return _join(parts)


def _join(parts: dict[tuple, dict]) -> Columns:
    if not parts:
        return Columns(_empty())
    keys = sorted(parts)
    out = {
        "juzgado": np.concatenate(
            [np.full(len(parts[k]["presented"]), k[0], np.int64) for k in keys]
        )
    }
    for name in parts[keys[0]]:
        out[name] = np.concatenate([parts[k][name] for k in keys])
    return Columns(out)


def refresh(municipality_ids: Iterable[int] | None = None) -> int:
    """Build and keep every month whose kept columns are missing or older than its cases
    (after an import or ``migrate``, so the first view reads kept months), without reading
    the months already kept; the number of cases read from the cases."""
    versions, fresh = _months(_juzgados(municipality_ids), 0, None, data=False)
    return sum(len(arrays["presented"]) for arrays in _build_stale(versions, fresh).values())
