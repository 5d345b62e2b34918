"""A fault test: ``kill -9`` in the middle of a large persons import, in real processes on a
real database file (or a fresh PostgreSQL database when ``DATABASE_URL`` names one).

The import stages its rows in batches beside the served tables and applies them in one
transaction (``civica.core.staging``): killed while staging, it leaves the persons served
before exactly as they were — no person, consent, enrollment or audit entry of the killed
file — and the same file imported again afterwards goes through whole.
"""

from __future__ import annotations

import os
import signal

from civica.participants.tests.test_import_concurrency import (  # noqa: F401 (fixture)
    civica,
    persons_file,
    python,
    workspace,
)

STATE = """
import django, json
django.setup()
from django.db import connection
from civica.audit.models import AuditEvent
from civica.participants.models import Consent, Enrollment, Person
print(json.dumps({
    "persons": sorted(
        (p.pid, p.given_names, p.family_names, p.curp) for p in Person.objects.all()
    ),
    "consents": Consent.objects.count(),
    "enrollments": Enrollment.objects.count(),
    "imports": AuditEvent.objects.filter(object_type="core.ImportedFile").count(),
    "shadow": [t for t in connection.introspection.table_names() if t.startswith("civica_stage")],
}))
"""


def state(env) -> dict:
    import json

    return json.loads(python(env, STATE).stdout.strip().splitlines()[-1])


def run_import(env, path):
    return civica(env, "participants", "import", str(path), "--organization", "Fundación A")


def test_a_killed_import_leaves_the_previous_data_served_and_a_rerun_succeeds(
    workspace,  # noqa: F811
    tmp_path,
):
    before_file = persons_file(tmp_path / "antes.csv", 3)
    first = run_import(workspace, before_file)
    _out, err = first.communicate(timeout=600)
    assert first.returncode == 0, err[-2000:]
    before = state(workspace)
    assert len(before["persons"]) == 3 and before["imports"] == 1

    # The same generator's next 6,000 rows: no person of the first file again.
    lines = persons_file(tmp_path / "todas.csv", 6003).read_bytes().splitlines()
    big = tmp_path / "muchas.csv"
    big.write_bytes(b"\n".join(lines[:1] + lines[4:]) + b"\n")
    importer = run_import(workspace, big)
    written = 0
    for line in importer.stderr:
        if "filas escritas" in line:
            written += 1
            if written == 3:  # half of the file staged, committed batch by batch
                os.kill(importer.pid, signal.SIGKILL)
                break
    importer.wait(timeout=600)
    assert importer.returncode == -signal.SIGKILL, importer.stderr.read()[-2000:]
    assert written == 3

    after = state(workspace)
    assert after["persons"] == before["persons"]
    assert after["consents"] == after["enrollments"] == 3
    assert after["imports"] == 1

    again = run_import(workspace, big)
    _out, err = again.communicate(timeout=600)
    assert again.returncode == 0, err[-3000:]
    final = state(workspace)
    assert len(final["persons"]) == 6003
    assert set(map(tuple, before["persons"])) <= set(map(tuple, final["persons"]))
    assert final["consents"] == final["enrollments"] == 6003
    assert final["imports"] == 2
    assert final["shadow"] == []
