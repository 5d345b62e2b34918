"""Indicator results kept by their inputs: a second view of a page costs two queries.

Every output of the indicator table (dashboard, fact sheet and its PDF, CSV/XLSX/DHIS2,
``/api/monitoring/indicators/``, the command line) computes its figures through
:func:`compute_all`. A computation that declares what it reads (``reads=`` in
``civica.indicators.registry.register``: app labels, or ``WAREHOUSE``) has its result kept
in the database (``KeptResult``) under a key made of

* the computation and its parameters,
* the selection: period, the viewer's municipalities (scope ∩ filters), activity and the
  municipalities it covers, state and municipality filters,
* the language (reasons are sentences), the suppression threshold and the day,

together with the **versions of its inputs** read before computing: for an app, the number
of changes that database triggers on each of the app's tables counted on every insert,
update and delete (``InputChange``; the triggers are installed after every ``migrate``,
see :func:`install_triggers`), for the official statistics the ids of the live warehouse
snapshots. A kept result is used only while every version is the same, so a figure is
never older than its records: change a participant's enrollment and the people figures are
computed again, while the civic-justice figures, which do not read it, are reused.

Computations that declare nothing (``priority_crime_change`` reads the job store, already
kept by its own inputs) are computed at every view. A result waiting for a job, or holding
a number JSON cannot write (an unbounded interval), is not kept.

How the changes are counted, so that no two writers wait for each other:

* PostgreSQL: the trigger runs once per statement and **appends** a row ``(app, 1)``; an
  app's version is the sum of its rows as the reader's snapshot sees them, which counts
  only committed changes — a write not yet committed is not counted, so a value computed
  meanwhile (from the records without it) is stamped with the old version and computed
  again once it commits; a write rolled back is never counted. Appending takes no lock
  another writer waits for (one counter row per app did: writers of one app queued until
  each other's commit, and two transactions writing two apps in opposite orders could
  deadlock). Not a sequence's ``last_value``: a sequence moves before the commit, so a
  value computed from the records of before would be stamped with the new version and
  kept although wrong. When an app has more than :data:`FOLD_AT` rows, a reader folds them
  into one row holding their sum (:func:`_fold`): the sum, so the version, is unchanged.
* SQLite (one writer at a time): a row trigger adds one to the app's single row.
"""

from __future__ import annotations

import contextlib
import contextvars
import hashlib
import json
import logging
from dataclasses import dataclass, field

from django.apps import apps as django_apps
from django.conf import settings
from django.db import DatabaseError, connections, transaction
from django.utils import timezone, translation

from civica.indicators import WAREHOUSE, Cell, Context, Interval, Result, registry

__all__ = [
    "compute_all",
    "input_versions",
    "install_triggers",
    "keep_value",
    "kept_apps",
    "one_write",
]

log = logging.getLogger(__name__)

# The kept results themselves and the counts are not inputs of any figure.
_OWN_TABLES = frozenset({"monitoring_inputchange", "monitoring_keptresult"})
# Written by install_triggers: without it the changes would not be counted, so nothing is kept.
_INSTALLED = "_triggers"
_VENDORS = ("sqlite", "postgresql")
# PostgreSQL: an app's rows are folded into one when a reader sees more than this many.
FOLD_AT = 500


@dataclass
class _Scope:
    versions: dict = field(default_factory=dict)  # input → version, read once
    rows: dict = field(default_factory=dict)  # key → KeptResult, written at the end


_SCOPE: contextvars.ContextVar[_Scope | None] = contextvars.ContextVar("kept", default=None)


@contextlib.contextmanager
def one_write():
    """Within the block (a page), read each input's version once and keep every value
    computed in one write at the end, not one per table or chart: on SQLite each write
    takes the database's one write lock."""
    if _SCOPE.get() is not None:
        yield
        return
    scope = _Scope()
    token = _SCOPE.set(scope)
    try:
        yield
    finally:
        _SCOPE.reset(token)
    if scope.rows:
        _store(scope.rows)


def kept_apps() -> list[str]:
    """The app labels some registered computation reads."""
    labels = set()
    for name in registry.names():
        labels |= set(registry.get(name).reads or ())
    labels.discard(WAREHOUSE)
    return sorted(label for label in labels if label in _known_labels())


def _known_labels() -> set[str]:
    return {config.label for config in django_apps.get_app_configs()}


def _tables(label: str, existing: set[str]) -> list[str]:
    """The tables of an app whose changes are counted: not the kept results, nor a table
    whose model says ``counts_as_input = False`` (what is kept from other tables and
    follows them by its own count, such as the civic-justice case months: counting its
    writes would make every figure computed at the same time look stale)."""
    tables = []
    for model in django_apps.get_app_config(label).get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed or meta.db_table in _OWN_TABLES:
            continue
        if not getattr(model, "counts_as_input", True):
            continue
        if meta.db_table in existing:
            tables.append(meta.db_table)
    return sorted(set(tables))


_PG_FUNCTION = """
CREATE OR REPLACE FUNCTION civica_bump_input_version() RETURNS trigger AS $$
BEGIN
    INSERT INTO monitoring_inputchange (app, changes) VALUES (TG_ARGV[0], 1);
    RETURN NULL;
END
$$ LANGUAGE plpgsql
"""


def install_triggers(using: str = "default", **_kwargs) -> None:
    """Create (idempotently) the triggers that count the changes of every table of the apps
    the registered computations read. Connected to ``post_migrate`` (monitoring's
    ``AppConfig.ready``), so ``migrate``, a test database and a flush all end with them."""
    connection = connections[using]
    if connection.vendor not in _VENDORS:
        return
    existing = set(connection.introspection.table_names())
    if "monitoring_inputchange" not in existing:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(_PG_FUNCTION)
        for label in kept_apps():
            for table in _tables(label, existing):
                for sql in _trigger_sql(connection.vendor, label, table):
                    cursor.execute(sql)
        cursor.execute(
            "INSERT INTO monitoring_inputchange (app, changes) SELECT %s, 1 WHERE NOT EXISTS "
            "(SELECT 1 FROM monitoring_inputchange WHERE app = %s)",
            [_INSTALLED, _INSTALLED],
        )


def _trigger_sql(vendor: str, label: str, table: str) -> list[str]:
    if vendor == "postgresql":
        return [
            f'DROP TRIGGER IF EXISTS civica_input_version ON "{table}"',
            f"CREATE TRIGGER civica_input_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
            f'ON "{table}" FOR EACH STATEMENT EXECUTE FUNCTION '
            f"civica_bump_input_version('{label}')",
        ]
    # Table names and app labels come from Django's app registry, never from a request.
    # No conflict clause in the body: SQLite applies the firing statement's conflict policy
    # to a trigger's statements, so under an upsert (``bulk_create(update_conflicts=True)``)
    # an ``INSERT OR IGNORE`` here failed on the counter's primary key. Dropped and created
    # again at every migrate, so a workspace holding an older body gets this one. One row
    # per app, made by the first change, so the row's lookup and update stay one row's.
    sql = []
    for event in ("INSERT", "UPDATE", "DELETE"):
        name = f"civica_input_version_{table}_{event.lower()}"
        sql += [
            f'DROP TRIGGER IF EXISTS "{name}"',
            f'CREATE TRIGGER "{name}" AFTER {event} ON "{table}" BEGIN '  # noqa: S608
            f"INSERT INTO monitoring_inputchange (app, changes) SELECT '{label}', 0 "
            f"WHERE NOT EXISTS (SELECT 1 FROM monitoring_inputchange WHERE app = '{label}'); "
            f"UPDATE monitoring_inputchange SET changes = changes + 1 WHERE app = '{label}'; END",
        ]
    return sql


def _warehouse_version() -> str:
    from civica.core.services import warehouse

    manifest = warehouse().manifest()
    live = sorted((s.dataset, s.cut, s.id) for d in manifest.datasets() for s in manifest.cuts(d))
    return hashlib.sha256(json.dumps(live).encode()).hexdigest()[:16]


def input_versions(tokens) -> dict[str, str] | None:
    """The current version of each input (app label or ``WAREHOUSE``); ``None`` when this
    database counts no changes (no triggers), so nothing may be kept. Inside
    :func:`one_write`, each input is read once."""
    from django.db.models import Count, Sum

    from civica.monitoring.models import InputChange

    tokens = set(tokens)
    if connections["default"].vendor not in _VENDORS:
        return None
    scope = _SCOPE.get()
    known = scope.versions if scope is not None else {}
    wanted = ((tokens - {WAREHOUSE}) | {_INSTALLED}) - set(known)
    if wanted:
        rows = (
            InputChange.objects.filter(app__in=wanted)
            .values("app")
            .annotate(version=Sum("changes"), rows=Count("id"))
            .order_by()
        )
        found = {}
        for row in rows:
            found[row["app"]] = str(row["version"])
            if row["rows"] > FOLD_AT and connections["default"].vendor == "postgresql":
                _fold(row["app"])
        known.update({label: found.get(label) for label in wanted})
    if known.get(_INSTALLED) is None:
        return None
    versions = {label: known[label] or "0" for label in tokens - {WAREHOUSE}}
    if WAREHOUSE in tokens:
        if WAREHOUSE not in known:
            known[WAREHOUSE] = _warehouse_version()
        versions[WAREHOUSE] = known[WAREHOUSE]
    return versions


def _fold(app: str) -> None:
    """Replace the rows of ``app`` this transaction sees by one row holding their sum (the
    version is unchanged). Only rows are deleted that no writer touches again, so no writer
    waits; two readers folding at once: the second deletes only what the first left, and
    adds only what it deleted."""
    try:
        with transaction.atomic(), connections["default"].cursor() as cursor:
            cursor.execute(
                "WITH gone AS (DELETE FROM monitoring_inputchange WHERE app = %s "
                "RETURNING changes) INSERT INTO monitoring_inputchange (app, changes) "
                "SELECT %s, SUM(changes) FROM gone HAVING COUNT(*) > 0",
                [app, app],
            )
    except DatabaseError as error:  # the rows stay: the version is the same either way
        log.warning("input changes of %s not folded: %s", app, error)


def _ids(values) -> list[int] | None:
    return None if values is None else sorted(values)


def _selection(context: Context) -> list:
    return [
        context.period.label,
        context.period.start.isoformat(),
        context.period.end.isoformat(),
        _ids(context.municipality_ids),
        context.activity_id,
        _ids(context.activity_municipality_ids),
        context.state_code,
        context.municipality_code,
    ]


def _key(name: str, parts: list, day: str) -> str:
    material = [
        name,
        parts,
        translation.get_language() or "",
        settings.CIVICA_SUPPRESSION_THRESHOLD,
        day,
    ]
    text = json.dumps(material, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _stamp(reads, versions: dict[str, str]) -> str:
    return ";".join(f"{t}={versions[t]}" for t in sorted(reads))


def keep_value(name: str, parts: list, reads: tuple[str, ...], compute):
    """A JSON value that depends on ``parts`` (a JSON list) and on the records of ``reads``
    only, computed by ``compute()`` when absent or older than its inputs, else read back
    (e.g. the coverage map's drawing)."""
    from civica.monitoring.models import KeptResult

    versions = input_versions(reads)
    if versions is None:
        return compute()
    day = timezone.localdate().isoformat()
    key, stamp = _key(name, parts, day), _stamp(reads, versions)
    found = KeptResult.objects.filter(key=key).values_list("versions", "result").first()
    if found is not None and found[0] == stamp:
        return found[1]
    value = compute()
    _store({key: KeptResult(key=key, computation=name, versions=stamp, day=day, result=value)})
    return value


def _store(rows: dict) -> None:
    """Keep ``rows`` (two workers keeping the same key: the later one's row stays). A write
    that fails (SQLite busy under many users) leaves the figures computed, not kept."""
    from civica.monitoring.models import KeptResult

    scope = _SCOPE.get()
    if scope is not None:
        scope.rows.update(rows)
        return
    try:
        with transaction.atomic():
            KeptResult.objects.bulk_create(
                rows.values(),
                update_conflicts=True,
                unique_fields=["key"],
                update_fields=["computation", "versions", "day", "result", "computed_at"],
            )
            KeptResult.objects.filter(day__lt=next(iter(rows.values())).day).delete()
    except DatabaseError as error:
        log.warning("indicator results not kept: %s", error)


def _dump(result: Result) -> dict | None:
    """The result as JSON, or ``None`` when it is not to be kept."""
    if result.pending is not None:
        return None
    data = {
        "value": result.value,
        "parts": result.parts,
        "cells": [[[list(c) for c in cell.categories], cell.value] for cell in result.cells],
        "unavailable": str(result.unavailable),
        "records": None
        if result.records is None
        else [result.records[0], [list(q) for q in result.records[1]]],
        "intervals": [
            [
                i.city,
                i.city_code,
                i.intervention,
                i.change,
                i.lower,
                i.upper,
                i.adjusted_p,
                i.significant,
                i.problem,
            ]
            for i in result.intervals
        ],
    }
    try:
        json.dumps(data, allow_nan=False)
    except (TypeError, ValueError):  # an unbounded interval, a number JSON cannot hold
        return None
    return data


def _load(data: dict) -> Result:
    records = data["records"]
    return Result(
        value=data["value"],
        parts=dict(data["parts"]),
        cells=tuple(
            Cell(tuple(tuple(c) for c in categories), value) for categories, value in data["cells"]
        ),
        unavailable=data["unavailable"],
        records=None if records is None else (records[0], tuple(tuple(q) for q in records[1])),
        intervals=tuple(Interval(*item) for item in data["intervals"]),
    )


def _keepable(name: str, parameters: dict):
    """The computation when its result may be kept (declared inputs, valid parameters)."""
    try:
        registry.check(name, parameters)
    except ValueError:
        return None  # registry.compute reports it as not available, every time
    computation = registry.get(name)
    return computation if computation.reads is not None else None


def compute_all(asked) -> list[Result]:
    """The results of ``asked`` — ``(computation name, context, parameters)`` triples — in
    order: kept ones whose inputs are unchanged read back, the others computed and kept."""
    from civica.monitoring.models import KeptResult

    asked = list(asked)
    day = timezone.localdate().isoformat()
    plans = [_keepable(name, parameters) for name, _c, parameters in asked]
    tokens = {token for c in plans if c is not None for token in c.reads}
    versions = input_versions(tokens) if tokens else None
    if versions is None:
        return registry.compute_many(asked)
    keys, stamps = [], []
    for (name, context, parameters), computation in zip(asked, plans, strict=True):
        if computation is None:
            keys.append(None)
            stamps.append(None)
            continue
        keys.append(_key(name, [parameters, *_selection(context)], day))
        stamps.append(_stamp(computation.reads, versions))
    found = {
        key: (stamp, result)
        for key, stamp, result in KeptResult.objects.filter(
            key__in=[k for k in keys if k]
        ).values_list("key", "versions", "result")
    }
    scope = _SCOPE.get()
    if scope is not None:  # computed earlier in this page, not written yet
        found.update({k: (row.versions, row.result) for k, row in scope.rows.items() if k in keys})
    results: list[Result | None] = [None] * len(asked)
    missing = []
    for index, (key, stamp) in enumerate(zip(keys, stamps, strict=True)):
        if key is not None and key in found and found[key][0] == stamp:
            results[index] = _load(found[key][1])
        else:
            missing.append(index)
    refreshed = set()
    for index in missing:
        computation = plans[index]
        if computation is not None and computation.refresh and computation.refresh not in refreshed:
            computation.refresh()
            refreshed.add(computation.refresh)
    computed = registry.compute_many([asked[index] for index in missing])
    rows = {}
    for index, result in zip(missing, computed, strict=True):
        name = asked[index][0]
        results[index] = result
        if keys[index] is None:
            continue
        data = _dump(results[index])
        if data is not None:
            rows[keys[index]] = KeptResult(
                key=keys[index], computation=name, versions=stamps[index], day=day, result=data
            )
    if rows:
        _store(rows)
    return results
