"""Calls for service (CAD / 9-1-1 records) in the warehouse: one dataset per municipality,
``cad-calls-<cvegeo>``, each import a snapshot whose cut is the last month it holds.

Queries run in DuckDB over the Parquet file written by :mod:`civica.sources.cad`:
response-time percentiles against the standards by sector, hour or month; calls by sector
and by hour × weekday.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from civica.warehouse.connection import reader

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["GROUPS", "by_sector", "dataset_name", "profile", "response_times"]

GROUPS = {
    "sector": "COALESCE(sector, '—')",
    "hour": "hour(received)",
    "month": "strftime(received, '%Y-%m')",
    "all": "'all'",
}


def dataset_name(municipality_code: str) -> str:
    return f"cad-calls-{municipality_code}"


def response_times(
    path: Path, *, by: str, capture_standard: int, dispatch_standard: int
) -> pd.DataFrame:
    """Per group: calls, genuine calls, and for capture and dispatch times the median, the
    90th percentile and the share within the standard (of calls that have the time)."""
    group = GROUPS[by]
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
    return reader().execute(sql, [capture_standard, dispatch_standard, str(path)]).df()


def profile(path: Path) -> pd.DataFrame:
    """Calls by ISO weekday (1 = Monday) and hour."""
    return (
        reader()
        .execute(
            "SELECT isodow(received) AS weekday, hour(received) AS hour, count(*) AS calls "
            "FROM read_parquet(?) GROUP BY ALL ORDER BY weekday, hour",
            [str(path)],
        )
        .df()
    )


def by_sector(path: Path) -> pd.DataFrame:
    """Calls and genuine calls by sector."""
    return (
        reader()
        .execute(
            "SELECT COALESCE(sector, '—') AS sector, count(*) AS calls, "
            "count(*) FILTER (WHERE genuine) AS genuine FROM read_parquet(?) "
            "GROUP BY ALL ORDER BY calls DESC",
            [str(path)],
        )
        .df()
    )
