"""A `civica stats` call starts Django with the territory and official apps alone (issue 19),
and every `civica stats` command prints what it printed with every app installed.

A small workspace on disk (SQLite, whatever ``DATABASE_URL`` says: the narrowing does not
depend on the database): the states, León with its population, the state and Guanajuato
municipal SESNSP files. Each command runs twice: in a fresh process as a user calls it, and
in one process that started Django with every app first (the path before the change).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from civica.cli.stats import DJANGO_APPS

POPULATE = """
import os, sys
os.environ["DJANGO_SETTINGS_MODULE"] = "civica.settings"
import django
django.setup()
from pathlib import Path
from civica.official import services
from civica.territory.catalog import STATES
from civica.territory.models import Municipality, PopulationEstimate, State

data = Path(sys.argv[1])
states = State.objects.bulk_create(State(code=info.code, name=info.name) for info in STATES)
by_code = {s.code: s for s in State.objects.all()}
PopulationEstimate.objects.bulk_create(
    PopulationEstimate(state=state, year=year, total=4_000_000 + 1_000 * int(code))
    for code, state in by_code.items()
    for year in range(2015, 2027)
)
for cvegeo, name, total in [("11020", "León", 1_800_000), ("11007", "Celaya", 520_000)]:
    town = Municipality.objects.create(cvegeo=cvegeo, state=by_code["11"], name=name)
    PopulationEstimate.objects.bulk_create(
        PopulationEstimate(state=by_code["11"], municipality=town, year=year, total=total)
        for year in range(2015, 2027)
    )
services.store_sesnsp(
    path=data / "sesnsp_estatal" / "IDEFC_NM_estatal_2015-2024.csv.gz", cut="2024-11"
)
services.store_sesnsp(
    path=data / "sesnsp_municipal" / "guanajuato_homicidios_2020-2025_formato_IDM.csv",
    cut="2025-11",
)
"""

# Every command as a user calls it: a fresh process through the command group, which says on
# its standard error which apps Django started with.
AS_A_USER = """
import json, sys
from civica.cli.main import cli
try:
    cli(sys.argv[1:], prog_name="civica")
except SystemExit as stop:
    assert not stop.code, stop.code
finally:
    from django.apps import apps
    print(json.dumps([c.name for c in apps.get_app_configs()]), file=sys.stderr)
"""

# The path before the change: Django started with every app, then each command.
WITH_EVERY_APP = """
import json, os, sys
os.environ["DJANGO_SETTINGS_MODULE"] = "civica.settings"
import django
django.setup()
from click.testing import CliRunner
from civica.cli.main import cli
outputs = []
for args in json.loads(sys.argv[1]):
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, (args, result.output)
    outputs.append(result.stdout)
print(json.dumps(outputs))
"""

CRIME = ["--crime", "Homicidio doloso"]
COMMANDS = [
    ["stats", "series", *CRIME, "--municipality", "11020", "--by", "year"],
    ["stats", "series", *CRIME, "--municipality", "11020", "--by", "month", "--format", "json"],
    ["stats", "series", *CRIME, "--state", "11", "--by", "quarter", "--format", "csv"],
    ["--lang", "en", "stats", "series", *CRIME, "--by", "fiscal-year", "--from", "2020"],
    ["stats", "ranking", *CRIME, "--state", "11", "--period", "2024", "--format", "json"],
    ["--lang", "en", "stats", "ranking", *CRIME, "--period", "2023-Q2"],
    ["stats", "semaforo", *CRIME, "--municipality", "11020", "--format", "csv"],
    ["stats", "priority", "--municipality", "11020"],
    ["stats", "vintages", "--format", "json"],
    ["stats", "vintages", *CRIME, "--year", "2024"],
    ["stats", "quality", *CRIME, "--year", "2024"],
]


@pytest.fixture(scope="module")
def workspace(tmp_path_factory, shared_data):
    home = tmp_path_factory.mktemp("stats-workspace")
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(CIVICA_HOME=str(home), PYTHONWARNINGS="ignore")
    for argv in (["-m", "civica", "init"], ["-c", POPULATE, str(shared_data)]):
        subprocess.run([sys.executable, *argv], env=env, check=True, capture_output=True)
    return env


def test_every_stats_command_prints_the_same_with_the_stats_apps_alone(workspace):
    before = subprocess.run(
        [sys.executable, "-c", WITH_EVERY_APP, json.dumps(COMMANDS)],
        env=workspace,
        capture_output=True,
        text=True,
        check=True,
    )
    expected = json.loads(before.stdout.strip().splitlines()[-1])
    for args, printed in zip(COMMANDS, expected, strict=True):
        now = subprocess.run(
            [sys.executable, "-c", AS_A_USER, *args],
            env=workspace,
            capture_output=True,
            text=True,
        )
        assert now.returncode == 0, (args, now.stderr)
        assert json.loads(now.stderr.strip().splitlines()[-1]) == list(DJANGO_APPS), args
        assert now.stdout == printed, args
        assert "(no results)" not in printed and printed.strip(), args


def test_another_command_starts_every_app(workspace):
    now = subprocess.run(
        [sys.executable, "-c", AS_A_USER, "jobs", "list"],
        env=workspace,
        capture_output=True,
        text=True,
    )
    assert now.returncode == 0, now.stderr
    assert len(json.loads(now.stderr.strip().splitlines()[-1])) > 20
