"""Official police figures in the warehouse: dataset names, writing and DuckDB queries.

One dataset per kind of file read by :mod:`civica.sources.inegi_police`; a snapshot's cut is
the census round (``2021`` for CNGMD 2021, ``2022`` for CNSPE 2022) or, for the monthly
SESNSP 9-1-1 series, the last month it holds (``YYYY-MM``). Queries take the snapshot's
path and return pandas frames; status codes (NA, ND, NSS, -) stay as they were read.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from civica.warehouse.connection import reader

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["DATASETS", "dataset_name", "rows", "write"]

DATASETS = {
    "staff": "inegi-cngmd-police-staff",
    "budget": "inegi-cngmd-police-budget",
    "funds": "inegi-cngmd-police-funds",
    "calls": "inegi-cngmd-emergency-calls",
    "state_income": "inegi-cnspe-state-police-income",
    "family_violence_911": "sesnsp-911-family-violence",
}


def dataset_name(kind: str) -> str:
    return DATASETS[kind]


def write(frame: pd.DataFrame, target: Path) -> None:
    """Write a reader's frame to ``target``; the file appears whole or not at all."""
    temporary = target.with_name(f".{target.name}")
    with duckdb.connect() as connection:
        connection.register("police", frame)
        connection.execute(
            "COPY (SELECT * FROM police) "  # noqa: S608
            f"TO '{temporary}' (FORMAT parquet, COMPRESSION zstd)"  # a path made by the store
        )
    os.replace(temporary, target)


_FILTERS = {
    "municipality_code": "municipality_code = ?",
    "state_code": "state_code = ?",
    "area_code": "area_code = ?",
    "level": "level = ?",
}


def rows(path: Path, **where: str) -> pd.DataFrame:
    """The snapshot's rows matching every ``column=value`` given (columns of ``_FILTERS``)."""
    clauses, params = [], [str(path)]
    for column, value in where.items():
        clauses.append(_FILTERS[column])
        params.append(value)
    where_sql = " WHERE " + " AND ".join(clauses) if clauses else ""  # fixed clauses only
    sql = "SELECT * FROM read_parquet(?)" + where_sql  # noqa: S608
    return reader().execute(sql, params).df()
