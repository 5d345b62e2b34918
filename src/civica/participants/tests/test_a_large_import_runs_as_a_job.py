"""A persons file of more than 2,000 rows uploaded through the API is imported by the worker:
the request answers 202 with the job at once; the file waits encrypted in a 0600 file of the
workspace and is gone once the worker read it; the result (created and updated, or every
problem with its line and column and nothing written) is shown to the uploader only."""

import stat
import sys
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from rest_framework.test import APIClient

from civica.jobs import uploads
from civica.jobs.models import CachedResult, Job
from civica.jobs.testing import run_queued_jobs
from civica.participants.jobs import IMPORT_PERSONS, LARGE_IMPORT_ROWS
from civica.participants.models import Person

pytestmark = pytest.mark.django_db

ROWS = LARGE_IMPORT_ROWS + 400


def persons(rows: int) -> bytes:
    sys.path.insert(0, str(Path(__file__).resolve().parents[4] / "benchmarks"))
    from bench_imports import persons_csv

    return persons_csv(rows, ["09015"])


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def workspace(settings, tmp_path):
    settings.CIVICA_HOME = tmp_path


def upload(client, data: bytes):
    return client.post(
        "/api/persons/import/",
        {"file": SimpleUploadedFile("personas.csv", data, content_type="text/csv")},
        format="multipart",
    )


def test_a_large_file_is_held_encrypted_then_imported_by_the_worker(personas, workspace):
    data = persons(ROWS)
    client = api(personas.worker_a)
    answer = upload(client, data)
    assert answer.status_code == 202, answer.content
    job = Job.objects.get(kind=IMPORT_PERSONS)
    assert answer.json()["job"] == str(job.id) and job.status == "queued"
    assert not Person.objects.exists()  # nothing imported in the request
    (held,) = uploads.folder().iterdir()
    assert stat.S_IMODE(held.stat().st_mode) == 0o600
    assert stat.S_IMODE(uploads.folder().stat().st_mode) == 0o700
    first_name = data.splitlines()[1].split(b",")[0]
    assert first_name not in held.read_bytes() and b"given_names" not in held.read_bytes()
    assert "personas.csv" not in str(job.inputs) and first_name.decode() not in str(job.inputs)
    waiting = client.get(answer.json()["result"]).json()
    assert waiting["status"] == "queued" and "created" not in waiting
    # The result page shows the job's progress while it waits.
    browser = Client()
    browser.force_login(personas.worker_a)
    page = browser.get(answer.json()["page"]).content.decode()
    assert "data-job-status" in page

    assert run_queued_jobs() == 1
    assert list(uploads.folder().iterdir()) == []  # deleted once read
    assert Person.objects.count() == ROWS
    result = client.get(answer["Location"]).json()
    assert result["status"] == "done" and result["errors"] == []
    assert (result["created"], result["updated"]) == (ROWS, 0)
    assert sorted(result["pids"]) == sorted(Person.objects.values_list("pid", flat=True))
    # The stored result is sealed: no pseudonymous id in clear in the table.
    stored = CachedResult.objects.get(kind=IMPORT_PERSONS)
    assert result["pids"][0] not in str(stored.value)
    page = browser.get(answer.json()["page"]).content.decode()
    assert "data-job-status" not in page
    assert f"{ROWS} creadas, 0 actualizadas." in page and result["pids"][0] in page
    # Only the uploader sees the job.
    assert api(personas.worker_a2).get(answer["Location"]).status_code == 404
    browser.force_login(personas.worker_a2)
    assert browser.get(answer.json()["page"]).status_code == 404


def test_a_large_file_with_a_bad_row_writes_nothing_and_says_where(personas, workspace):
    lines = persons(ROWS).decode().splitlines()
    fields = lines[1500].split(",")
    fields[2] = "31/02/2009"  # birth_date
    lines[1500] = ",".join(fields)
    client = api(personas.worker_a)
    answer = upload(client, ("\n".join(lines) + "\n").encode())
    assert answer.status_code == 202
    assert run_queued_jobs() == 1
    result = client.get(answer["Location"]).json()
    assert result["created"] == 0 and not Person.objects.exists()
    assert [(e["line"], e["column"]) for e in result["errors"]] == [(1501, "birth_date")]
    browser = Client()
    browser.force_login(personas.worker_a)
    page = browser.get(answer.json()["page"]).content.decode()
    assert "1 problema; no se escribió nada" in page
    assert '<td class="num">1501</td><td class="code">birth_date</td>' in page


def test_a_small_file_is_still_imported_in_the_request(personas, workspace):
    answer = upload(api(personas.worker_a), persons(3))
    assert answer.status_code == 201 and len(answer.json()["pids"]) == 3
    assert not Job.objects.exists() and not uploads.folder().exists()


def test_a_held_file_no_job_took_is_pruned(personas, workspace):
    import datetime as dt

    from civica.jobs.services import prune

    uploads.hold(b"given_names\nAna\n")
    assert prune(older_than=dt.timedelta(days=30))["uploads"] == 0  # younger than a day
    assert prune(older_than=dt.timedelta(seconds=0))["uploads"] == 1
    assert list(uploads.folder().iterdir()) == []
