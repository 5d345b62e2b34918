"""What every Django start imports from the statistics layers loads no numerical library.

SciPy, pandas, statsmodels and DuckDB cost seconds to import; only the commands and pages
that compute something may pay for them. ``django.setup()`` imports ``civica.stats`` (via
the monitoring periods), the official app's indicator registration, the incident job kinds
and the warehouse queries (via ``official.models``): those must stay light. (The
interventions app's evaluation methods, imported by its admin, still load them: see
benchmarks/README.md, "Start-up".)
"""

import json
import os
import subprocess
import sys

HEAVY = ("scipy", "pandas", "statsmodels", "duckdb", "civica.official.selectors")
IMPORTED_AT_START = (
    "civica.stats",
    "civica.stats.periods",
    "civica.warehouse.sesnsp",
    "civica.warehouse.connection",
    "civica.official.indicators",
    "civica.incidents.jobs",
)


def test_the_modules_django_imports_at_start_load_no_heavy_library(tmp_path):
    code = (
        "import importlib, json, os, sys; "
        "os.environ['DJANGO_SETTINGS_MODULE'] = 'civica.settings'; "
        f"[importlib.import_module(m) for m in {IMPORTED_AT_START!r}]; "
        f"print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))"
    )
    env = dict(os.environ, CIVICA_HOME=str(tmp_path))
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert json.loads(result.stdout.strip().splitlines()[-1]) == []
