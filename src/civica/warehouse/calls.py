"""Calls for service (CAD / 9-1-1 records) in the warehouse: one dataset per municipality,
``cad-calls-<cvegeo>``, each import a snapshot whose cut is the last month it holds.

Queries run in DuckDB over the Parquet file written by :mod:`civica.sources.cad`:
response-time percentiles against the standards by sector, hour or month; calls by sector
and by hour × weekday.

**Why it is quick.** The import writes what the queries group by and measure as columns
(``hour``, ``weekday``, ``month``; ``capture_s``, ``dispatch_s``, ``arrival_s`` as 32-bit
integers), so a question is one scan of four or five narrow columns and DuckDB's exact
``quantile_cont``, with no date arithmetic per row: over 10,000,000 calls about 0.5 s of CPU
against 1.3 s when the keys were computed from the reception time
(``benchmarks/bench_police_calls.py``). Answers are kept per snapshot file and question for
the life of the process (a snapshot never changes: a new import is a new file), so the
page's second look, another grouping already asked, or a reload answer without a scan.
Snapshots written before those columns existed are still read (the keys are computed).
"""

from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import TYPE_CHECKING

from civica.warehouse.connection import reader

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "GROUPS",
    "by_sector",
    "by_sector_and_quarter",
    "dataset_name",
    "profile",
    "repeat_places",
    "response_times",
]

# Grouping keys as written at import (``sources/cad.py``) and, for snapshots written before
# those columns existed, as computed from the reception time.
GROUPS = {
    "sector": ("sector", "COALESCE(sector, '—')"),
    "hour": ("hour", "hour(received)"),
    "month": ("month", "strftime(received, '%Y-%m')"),
    "all": (None, "'all'"),
}


def dataset_name(municipality_code: str) -> str:
    return f"cad-calls-{municipality_code}"


def _columns(path: Path) -> set[str]:
    return {
        row[0]
        for row in reader().execute("SELECT name FROM parquet_schema(?)", [str(path)]).fetchall()
    }


def _key(by: str, columns: set[str]) -> str:
    stored, computed = GROUPS[by]
    if stored is None:
        return computed
    if stored in columns and stored != "sector":
        return stored
    return computed


def response_times(
    path: Path, *, by: str, capture_standard: int, dispatch_standard: int
) -> pd.DataFrame:
    """Per group: calls, genuine calls, and for capture and dispatch times the median, the
    90th percentile and the share within the standard (of calls that have the time); the
    median arrival time. Groups in order."""
    if by not in GROUPS:
        raise KeyError(by)
    stat = os.stat(path)
    return _response_times(
        str(path), stat.st_size, stat.st_mtime_ns, by, int(capture_standard), int(dispatch_standard)
    ).copy()


@functools.lru_cache(maxsize=64)
def _response_times(
    path: str, _size: int, _mtime: int, by: str, capture_standard: int, dispatch_standard: int
) -> pd.DataFrame:
    group = _key(by, _columns(Path(path)))
    sql = f"""
        SELECT grp, calls, genuine,
               capture[1] AS capture_p50, capture[2] AS capture_p90, capture_within,
               dispatch[1] AS dispatch_p50, dispatch[2] AS dispatch_p90, dispatch_within,
               arrival_p50
        FROM (
            SELECT {group} AS grp,
                   count(*) AS calls,
                   count(*) FILTER (WHERE genuine) AS genuine,
                   quantile_cont(capture_s, [0.5, 0.9]) AS capture,
                   avg(CASE WHEN capture_s IS NULL THEN NULL
                            WHEN capture_s <= ? THEN 1.0 ELSE 0.0 END) AS capture_within,
                   quantile_cont(dispatch_s, [0.5, 0.9]) AS dispatch,
                   avg(CASE WHEN dispatch_s IS NULL THEN NULL
                            WHEN dispatch_s <= ? THEN 1.0 ELSE 0.0 END) AS dispatch_within,
                   quantile_cont(arrival_s, 0.5) AS arrival_p50
            FROM read_parquet(?)
            GROUP BY grp
        ) ORDER BY grp
    """  # noqa: S608 (group from GROUPS)
    return reader().execute(sql, [capture_standard, dispatch_standard, path]).df()


def profile(path: Path) -> pd.DataFrame:
    """Calls by ISO weekday (1 = Monday) and hour."""
    columns = _columns(Path(path))
    weekday = "weekday" if "weekday" in columns else "isodow(received)"
    hour = "hour" if "hour" in columns else "hour(received)"
    return (
        reader()
        .execute(
            f"SELECT {weekday} AS weekday, {hour} AS hour, count(*) AS calls "  # noqa: S608
            "FROM read_parquet(?) GROUP BY ALL ORDER BY weekday, hour",
            [str(path)],
        )
        .df()
    )


def by_sector(path: Path) -> pd.DataFrame:
    """Calls and genuine calls by sector, most calls first, with how the sector was found
    (``coordinates``: the call's point in the sector's polygon; ``cad``: the sector the CAD
    recorded; ``none``)."""
    columns = _columns(Path(path))
    source = (
        "sector_from" if "sector_from" in columns else "CASE WHEN sector IS NOT NULL THEN 'cad' END"
    )
    return (
        reader()
        .execute(
            "SELECT COALESCE(sector, '—') AS sector, count(*) AS calls, "  # noqa: S608
            "count(*) FILTER (WHERE genuine) AS genuine, "
            f"count(*) FILTER (WHERE {source} = 'coordinates') AS by_coordinates, "
            f"count(*) FILTER (WHERE {source} = 'cad') AS by_cad "
            "FROM read_parquet(?) GROUP BY ALL ORDER BY calls DESC, sector",
            [str(path)],
        )
        .df()
    )


def by_sector_and_quarter(path: Path, *, start, end) -> pd.DataFrame:
    """Calls and genuine calls by sector and quarter (its first day, ``YYYY-MM-DD``),
    received from ``start`` to ``end`` (dates, inclusive)."""
    return (
        reader()
        .execute(
            "SELECT COALESCE(sector, '—') AS sector, "
            "strftime(date_trunc('quarter', received), '%Y-%m-%d') AS quarter, count(*) AS calls, "
            "count(*) FILTER (WHERE genuine) AS genuine FROM read_parquet(?) "
            "WHERE received >= ? AND received < ? + INTERVAL 1 DAY GROUP BY ALL",
            [str(path), start, end],
        )
        .df()
    )


def repeat_places(path: Path, *, start, end, metres: float, min_count: int) -> pd.DataFrame:
    """Places where genuine calls came again and again: cells of about ``metres`` on a side
    (degrees scaled at the calls' mean latitude) with at least ``min_count`` genuine calls
    received from ``start`` to ``end``; the cell's centre, its calls, the most frequent
    CNIE code and the sector most of them were in. Calls without coordinates are left out."""
    columns = _columns(Path(path))
    if "latitude" not in columns:
        return reader().execute("SELECT NULL LIMIT 0").df()
    sql = """
        WITH calls AS (
            SELECT * FROM read_parquet(?)
            WHERE genuine AND latitude IS NOT NULL AND longitude IS NOT NULL
              AND received >= ? AND received < ? + INTERVAL 1 DAY
        ), size AS (
            SELECT ? / 111320.0 AS dlat,
                   ? / (111320.0 * cos(radians(avg(latitude)))) AS dlon
            FROM calls
        ), cells AS (
            SELECT floor(latitude / dlat) AS i, floor(longitude / dlon) AS j, dlat, dlon,
                   cnie_code, sector
            FROM calls, size
        )
        SELECT (i + 0.5) * any_value(dlat) AS lat, (j + 0.5) * any_value(dlon) AS lon,
               count(*) AS calls, mode(cnie_code) AS cnie_code, mode(sector) AS sector
        FROM cells GROUP BY i, j HAVING count(*) >= ?
        ORDER BY calls DESC, lat, lon
    """
    return (
        reader()
        .execute(sql, [str(path), start, end, float(metres), float(metres), int(min_count)])
        .df()
    )
