"""Re-encrypting every personal field under the current key (``civica keys rotate``).

Rotation runs while the application serves: ``CIVICA_ENCRYPTION_KEYS`` lists the new key first
and the old ones after it, so every value stays readable throughout (MultiFernet decrypts with
any key), new writes already use the new key, and this pass rewrites the old tokens. Each row
is rewritten with a compare-and-swap (``UPDATE … WHERE pk = %s AND column = <old token>``): a
value an editor changed meanwhile is already under the new key and is left alone, so
rotation never overwrites an edit. When the pass reports nothing left under an old key, the
old key can be removed from the list.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.db import connection, transaction

from civica.core.crypto import EncryptedTextField, current_key_id, key_id_of, rotate_token

__all__ = ["RotationReport", "encrypted_columns", "rotate_all"]


@dataclass
class RotationReport:
    rewritten: dict[str, int]
    skipped_changed: int

    def lines(self) -> list[str]:
        lines = [
            f"{label}: {count:,} values re-encrypted"
            for label, count in sorted(self.rewritten.items())
            if count
        ]
        lines.append(
            f"{sum(self.rewritten.values()):,} values re-encrypted in total; "
            f"{self.skipped_changed} changed during the pass (already current)."
        )
        return lines


def encrypted_columns():
    """(model, field) for every ``EncryptedTextField`` of every installed model."""
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, EncryptedTextField):
                yield model, field


def rotate_all(*, batch: int = 500) -> RotationReport:
    quote = connection.ops.quote_name
    current = current_key_id()
    rewritten: dict[str, int] = {}
    skipped = 0
    for model, field in encrypted_columns():
        table, column, pk = (
            quote(model._meta.db_table),
            quote(field.column),
            quote(model._meta.pk.column),
        )
        label = f"{model._meta.label}.{field.name}"
        rewritten[label] = 0
        last = None
        while True:
            # Raw reads: the tokens as stored, not the decrypted values.
            where = f"WHERE {pk} > %s " if last is not None else ""
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT {pk}, {column} FROM {table} {where}"  # noqa: S608
                    f"ORDER BY {pk} LIMIT %s",
                    ([last] if last is not None else []) + [batch],
                )
                rows = cursor.fetchall()
            if not rows:
                break
            last = rows[-1][0]
            with transaction.atomic(), connection.cursor() as cursor:
                for key, token in rows:
                    if not token or key_id_of(token) == current:
                        continue
                    cursor.execute(
                        f"UPDATE {table} SET {column} = %s "  # noqa: S608
                        f"WHERE {pk} = %s AND {column} = %s",
                        [rotate_token(token), key, token],
                    )
                    if cursor.rowcount == 1:
                        rewritten[label] += 1
                    else:
                        skipped += 1
    return RotationReport(rewritten=rewritten, skipped_changed=skipped)
