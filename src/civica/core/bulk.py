"""Inserting many model instances with one ``executemany``: what an import writes in bulk.

Django's ``bulk_create`` compiles an ``INSERT`` with a placeholder and a prepared value per
field and row (about 80 % of an activities import's time went there). Here each column's
values are prepared once per column — text, numbers, booleans and keys go to the driver as
they are, other fields through the field's own ``get_db_prep_save``, encrypted fields a
column at a time (:func:`civica.core.crypto.encrypt_many`) — and the rows go in one
``executemany``. No signals are sent. A caller that needs the new primary keys asks for
``new_ids``: they are taken from the table's sequence first and inserted with the rows.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection, connections, models

from civica.core.crypto import EncryptedTextField, encrypt_many

__all__ = ["insert"]

_AS_IS = (models.CharField, models.IntegerField, models.BooleanField, models.ForeignKey)
_PLAIN = {str, int, bool, type(None)}


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def insert(
    model: type[models.Model],
    objects: Sequence[models.Model],
    *,
    table: str | None = None,
    with_pk: bool = False,
    new_ids: bool = False,
) -> None:
    """Insert ``objects`` (unsaved instances of ``model``) into ``table`` (the model's by
    default); ``with_pk`` writes the primary keys they hold, ``new_ids`` gives them new ones
    first (set on the objects), else the database gives them."""
    if not objects:
        return
    if new_ids:
        for obj, pk in zip(objects, _reserve(model, len(objects)), strict=True):
            obj.pk = pk
        with_pk = True
    fields = [f for f in model._meta.concrete_fields if with_pk or not f.primary_key]
    db = connections[connection.alias]  # the connection itself, not the proxy: faster
    columns = []
    for field in fields:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            raw = [field.pre_save(obj, True) for obj in objects]
        else:
            raw = [getattr(obj, field.attname) for obj in objects]
        if isinstance(field, EncryptedTextField):
            values = encrypt_many(["" if v is None else str(v) for v in raw])
        elif isinstance(field, _AS_IS) or field.primary_key:
            # Text, integers, booleans and keys go to the driver as they are.
            values = [v if type(v) in _PLAIN else field.get_db_prep_save(v, db) for v in raw]
        else:
            values = [field.get_db_prep_save(v, db) for v in raw]
        columns.append(values)
    names = ", ".join(_quote(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    target = _quote(table or model._meta.db_table)
    sql = f"INSERT INTO {target} ({names}) VALUES ({marks})"  # noqa: S608 (names, not values)
    with connection.cursor() as cursor:
        cursor.executemany(sql, list(zip(*columns, strict=True)))


def _reserve(model: type[models.Model], n: int) -> range | list[int]:
    """``n`` primary keys no other writer will take.

    PostgreSQL: from the column's sequence, as its own inserts would. SQLite: after the
    highest id ever given (``sqlite_sequence`` for AUTOINCREMENT, the largest id); the
    transaction (``IMMEDIATE``) holds the database's write lock, so nobody inserts between
    this read and the insert."""
    table, column = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [_quote(table), column, n],
            )
            return [row[0] for row in cursor.fetchall()]
        if not connection.in_atomic_block:
            raise RuntimeError("new ids on SQLite are reserved inside a transaction")
        cursor.execute(
            f"SELECT max(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = %s), 0), "  # noqa: S608
            f"COALESCE((SELECT max({_quote(column)}) FROM {_quote(table)}), 0))",
            [table],
        )
        last = cursor.fetchone()[0]
        return range(last + 1, last + 1 + n)
