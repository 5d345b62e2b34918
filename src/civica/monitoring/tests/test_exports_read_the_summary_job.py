"""The indicator exports (CSV, XLSX, DHIS2) and ``/api/monitoring/indicators/`` hold what the
fact sheet shows: they read the stored result of the ``interventions.summary`` job and never
evaluate designs in the request. Without a stored result the request queues the job (the
page's job: the same one) and the evaluation figure is empty with "en cálculo"; once the
worker has run it, the exported figure is the page's."""

import csv
import io
import json

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from civica.accounts.models import User
from civica.interventions.jobs import SUMMARY
from civica.jobs.models import CachedResult, Job
from civica.jobs.testing import run_queued_jobs
from civica.monitoring.tests.test_evaluation_results import two_cities  # noqa: F401

pytestmark = pytest.mark.django_db

CODE = "CRIME-CHANGE"
PERIOD = {"period": "FY2016"}


@pytest.fixture
def officer(client):
    user = User.objects.create_superuser("root", password="x" * 12, role="administrator")
    client.force_login(user)
    return user


def _csv_row(client):
    text = client.get(reverse("monitoring:indicators-export", args=["csv"]), PERIOD)
    rows = csv.DictReader(io.StringIO(text.content.decode()))
    return next(r for r in rows if r["indicator"] == CODE and not r["disaggregation"])


def _xlsx_row(client):
    body = client.get(reverse("monitoring:indicators-export", args=["xlsx"]), PERIOD).content
    sheet = load_workbook(io.BytesIO(body)).active
    header, *rows = sheet.iter_rows(values_only=True)
    records = [dict(zip(header, r, strict=True)) for r in rows]
    return next(r for r in records if r["indicator"] == CODE and not r["disaggregation"])


def _dhis2_values(client):
    body = client.get(reverse("monitoring:indicators-export", args=["dhis2"]), PERIOD).content
    values = json.loads(body)["dataValues"]
    return [v for v in values if v["dataElement"] == CODE and v["categoryOptionCombo"] == "default"]


def _api(client):
    return client.get(reverse("api:monitoring-indicators"), PERIOD).json()


def _api_row(body):
    return next(r for r in body["rows"] if r["indicator"] == CODE and not r["disaggregation"])


def _nothing_evaluated(officer):
    (job,) = Job.objects.filter(kind=SUMMARY)
    assert job.status == "queued" and job.started_at is None and job.owner == officer
    assert not CachedResult.objects.filter(kind=SUMMARY).exists()
    return job


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "dhis2", "api"])
def test_without_a_stored_result_the_export_queues_the_job_and_says_being_computed(
    client,
    officer,
    two_cities,  # noqa: F811
    fmt,
):
    if fmt == "csv":
        row = _csv_row(client)
        assert (row["value"], row["note"]) == ("", "en cálculo")
    elif fmt == "xlsx":
        row = _xlsx_row(client)
        assert (row["value"], row["note"]) == (None, "en cálculo")
    elif fmt == "dhis2":
        assert _dhis2_values(client) == []  # a value not computed is left out
    else:
        body = _api(client)
        row = _api_row(body)
        assert (row["value"], row["note"]) == ("", "en cálculo")
        job = Job.objects.get(kind=SUMMARY)
        assert body["status"] == "computing" and row["job"] == str(job.id)
        assert body["jobs"] == [
            {
                "id": str(job.id),
                "kind": SUMMARY,
                "status": "queued",
                "url": reverse("jobs:status", args=[job.id]),
            }
        ]
    job = _nothing_evaluated(officer)
    # The page of the same selection waits for the same job.
    client.get(reverse("monitoring:factsheet"), PERIOD)
    assert list(Job.objects.filter(kind=SUMMARY)) == [job]


def test_with_a_stored_result_every_export_holds_the_pages_figure(client, officer, two_cities):  # noqa: F811
    client.get(reverse("monitoring:factsheet"), PERIOD)
    assert run_queued_jobs() == 1
    sheet = client.get(reverse("monitoring:factsheet"), PERIOD).context["sheet"]
    page = next(r for r in sheet.rows if r.code == CODE)
    assert page.value == -10.0  # the least favourable change (test_evaluation_results)
    row = _csv_row(client)
    assert (float(row["value"]), row["note"]) == (page.value, "")
    assert float(_xlsx_row(client)["value"]) == page.value
    (value,) = _dhis2_values(client)
    assert float(value["value"]) == page.value
    body = _api(client)
    assert (body["status"], body["jobs"]) == ("complete", [])
    api_row = _api_row(body)
    assert float(api_row["value"]) == page.value and api_row["job"] is None
    # Read from the store: no job was started after the worker's.
    assert Job.objects.filter(kind=SUMMARY).count() == 1
