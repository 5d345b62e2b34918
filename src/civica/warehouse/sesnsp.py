"""Queries over SESNSP snapshots (Parquet written by :mod:`civica.sources.sesnsp`).

Each function uses this thread's in-memory DuckDB connection (opened once, see
:mod:`civica.warehouse.connection`), reads the snapshot file(s) it is given
and returns a pandas frame. A snapshot holds wide rows (twelve month columns); every query
here reads them as long rows, one per month, through :func:`_long` (snapshots written
before issue 19 were long already and are read as they are). A month whose cells are all
empty is "not reported": its count is NULL (NaN), never 0, so callers can say a figure is
incomplete.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from civica.sources.sesnsp_snapshot import SNAPSHOT_MONTHS, long_rows
from civica.warehouse.connection import reader
from civica.warehouse.kept import kept, kept_frame

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "CRIME_LEVELS",
    "AreaFilter",
    "CrimeFilter",
    "catalogue",
    "counts_by_area",
    "dataset_name",
    "monthly_by_crime",
    "monthly_counts",
]

CRIME_LEVELS = ("bien_juridico", "tipo", "subtipo", "modalidad")


def dataset_name(*, measure: str, level: str, methodology: str) -> str:
    """The warehouse dataset that holds one kind of SESNSP file."""
    return f"sesnsp-{measure}-{level}-{methodology}"


@dataclass(frozen=True)
class CrimeFilter:
    """A crime at one level of the catalogue; ``value=None`` means all crimes."""

    level: str = "subtipo"
    value: str | None = None

    def __post_init__(self):
        if self.level not in CRIME_LEVELS:
            raise ValueError(f"crime level must be one of {', '.join(CRIME_LEVELS)}")

    def sql(self) -> tuple[str, list]:
        if self.value is None:
            return "TRUE", []
        return f"{self.level} = ?", [self.value]


@dataclass(frozen=True)
class AreaFilter:
    """The nation (both codes ``None``), a state or a municipality."""

    state_code: str | None = None
    municipality_code: str | None = None

    def sql(self) -> tuple[str, list]:
        if self.municipality_code:
            return "municipality_code = ?", [self.municipality_code]
        if self.state_code:
            return "state_code = ?", [self.state_code]
        return "TRUE", []


def _demographics(sex: str | None, age_range: str | None) -> tuple[str, list]:
    clauses, params = [], []
    if sex:
        clauses.append("sex = ?")
        params.append(sex)
    if age_range:
        clauses.append("age_range = ?")
        params.append(age_range)
    return (" AND ".join(clauses) or "TRUE"), params


def monthly_counts(
    path: Path,
    *,
    crime: CrimeFilter,
    area: AreaFilter,
    sex: str | None = None,
    age_range: str | None = None,
) -> pd.DataFrame:
    """Columns ``year, month, count`` for every month in the file (NaN = not reported)."""
    query = _monthly_counts_query(path, crime, area, sex, age_range)
    return kept_frame(
        (_file(path), "monthly_counts", *query),
        lambda: reader().execute(query[0], list(query[1])).df(),
    )


def monthly_count_rows(
    path: Path,
    *,
    crime: CrimeFilter,
    area: AreaFilter,
    sex: str | None = None,
    age_range: str | None = None,
) -> tuple[tuple[int, int, float | None], ...]:
    """:func:`monthly_counts` as ``(year, month, count or None)`` tuples, without pandas (a
    series of a few hundred months needs no frame, and pandas costs a CLI call ~0.5 s)."""
    query = _monthly_counts_query(path, crime, area, sex, age_range)
    return kept((_file(path), "monthly_count_rows", *query), lambda: _rows(query))


def _file(path: Path) -> tuple:
    """What identifies a snapshot file's content in a key: its path, and its size and time
    of change (a file rewritten in place is a new entry)."""
    stat = os.stat(path)
    return (str(path), stat.st_size, stat.st_mtime_ns)


def _long(path: Path) -> str:
    """The relation of a snapshot's long rows, taking ``path`` as its one parameter."""
    wide = kept(
        (_file(path), "wide"),
        lambda: (
            reader()
            .execute(
                "SELECT count(*) > 0 FROM parquet_schema(?) WHERE name = ?",
                [str(path), SNAPSHOT_MONTHS[0]],
            )
            .fetchone()[0]
        ),
    )
    return long_rows("read_parquet(?)") if wide else "read_parquet(?)"


def _rows(query: tuple[str, tuple]) -> tuple[tuple, ...]:
    return tuple(reader().execute(query[0], list(query[1])).fetchall())


def _monthly_counts_query(path, crime, area, sex, age_range) -> tuple[str, tuple]:
    crime_sql, crime_params = crime.sql()
    area_sql, area_params = area.sql()
    demo_sql, demo_params = _demographics(sex, age_range)
    query = f"""
        SELECT year, month,
               CASE WHEN count(value) = 0 THEN NULL ELSE sum(value) END AS count
        FROM {_long(path)}
        WHERE {crime_sql} AND {area_sql} AND {demo_sql}
        GROUP BY year, month ORDER BY year, month
    """  # noqa: S608  (only fixed column names are interpolated)
    return query, (str(path), *crime_params, *area_params, *demo_params)


def monthly_by_crime(
    path: Path, *, area: AreaFilter, level: str = "subtipo", sex=None, age_range=None
) -> pd.DataFrame:
    """Columns ``crime, year, month, count`` for every crime of ``level`` in the area."""
    if level not in CRIME_LEVELS:
        raise ValueError(level)
    area_sql, area_params = area.sql()
    demo_sql, demo_params = _demographics(sex, age_range)
    query = f"""
        SELECT {level} AS crime, year, month,
               CASE WHEN count(value) = 0 THEN NULL ELSE sum(value) END AS count
        FROM {_long(path)}
        WHERE {area_sql} AND {demo_sql}
        GROUP BY ALL ORDER BY crime, year, month
    """  # noqa: S608
    params = (str(path), *area_params, *demo_params)
    return kept_frame(
        (_file(path), "monthly_by_crime", query, params),
        lambda: reader().execute(query, list(params)).df(),
    )


def counts_by_area(
    path: Path,
    *,
    crime: CrimeFilter,
    months: list[tuple[int, int]],
    state_code: str | None = None,
    by: str = "municipality",
) -> pd.DataFrame:
    """Columns ``code, name, count, months_reported`` per municipality (or state) over
    ``months``; ``months_reported`` counts the months with at least one non-empty cell."""
    if not months:
        import pandas as pd  # imported late: Django imports this module on every start

        return pd.DataFrame(columns=AREA_COLUMNS)
    query = _counts_by_area_query(path, crime, months, state_code, by)
    return kept_frame(
        (_file(path), "counts_by_area", *query),
        lambda: reader().execute(query[0], list(query[1])).df(),
    )


AREA_COLUMNS = ["code", "name", "count", "months_reported"]


def area_count_rows(
    path: Path,
    *,
    crime: CrimeFilter,
    months: list[tuple[int, int]],
    state_code: str | None = None,
    by: str = "municipality",
) -> tuple[tuple, ...]:
    """:func:`counts_by_area` as ``(code, name, count, months_reported)`` tuples, without
    pandas."""
    if not months:
        return ()
    query = _counts_by_area_query(path, crime, months, state_code, by)
    return kept((_file(path), "area_count_rows", *query), lambda: _rows(query))


def _counts_by_area_query(path, crime, months, state_code, by) -> tuple[str, tuple]:
    crime_sql, crime_params = crime.sql()
    key = "municipality_code" if by == "municipality" else "state_code"
    name = "any_value(municipality_name)" if by == "municipality" else "NULL"
    state_sql = "state_code = ?" if state_code else "TRUE"
    query = f"""
        WITH wanted(year, month) AS (SELECT * FROM (VALUES {", ".join(["(?, ?)"] * len(months))}))
        SELECT {key} AS code, {name} AS name, sum(value) AS count,
               count(DISTINCT CASE WHEN value IS NOT NULL THEN (year, month) END)
                   AS months_reported
        FROM {_long(path)} JOIN wanted USING (year, month)
        WHERE {crime_sql} AND {state_sql}
        GROUP BY {key} ORDER BY {key}
    """  # noqa: S608
    flat = [value for month in months for value in month]
    return query, (*flat, str(path), *crime_params, *([state_code] if state_code else []))


def monthly_panel(
    path: Path,
    *,
    crimes: list[str],
    first: tuple[int, int],
    last: tuple[int, int],
    level: str = "subtipo",
    state_code: str | None = None,
) -> pd.DataFrame:
    """Columns ``code, name, year, month, count``: each municipality's monthly total of
    ``crimes`` from ``first`` to ``last`` (year, month), NULL where every cell is empty."""
    if level not in CRIME_LEVELS:
        raise ValueError(level)
    state_sql = "AND state_code = ?" if state_code else ""
    query = f"""
        SELECT municipality_code AS code, any_value(municipality_name) AS name, year, month,
               CASE WHEN count(value) = 0 THEN NULL ELSE sum(value) END AS count
        FROM {_long(path)}
        WHERE {level} IN ({", ".join("?" * len(crimes))})
          AND CAST(year AS INTEGER) * 100 + month BETWEEN ? AND ? {state_sql}
        GROUP BY municipality_code, year, month ORDER BY code, year, month
    """  # noqa: S608  (only fixed column names are interpolated)
    params = [str(path), *crimes, first[0] * 100 + first[1], last[0] * 100 + last[1]]
    return reader().execute(query, params + ([state_code] if state_code else [])).df()


def catalogue(path: Path) -> pd.DataFrame:
    """The distinct crimes in a snapshot: ``bien_juridico, tipo, subtipo, modalidad`` (the
    same columns in either layout, so the file is read as it is)."""
    query = """
        SELECT DISTINCT bien_juridico, tipo, subtipo, modalidad FROM read_parquet(?)
        ORDER BY ALL
    """
    return kept_frame((_file(path), "catalogue"), lambda: reader().execute(query, [str(path)]).df())
