"""Incident layers in the warehouse: the stored schema, its CRS, and the DuckDB queries over it.

An incident file read by :mod:`civica.sources.incidents` and placed in sectors, cuadrantes and
municipalities by ``civica.incidents.services`` is stored as one Parquet snapshot of the dataset
``incidents-<layer>``, sorted by municipality and date (so a scoped read skips row groups).
Every read of those snapshots is here; the apps above decide *which* municipalities a user may
read and pass their codes in.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from pathlib import Path

import duckdb
import pandas as pd

from civica.sources.incidents import PROJECTED_CRS
from civica.warehouse.connection import reader

__all__ = [
    "COLUMNS",
    "CRS",
    "counts_by_sector",
    "dataset_name",
    "dates_and_months",
    "municipalities",
    "read_file",
    "repeat_places",
    "select",
    "temporal_counts",
    "write",
]

CRS = PROJECTED_CRS
"""The CRS of the stored ``x``/``y`` (metres): INEGI's Lambert conformal conic, EPSG:6372."""

COLUMNS = (
    "id",
    "date",
    "time",
    "crime",
    "category",
    "lat",
    "lon",
    "x",
    "y",
    "sector",
    "cuadrante",
    "sector_id",
    "cuadrante_id",
    "municipality_code",
    "source_cuadrante",
)
"""Columns of a stored incident layer: the reader's tidy table (id, date, time, crime,
category, lat/lon in WGS84, x/y in :data:`CRS`, source_cuadrante) and the placement added at
ingest (sector and cuadrante name and id, municipality code; empty where no polygon holds
the point)."""


def dataset_name(layer: str) -> str:
    """The warehouse dataset of an incident layer."""
    return f"incidents-{layer}"


def _where(
    *,
    municipality_codes: Sequence[str] | None,
    crime: str | None,
    start: dt.date | None,
    end: dt.date | None,
) -> tuple[str, list]:
    clauses, params = ["TRUE"], []
    if municipality_codes is not None:
        clauses.append(f"municipality_code IN ({', '.join('?' * len(municipality_codes))})")
        params += list(municipality_codes)
    if crime:
        clauses.append("crime = ?")
        params.append(crime)
    if start:
        clauses.append("date >= ?")
        params.append(start)
    if end:
        clauses.append("date <= ?")
        params.append(end)
    return " AND ".join(clauses), params


def _check_columns(columns: Sequence[str]) -> None:
    unknown = [c for c in columns if c not in COLUMNS]
    if unknown:
        raise ValueError(f"not columns of an incident layer: {', '.join(unknown)}")


def select(
    path: Path,
    *,
    columns: Sequence[str] = COLUMNS,
    municipality_codes: Sequence[str] | None = None,
    crime: str | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> pd.DataFrame:
    """The incidents of a snapshot, filtered, ordered by date and id.

    ``municipality_codes`` None reads every municipality (and incidents placed in none); an
    empty list reads nothing.
    """
    _check_columns(columns)
    if municipality_codes is not None and not municipality_codes:
        return pd.DataFrame(columns=list(columns))
    clause, params = _where(
        municipality_codes=municipality_codes, crime=crime, start=start, end=end
    )
    query = (
        f"SELECT {', '.join(columns)} FROM read_parquet(?) "  # noqa: S608 (checked names)
        f"WHERE {clause} ORDER BY date, id"
    )
    return reader().execute(query, [str(path), *params]).df()


def municipalities(path: Path, *, municipality_codes: Sequence[str] | None = None) -> list[str]:
    """Codes of the municipalities the snapshot's incidents were placed in (within
    ``municipality_codes`` when given), sorted."""
    if municipality_codes is not None and not municipality_codes:
        return []
    clause, params = _where(municipality_codes=municipality_codes, crime=None, start=None, end=None)
    query = (
        "SELECT DISTINCT municipality_code FROM read_parquet(?) "  # noqa: S608
        f"WHERE {clause} AND municipality_code IS NOT NULL ORDER BY 1"
    )
    return [row[0] for row in reader().execute(query, [str(path), *params]).fetchall()]


def dates_and_months(path: Path) -> tuple[dt.date, dt.date, set[tuple[int, int]]]:
    """First and last day of a snapshot and the (year, month) pairs it holds, in one scan."""
    first, last, months = (
        reader()
        .execute(
            "SELECT min(date), max(date), list(DISTINCT year(date) * 100 + month(date)) "
            "FROM read_parquet(?)",
            [str(path)],
        )
        .fetchone()
    )
    present = {(int(m) // 100, int(m) % 100) for m in months or ()}
    return pd.Timestamp(first).date(), pd.Timestamp(last).date(), present


def read_file(path: Path) -> pd.DataFrame:
    """Every row of a Parquet file of incidents (the reader's output, before placement)."""
    return reader().execute("SELECT * FROM read_parquet(?)", [str(path)]).df()


def write(frame: pd.DataFrame, target: Path) -> None:
    """Write a placed layer to ``target`` sorted by municipality and date; the file appears
    whole or not at all (written beside it, then renamed)."""
    temporary = target.with_name(f".{target.name}")
    with duckdb.connect() as connection:
        connection.register("incidents", frame)
        connection.execute(
            "COPY (SELECT * FROM incidents ORDER BY municipality_code, date) "  # noqa: S608
            f"TO '{temporary}' (FORMAT parquet, COMPRESSION zstd)"  # a path made by the store
        )
    os.replace(temporary, target)


def _in(column: str, values: Sequence) -> tuple[str, list]:
    return f"{column} IN ({', '.join('?' * len(values))})", list(values)


def counts_by_sector(
    path: Path,
    *,
    municipality_codes: Sequence[str] | None,
    start: dt.date,
    end: dt.date,
    period: str = "quarter",
) -> pd.DataFrame:
    """Incidents placed in a sector, counted by ``sector_id`` × ``crime`` × ``period`` (the
    first day of its month, quarter or year), between ``start`` and ``end``: one pass over the
    snapshot, whatever its size (problem scanning reads a million incidents this way)."""
    if period not in ("month", "quarter", "year"):
        raise ValueError(f"unknown period {period!r}")
    columns = ["sector_id", "crime", "period", "count"]
    if municipality_codes is not None and not municipality_codes:
        return pd.DataFrame(columns=columns)
    clause, params = _where(municipality_codes=municipality_codes, crime=None, start=start, end=end)
    query = (
        f"SELECT sector_id, crime, date_trunc('{period}', date)::DATE AS period, "  # noqa: S608
        f"count(*) AS count FROM read_parquet(?) WHERE {clause} AND sector_id IS NOT NULL "
        "GROUP BY ALL ORDER BY 1, 2, 3"
    )
    return reader().execute(query, [str(path), *params]).df()


def repeat_places(
    path: Path,
    *,
    municipality_codes: Sequence[str] | None,
    start: dt.date,
    end: dt.date,
    metres: float = 25.0,
    min_count: int = 5,
    limit: int = 50,
) -> pd.DataFrame:
    """Places (squares of ``metres``) where one crime happened ``min_count`` times or more
    between ``start`` and ``end``: repeat places, most incidents first."""
    columns = ["crime", "count", "sector_id", "lat", "lon", "first", "last"]
    if municipality_codes is not None and not municipality_codes:
        return pd.DataFrame(columns=columns)
    clause, params = _where(municipality_codes=municipality_codes, crime=None, start=start, end=end)
    query = (
        "SELECT crime, count(*) AS count, min(sector_id) AS sector_id, avg(lat) AS lat, "  # noqa: S608
        "avg(lon) AS lon, min(date) AS first, max(date) AS last FROM read_parquet(?) "
        f"WHERE {clause} AND x IS NOT NULL GROUP BY crime, floor(x / ?), floor(y / ?) "
        "HAVING count(*) >= ? ORDER BY 2 DESC, 1 LIMIT ?"
    )
    return reader().execute(query, [str(path), *params, metres, metres, min_count, limit]).df()


def temporal_counts(
    path: Path,
    *,
    municipality_codes: Sequence[str] | None,
    crimes: Sequence[str] = (),
    sector_ids: Sequence[int] = (),
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> pd.DataFrame:
    """Counts by ISO weekday (0 = Monday), hour (−1 when the time is unknown) and calendar
    month of the incidents of ``crimes`` in ``sector_ids`` (all when empty)."""
    columns = ["weekday", "hour", "month", "count"]
    if municipality_codes is not None and not municipality_codes:
        return pd.DataFrame(columns=columns)
    clause, params = _where(municipality_codes=municipality_codes, crime=None, start=start, end=end)
    for column, values in (("crime", crimes), ("sector_id", sector_ids)):
        if values:
            extra, more = _in(column, values)
            clause, params = f"{clause} AND {extra}", [*params, *more]
    query = (
        "SELECT isodow(date) - 1 AS weekday, coalesce(hour(time), -1) AS hour, "  # noqa: S608
        f"month(date) AS month, count(*) AS count FROM read_parquet(?) WHERE {clause} "
        "GROUP BY ALL ORDER BY 1, 2, 3"
    )
    return reader().execute(query, [str(path), *params]).df()
