"""Imports next to other work, in real processes on a real database file (or a fresh
PostgreSQL database when ``DATABASE_URL`` names one):

* two imports of the same persons file at once write it once, and the other is refused with
  a clear message (no duplicates, no IntegrityError traceback);
* while a large import runs, log-ins and audited writes go through (SQLite: WAL, busy
  timeout, staged batches that keep the write lock short and one short apply), none fails
  with "database is locked".
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
import uuid
from pathlib import Path

import pytest

SEED = """
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from civica.accounts.models import User
from civica.accounts.roles import Role
from civica.organizations.models import Organization, OrganizationKind
from civica.territory.models import Municipality, State
state = State.objects.create(code="09", name="Ciudad de México", abbreviation="CDMX")
for n in range(1, 6):
    Municipality.objects.create(cvegeo=f"090{n:02d}", state=state, name=f"Alcaldía {n}")
Organization.objects.create(name="Fundación A", kind=OrganizationKind.CIVIL_SOCIETY)
User.objects.create_user("ana", password="una-clave-larga-1", role=Role.ADMINISTRATOR)
"""

COUNT = """
import django
django.setup()
from civica.participants.models import Person
print(Person.objects.count())
"""

# Log in through the page and write an audited event, again and again, noting when each
# started and ended; every failure is kept with its message.
WRITER = """
import json, sys, time
import django
django.setup()
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
from civica.audit.services import Action, record
until = float(sys.argv[1])
# The first log-in loads the site's modules (seconds on a busy machine): done before the
# import starts, so that a measured log-in waits only for the import.
Client().post("/accounts/login/", {"username": "ana", "password": "una-clave-larga-1"})
print("ready", flush=True)
while time.time() < until:
    started = time.time()
    try:
        client = Client()
        answer = client.post(
            "/accounts/login/", {"username": "ana", "password": "una-clave-larga-1"}
        )
        assert answer.status_code in (200, 302), answer.status_code
        record(actor=None, action=Action.VIEW, object_type="test.Probe", object_label="probe")
        result = {"start": started, "end": time.time(), "error": ""}
    except Exception as error:
        result = {"start": started, "end": time.time(), "error": repr(error)}
    print(json.dumps(result), flush=True)
    time.sleep(0.2)
"""

HEADER = (
    "given_names,family_names,birth_date,sex,curp,municipality,consent_given_by,"
    "guardian_name,consent_date,follow_up,track,referral_source,start_date\n"
)


def _database_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        return None
    import psycopg

    base, _, _name = url.rpartition("/")
    name = f"civica_import_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{base}/{name}"


def _drop(url: str | None) -> None:
    if url is None:
        return
    import psycopg

    base, _, name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def workspace(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env["CIVICA_HOME"] = str(tmp_path / "home")
    env["DJANGO_SETTINGS_MODULE"] = "civica.settings"
    env["PYTHONPATH"] = (
        str(Path(__file__).resolve().parents[3]) + os.pathsep + env.get("PYTHONPATH", "")
    )
    url = _database_url()
    if url is None:
        env.pop("DATABASE_URL", None)
    else:
        env["DATABASE_URL"] = url
    python(env, SEED)
    yield env
    _drop(url)


def python(env, code: str, *args, check=True) -> subprocess.CompletedProcess:
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if check:
        assert done.returncode == 0, done.stderr[-3000:]
    return done


def civica(env, *args) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "civica", "--lang", "es-mx", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def persons_file(path: Path, rows: int) -> Path:
    sys.path.insert(0, str(Path(__file__).resolve().parents[4] / "benchmarks"))
    from bench_imports import persons_csv

    path.write_bytes(persons_csv(rows, [f"090{n:02d}" for n in range(1, 6)]))
    return path


def test_two_imports_of_the_same_file_at_once_write_it_once(workspace, tmp_path):
    path = persons_file(tmp_path / "tres.csv", 3)
    first, second = (
        civica(workspace, "participants", "import", str(path), "--organization", "Fundación A")
        for _ in range(2)
    )
    outputs = [process.communicate(timeout=600) for process in (first, second)]
    codes = sorted(process.returncode for process in (first, second))
    assert codes == [0, 1], outputs
    refused = next(
        out + err for (out, err), p in zip(outputs, (first, second), strict=True) if p.returncode
    )
    assert "Traceback" not in refused, refused[-1500:]
    assert (
        "Otra importación de personas está en curso" in refused
        or "ya está registrada" in (refused)
        or "Posibles duplicados" in refused
    ), refused
    assert python(workspace, COUNT).stdout.strip() == "3"


def test_log_ins_and_audited_writes_never_fail_while_a_large_import_runs(workspace, tmp_path):
    path = persons_file(tmp_path / "muchas.csv", 6000)
    started = time.time()
    writer = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(WRITER), str(started + 300)],
        env=workspace,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert writer.stdout.readline().strip() == "ready", writer.stderr.read()[-3000:]
    importer = civica(
        workspace, "participants", "import", str(path), "--organization", "Fundación A"
    )
    # The command reports each staged batch on standard error: the writing phase is the
    # time between the first report and the end of the import (the staged rows are applied
    # in one transaction after the last report).
    batches, errors_out = [], []
    for line in importer.stderr:
        (batches if "filas escritas" in line else errors_out).append((time.time(), line))
    importer.wait(timeout=600)
    finished = time.time()
    # Read the writer until it reports a request started after the import finished (it
    # stops by itself at its deadline otherwise).
    seen = []
    for line in writer.stdout:
        seen.append(line)
        if line.startswith("{") and json.loads(line)["start"] > finished:
            break
    writer.terminate()
    rest, writer_err = writer.communicate(timeout=60)
    writer_out = "".join(seen) + rest
    assert importer.returncode == 0, errors_out[-20:]
    assert len(batches) == 6
    results = [json.loads(line) for line in writer_out.splitlines() if line.startswith("{")]
    assert results, writer_err[-3000:]
    errors = [r["error"] for r in results if r["error"]]
    assert errors == [], errors
    # Staged batch by batch, the import lets other writers in between its batches (one
    # transaction for the whole file kept every one of them waiting until its end): some
    # log-in and audited write finished while the import was still writing.
    writing = (batches[0][0], finished)
    during = [r for r in results if writing[0] < r["end"] < writing[1]]
    assert during, (
        [round(t - started, 2) for t in writing],
        [(round(r["start"] - started, 2), round(r["end"] - started, 2)) for r in results][-8:],
    )

    # No bound on how long one request waits (a duration; and SQLite does not queue writers
    # fairly: on a loaded machine one request may wait across several batches). What is
    # checked is the order of events: writes finished while the import was still writing
    # (above), none failed, and the writer went on after the import with a request that
    # started once the import had finished.
    assert [r for r in results if r["start"] > finished and not r["error"]], (
        [round(r["start"] - started, 2) for r in results][-5:],
        round(finished - started, 2),
    )
    assert python(workspace, COUNT).stdout.strip() == "6000"
