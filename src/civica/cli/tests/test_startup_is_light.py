"""What every Django start imports from the statistics layers loads no numerical library.

SciPy, pandas, statsmodels and DuckDB cost seconds to import; only the commands and pages
that compute something may pay for them. ``django.setup()`` imports ``civica.stats`` (via
the monitoring periods), the official app's indicator registration, the incident job kinds
and the warehouse queries (via ``official.models``): those must stay light. The evaluation
methods are imported on first use (``interventions/methods/base.py`` ``MODULES``), and so are
the problem-scanning sources (``problems/scanning.py`` ``MODULES``): the whole
``django.setup()`` loads none of them, nor pandas, DuckDB or pyproj.
"""

import json
import os
import subprocess
import sys

HEAVY = ("scipy", "pandas", "statsmodels", "duckdb", "pyproj", "civica.official.selectors")
# What a whole Django start may not load: the numerical and geodesy libraries, the evaluation
# methods and the scanning sources (each imported when first used).
HEAVY_AT_SETUP = (
    "scipy",
    "statsmodels",
    "pandas",
    "duckdb",
    "pyproj",
    "civica.problems.incident_sources",
    "civica.interventions.methods.before_after",
    "civica.interventions.methods.panel",
    "civica.interventions.methods.synthetic_control",
)
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


def test_django_setup_loads_no_numerical_library(tmp_path):
    code = (
        "import json, os, sys; "
        "os.environ['DJANGO_SETTINGS_MODULE'] = 'civica.settings'; "
        "import django; django.setup(); "
        f"print(json.dumps([m for m in {HEAVY_AT_SETUP!r} if m in sys.modules]))"
    )
    env = dict(os.environ, CIVICA_HOME=str(tmp_path))
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert json.loads(result.stdout.strip().splitlines()[-1]) == []


def test_an_evaluation_method_is_found_by_name_on_first_use(tmp_path):
    code = (
        "import json, os, sys; "
        "os.environ['DJANGO_SETTINGS_MODULE'] = 'civica.settings'; "
        "import django; django.setup(); "
        "from civica.interventions import methods; "
        "before = 'civica.interventions.methods.panel' in sys.modules; "
        "found = methods.method_for('panel').name; "
        "print(json.dumps([before, found, sorted(methods.registered())]))"
    )
    env = dict(os.environ, CIVICA_HOME=str(tmp_path))
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    before, found, every = json.loads(result.stdout.strip().splitlines()[-1])
    assert (before, found) == (False, "panel")
    assert every == ["before_after", "panel", "synthetic_control"]


def test_a_scanning_source_is_found_by_name_on_first_use(tmp_path):
    code = (
        "import json, os, sys; "
        "os.environ['DJANGO_SETTINGS_MODULE'] = 'civica.settings'; "
        "import django; django.setup(); "
        "from civica.problems import scanning; "
        "before = 'civica.problems.incident_sources' in sys.modules; "
        "every = sorted(scanning.sources()); "
        "print(json.dumps([before, every, sorted(scanning.MODULES)]))"
    )
    env = dict(os.environ, CIVICA_HOME=str(tmp_path))
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    before, every, modules = json.loads(result.stdout.strip().splitlines()[-1])
    assert before is False
    assert every == modules
    assert {"hot_spots", "rising_crimes", "repeat_places"} <= set(every)
