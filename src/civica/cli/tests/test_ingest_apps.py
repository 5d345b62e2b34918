"""A `civica ingest` call starts Django with the apps it writes to alone (issue 19), and each
`civica ingest` command prints and records what it did with every app installed.

Two small workspaces on disk (SQLite, whatever ``DATABASE_URL`` says: the narrowing does not
depend on the database): the same commands run in one as a user calls them (a fresh process
each, through the command group, which says on its standard error which apps Django started
with) and in the other in one process that started Django with every app first (the path
before the change); the printed lines, the warehouse's snapshots and the audit trail must
be the same.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

from civica.cli.ingest import DJANGO_APPS

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

# What each workspace holds afterwards: the snapshots (dataset, cut, rows, content) and the
# audit trail (who did what to which object), without times and generated ids.
RECORDED = """
import json, os
os.environ["DJANGO_SETTINGS_MODULE"] = "civica.settings"
import django
django.setup()
from civica.audit.models import AuditEvent
from civica.core.services import warehouse
from civica.territory.models import PopulationEstimate
snapshots = sorted(
    (s.dataset, s.cut, s.rows, s.content_sha256, s.source_sha256)
    for s in warehouse().manifest().snapshots
)
events = [
    (e.actor_username, e.action, e.object_type, e.object_label, json.dumps(e.detail))
    for e in AuditEvent.objects.order_by("id")
]
print(json.dumps([snapshots, sorted(events), PopulationEstimate.objects.count()]))
"""


def commands(data) -> list[list[str]]:
    population = data / "conapo_poblacion"
    return [
        [
            "ingest",
            "sesnsp",
            str(data / "sesnsp_municipal" / "guanajuato_homicidios_2020-2025_formato_IDM.csv"),
            "--cut",
            "2025-11",
        ],
        [
            "--lang",
            "en",
            "ingest",
            "sesnsp",
            str(data / "sesnsp_estatal" / "IDEFC_NM_estatal_2015-2024.csv.gz"),
            "--cut",
            "2024-11",
        ],
        [
            "ingest",
            "conapo",
            *(str(population / f"entidad_{part}.csv") for part in ("total", "hombres", "mujeres")),
        ],
    ]


def workspace(tmp_path_factory, name: str) -> dict:
    home = tmp_path_factory.mktemp(name)
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(CIVICA_HOME=str(home), PYTHONWARNINGS="ignore")
    subprocess.run(
        [sys.executable, "-m", "civica", "init"], env=env, check=True, capture_output=True
    )
    return env


def recorded(env: dict) -> list:
    done = subprocess.run(
        [sys.executable, "-c", RECORDED], env=env, capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_every_ingest_command_prints_and_records_the_same_with_its_apps_alone(
    tmp_path_factory, shared_data
):
    before, now = (workspace(tmp_path_factory, name) for name in ("every-app", "narrowed"))
    every = subprocess.run(
        [sys.executable, "-c", WITH_EVERY_APP, json.dumps(commands(shared_data))],
        env=before,
        capture_output=True,
        text=True,
        check=True,
    )
    expected = json.loads(every.stdout.strip().splitlines()[-1])
    for args, printed in zip(commands(shared_data), expected, strict=True):
        done = subprocess.run(
            [sys.executable, "-c", AS_A_USER, *args], env=now, capture_output=True, text=True
        )
        assert done.returncode == 0, (args, done.stderr)
        assert json.loads(done.stderr.strip().splitlines()[-1]) == list(DJANGO_APPS), args
        assert done.stdout == printed, args
        assert printed.strip(), args

    assert recorded(now) == recorded(before)
    assert recorded(now)[0] and recorded(now)[1]
