"""The layout of a SESNSP snapshot: what :func:`civica.sources.sesnsp.read_sesnsp` writes
and :mod:`civica.warehouse.sesnsp` reads (a light module: Django imports the readers at
start, before DuckDB is needed)."""

from __future__ import annotations

__all__ = ["LONG_COLUMNS", "SNAPSHOT_MONTHS", "long_rows"]

SNAPSHOT_MONTHS = tuple(f"month_{number:02d}" for number in range(1, 13))
"""The snapshot's month columns, January to December (``INTEGER``, NULL = not reported).

A snapshot keeps the published shape, one row per area × crime × year (× sex × age range)
with twelve month columns, because writing the ~32 M long rows of the national file cost
five times as much as writing its ~2.7 M wide rows (issue 19). Queries see long rows
through :func:`long_rows`."""

# The long form's columns, in the order the snapshot had before issue 19 (one per month).
LONG_COLUMNS = (
    "year, unnest(range(1, 13))::TINYINT AS month, state_code, municipality_code, "
    "municipality_name, bien_juridico, tipo, subtipo, modalidad, sex, age_range, "
    f"unnest([{', '.join(SNAPSHOT_MONTHS)}])::INTEGER AS value"
)


def long_rows(relation: str) -> str:
    """SQL for the long rows of a wide snapshot ``relation`` (e.g. ``read_parquet(?)``):
    ``year, month, state_code, municipality_code, municipality_name, bien_juridico, tipo,
    subtipo, modalidad, sex, age_range, value``, one row per month, in the file's order."""
    return f"(SELECT {LONG_COLUMNS} FROM {relation})"  # noqa: S608 (fixed names only)
