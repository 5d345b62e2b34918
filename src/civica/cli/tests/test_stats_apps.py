"""A `civica stats` call starts Django with the territory and official apps alone (issue 19),
and every `civica stats` command prints what it printed with every app installed.

A small workspace on disk (SQLite, whatever ``DATABASE_URL`` says: the narrowing does not
depend on the database): the states, León with its population, the state and Guanajuato
municipal SESNSP files. Each command runs twice: in a fresh process as a user calls it, and
in one process that started Django with every app first (the path before the change).
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from civica.cli.stats import DJANGO_APPS
from civica.cli.tests.narrowed_apps import as_a_user, new_workspace, printed_with_every_app

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
    env = new_workspace(tmp_path_factory.mktemp("stats-workspace"))
    subprocess.run(
        [sys.executable, "-c", POPULATE, str(shared_data)], env=env, check=True, capture_output=True
    )
    return env


def test_every_stats_command_prints_the_same_with_the_stats_apps_alone(workspace):
    expected = printed_with_every_app(workspace, COMMANDS)
    for args, printed in zip(COMMANDS, expected, strict=True):
        now, apps = as_a_user(workspace, args)
        assert now.returncode == 0, (args, now.stderr)
        assert apps == list(DJANGO_APPS), args
        assert now.stdout == printed, args
        assert "(no results)" not in printed and printed.strip(), args


def test_another_command_starts_every_app(workspace):
    now, apps = as_a_user(workspace, ["jobs", "list"])
    assert now.returncode == 0, now.stderr
    assert len(apps) > 20
