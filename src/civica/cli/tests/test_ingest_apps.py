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
import subprocess
import sys

from civica.cli.ingest import DJANGO_APPS
from civica.cli.tests.narrowed_apps import as_a_user, new_workspace, printed_with_every_app

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


def recorded(env: dict) -> list:
    done = subprocess.run(
        [sys.executable, "-c", RECORDED], env=env, capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_every_ingest_command_prints_and_records_the_same_with_its_apps_alone(
    tmp_path_factory, shared_data
):
    before, now = (new_workspace(tmp_path_factory.mktemp(n)) for n in ("every-app", "narrowed"))
    expected = printed_with_every_app(before, commands(shared_data))
    for args, printed in zip(commands(shared_data), expected, strict=True):
        done, apps = as_a_user(now, args)
        assert done.returncode == 0, (args, done.stderr)
        assert apps == list(DJANGO_APPS), args
        assert done.stdout == printed, args
        assert printed.strip(), args

    assert recorded(now) == recorded(before)
    assert recorded(now)[0] and recorded(now)[1]
