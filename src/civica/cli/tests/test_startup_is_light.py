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


# What a `civica stats series` or `civica stats ranking` call may not load (issue 19: a call in
# about twice the time of importing pandas): the rates, their exact intervals and the
# ranking use NumPy, scipy.special and DuckDB's rows; the traffic light and the priority
# crimes (pandas) are imported by the functions that compute them.
HEAVY_FOR_A_SERIES = (
    "pandas",
    "scipy.stats",
    "statsmodels",
    "pyproj",
    "shapely",
    "civica.stats.semaforo",
    "civica.stats.priority",
)


SERIES_AND_RANKING = """
import json, os, sys
os.environ["DJANGO_SETTINGS_MODULE"] = "civica.settings"
import django
django.setup()
import civica.cli.main, civica.cli.stats, civica.official.selectors
from civica.stats.intervals import rank_by_lower_bound
from civica.stats.periods import Period
from civica.stats.rates import period_rate
from civica.warehouse import sesnsp
from civica.warehouse.connection import reader

snapshot = sys.argv[1]
reader().execute(
    "COPY (SELECT * FROM (VALUES (2024, 1, '11020', 'León', '11', 'Homicidio doloso', 3), "
    "(2024, 2, '11020', 'León', '11', 'Homicidio doloso', 4)) "
    "t(year, month, municipality_code, municipality_name, state_code, subtipo, value)) "
    "TO '" + snapshot + "'"
)
crime = sesnsp.CrimeFilter("subtipo", "Homicidio doloso")
rows = sesnsp.monthly_count_rows(
    snapshot, crime=crime, area=sesnsp.AreaFilter(municipality_code="11020")
)
areas = sesnsp.area_count_rows(
    snapshot, crime=crime, months=[(2024, 1), (2024, 2)], state_code="11"
)
rate = period_rate({(y, m): c for y, m, c in rows}, 100_000, Period.month(2024, 2))
ranked = rank_by_lower_bound([7.0, 2.0], [100_000, 50_000], ["a", "b"])
heavy = [m for m in json.loads(sys.argv[2]) if m in sys.modules]
figures = [[list(r) for r in rows], [a[2] for a in areas], rate.total, list(ranked.labels)]
print(json.dumps([*figures, heavy]))
"""


def test_a_series_and_a_ranking_load_neither_pandas_nor_scipy_stats(tmp_path):
    script = tmp_path / "series_and_ranking.py"
    script.write_text(SERIES_AND_RANKING, encoding="utf-8")
    snapshot = tmp_path / "snapshot.parquet"
    env = dict(os.environ, CIVICA_HOME=str(tmp_path))
    result = subprocess.run(
        [sys.executable, str(script), str(snapshot), json.dumps(HEAVY_FOR_A_SERIES)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    rows, areas, total, labels, loaded = json.loads(result.stdout.strip().splitlines()[-1])
    assert rows == [[2024, 1, 3], [2024, 2, 4]]
    assert areas == [7]
    assert total == 4
    assert labels == ["a", "b"]
    assert loaded == []


def test_a_server_pays_the_deferred_imports_before_its_first_request(tmp_path):
    # `civica serve` calls warm() before serving (and before forking gunicorn's workers).
    code = (
        "import json, os, sys; "
        "os.environ['DJANGO_SETTINGS_MODULE'] = 'civica.settings'; "
        "import django; django.setup(); "
        "before = [m for m in ('pandas', 'civica.official.views') if m in sys.modules]; "
        "from civica.web.warm import warm; "
        "names = warm(); "
        "from civica.warehouse import connection; "
        "opened = getattr(connection._local, 'connection', None) is not None; "
        "after = [m for m in [*names, 'civica.official.views'] if m not in sys.modules]; "
        "print(json.dumps([before, after, opened]))"
    )
    env = dict(os.environ, CIVICA_HOME=str(tmp_path))
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    before, missing, opened = json.loads(result.stdout.strip().splitlines()[-1])
    assert before == []
    assert missing == []
    assert opened is True


# What a `civica stats` call no longer loads (issue 19): the modules of the other commands (the
# command group imports a command's module when it is chosen) and the models and start-up
# hooks of the apps other than the territory and the official statistics.
NOT_FOR_A_STATS_CALL = (
    "civica.cli.analyze",
    "civica.cli.jobs",
    "civica.cli.justice",
    "civica.cli.monitoring",
    "civica.cli.workspace",
    "civica.participants.models",
    "civica.justice.models",
    "civica.reinsertion.models",
    "civica.monitoring.computations",
    "civica.jobs.registry",
    "civica.core.crypto",
    "django.contrib.admin",
    "axes",
    "knox.models",
    "django_tasks",
    "django.db.migrations.executor",
)


A_STATS_CALL = """
import json, sys
from civica.cli.main import cli
try:
    cli(["stats", "vintages", "--help"])
except SystemExit:
    pass
from django.apps import apps
loaded = [m for m in json.loads(sys.argv[1]) if m in sys.modules]
print(json.dumps([loaded, [c.name for c in apps.get_app_configs()]]))
"""


def test_a_stats_call_loads_neither_other_commands_nor_other_apps(tmp_path):
    env = dict(os.environ, CIVICA_HOME=str(tmp_path))
    result = subprocess.run(
        [sys.executable, "-c", A_STATS_CALL, json.dumps(NOT_FOR_A_STATS_CALL)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    loaded, started = json.loads(result.stdout.strip().splitlines()[-1])
    assert loaded == []
    assert started == ["civica.territory", "civica.official"]
