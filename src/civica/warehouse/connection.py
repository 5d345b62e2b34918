"""One in-memory DuckDB connection per thread, reused by every warehouse read.

Opening a DuckDB database costs tens of milliseconds (far more than a small query over a
snapshot), and a municipal profile page asks about fifteen questions. Each thread keeps its
own connection because a DuckDB connection must not run two queries at once; a process that
forked (a worker) opens a new one rather than share its parent's. Queries read Parquet files
and keep no tables, so nothing leaks from one question to the next.
"""

from __future__ import annotations

import os
import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import duckdb

__all__ = ["reader"]

_local = threading.local()


def reader() -> duckdb.DuckDBPyConnection:
    """This thread's connection (opened on first use). Do not close it."""
    connection = getattr(_local, "connection", None)
    if connection is None or _local.pid != os.getpid():
        import duckdb  # imported late: Django imports the warehouse on every start

        connection = duckdb.connect(":memory:")
        connection.execute("SET threads TO 2")
        _local.connection, _local.pid = connection, os.getpid()
    return connection
