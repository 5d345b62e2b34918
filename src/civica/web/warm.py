"""What a server process imports before its first request, so no user pays for it.

Django's start imports no numerical library (``cli/tests/test_startup_is_light.py``): a CLI
call must not pay for what only pages use. A server is the opposite case: the first request
of each process used to pay ~1.4 s of CPU for the imports deferred (every view module, then
pandas, SciPy, DuckDB) and the warehouse connection. :func:`warm` pays them when the server
starts: ``civica serve`` calls it once before serving (gunicorn's workers are forked from
that process and inherit what it imported), and each gunicorn worker opens its own DuckDB
connection as it starts (:func:`open_connections`, gunicorn's ``post_fork``), never the
parent: a DuckDB connection's threads do not survive a fork.
"""

from __future__ import annotations

import importlib

# The libraries and modules the pages import on first use (not statsmodels: evaluations run
# as jobs, in the job worker).
MODULES = (
    "numpy",
    "pandas",
    "duckdb",
    "scipy.special",
    "scipy.stats",
    "shapely",
    "pyproj",
    "civica.official.selectors",
    "civica.stats.semaforo",
    "civica.stats.priority",
)


def warm(*, connect: bool = True) -> list[str]:
    """Import every view module (the URL configuration) and :data:`MODULES`; the names
    imported. ``connect`` also opens this process's DuckDB connection: not in a process
    that will fork workers (DuckDB's threads do not survive a fork: a child would hang)."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018  (importing every app's views is the point)
    for name in MODULES:
        importlib.import_module(name)
    if connect:
        open_connections()
    return list(MODULES)


def open_connections() -> None:
    """Open this process's warehouse connection (a forked worker opens its own)."""
    from civica.warehouse.connection import reader

    reader()
