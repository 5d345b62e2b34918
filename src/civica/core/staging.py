"""Staging tables: a large import is written beside the served tables, then applied at once.

A kill (``kill -9``, a power cut, an out-of-memory) in the middle of a large import must leave
the data that were served before, not a half-written file. :class:`Staging` writes an import's
rows into *shadow tables* — same columns as the model's table, no constraints, named
``civica_stage__<table>`` — in short transactions of a batch each (so SQLite's write lock is
held a fraction of a second at a time and log-ins and audited pages keep working), then
:meth:`Staging.apply` copies them into the served tables with ``INSERT … SELECT`` in the one
transaction :func:`civica.core.imports.import_records` gives it. Until that transaction
commits nothing of the file is visible; after it, all of it is.

A killed import leaves its shadow rows behind, never in a served table. They are dropped when
the next import of the same dataset starts (:meth:`Staging.prepare`, under the dataset's
import lock, so no running import owns them) and when an import fails; ``civica jobs prune``
drops every shadow table no import holds.

Rows reference each other by their position in the file: a child's foreign key holds its
parent's staging row id, and :meth:`apply` resolves it through the parent's natural key (the
person's ``pid``) once the parent rows are in the served table.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection, models, transaction

from civica.core import bulk

__all__ = ["PREFIX", "Staging"]

PREFIX = "civica_stage__"


# Every statement here is built from the models' table and column names, quoted; the values
# go as parameters.
def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


class Staging:
    """Shadow tables for the models of one import.

    ``Staging([Person, Consent, Enrollment])``; :meth:`prepare` (re)creates empty shadow
    tables, :meth:`add` writes model instances (not saved) into them, :meth:`apply` copies
    them into the served tables and :meth:`drop` removes the shadow tables.
    """

    def __init__(self, models_: Sequence[type[models.Model]]):
        self.models = list(models_)
        self._next: dict[type[models.Model], int] = {}

    @staticmethod
    def table(model: type[models.Model]) -> str:
        return PREFIX + model._meta.db_table

    def prepare(self) -> None:
        """Empty shadow tables with the models' current columns (an earlier import's
        abandoned rows go with the old tables)."""
        with transaction.atomic(), connection.cursor() as cursor:
            for model in self.models:
                shadow, served = _quote(self.table(model)), _quote(model._meta.db_table)
                cursor.execute(f"DROP TABLE IF EXISTS {shadow}")
                unlogged = "UNLOGGED " if connection.vendor == "postgresql" else ""
                cursor.execute(
                    f"CREATE {unlogged}TABLE {shadow} AS SELECT * FROM {served} WHERE 1 = 0"  # noqa: S608
                )
                self._next[model] = 1

    def drop(self) -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            for model in self.models:
                cursor.execute(f"DROP TABLE IF EXISTS {_quote(self.table(model))}")

    def add(self, model: type[models.Model], objects: Sequence[models.Model]) -> list[int]:
        """Write ``objects`` (unsaved instances) into ``model``'s shadow table; returns the
        staging ids given to them (set as their ``pk`` too, so that children can point to
        them). Encrypted fields are encrypted a column at a time (:func:`bulk.insert`)."""
        first = self._next[model]
        ids = list(range(first, first + len(objects)))
        self._next[model] = first + len(objects)
        for obj, pk in zip(objects, ids, strict=True):
            obj.pk = pk
        bulk.insert(model, objects, table=self.table(model), with_pk=True)
        return ids

    def apply(
        self,
        model: type[models.Model],
        *,
        links: dict[str, tuple[type[models.Model], str]] | None = None,
    ) -> int:
        """Copy ``model``'s shadow rows into its served table (new primary keys); returns
        how many. ``links`` maps a foreign-key column to ``(parent model, natural key)``:
        the shadow column holds the parent's staging id, resolved through the natural key
        to the parent's served id (apply the parent first)."""
        links = links or {}
        shadow = _quote(self.table(model))
        fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        select, joins = [], []
        for n, field in enumerate(fields):
            if field.column not in links:
                select.append(f"s.{_quote(field.column)}")
                continue
            parent, key = links[field.column]
            staged, served = f"sp{n}", f"p{n}"
            joins.append(
                f"JOIN {_quote(self.table(parent))} {staged} "
                f"ON {staged}.{_quote(parent._meta.pk.column)} = s.{_quote(field.column)} "
                f"JOIN {_quote(parent._meta.db_table)} {served} "
                f"ON {served}.{_quote(key)} = {staged}.{_quote(key)}"
            )
            select.append(f"{served}.{_quote(parent._meta.pk.column)}")
        names = ", ".join(_quote(f.column) for f in fields)
        sql = (
            f"INSERT INTO {_quote(model._meta.db_table)} ({names}) "  # noqa: S608
            f"SELECT {', '.join(select)} FROM {shadow} s {' '.join(joins)} "
            f"ORDER BY s.{_quote(model._meta.pk.column)}"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql)
            return cursor.rowcount
