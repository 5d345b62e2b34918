"""The fact sheet and the dashboard never evaluate designs in the web request: they read the
stored result of the ``interventions.summary`` job. Without one, the page answers at once
with the job's progress (the job waits in the queue, nothing was computed or stored); once
the worker has run it, the page shows the figures — the same ones the program summary page
shows, from the same function and inference."""

import pytest
from django.urls import reverse

from civica.accounts.models import User
from civica.interventions.jobs import SUMMARY
from civica.jobs.models import CachedResult, Job
from civica.jobs.testing import run_queued_jobs
from civica.monitoring.tests.test_evaluation_results import two_cities  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(client):
    user = User.objects.create_superuser("root", password="x" * 12, role="administrator")
    client.force_login(user)
    return user


def _summary_jobs():
    return Job.objects.filter(kind=SUMMARY)


@pytest.mark.parametrize("page", ["monitoring:factsheet", "monitoring:dashboard"])
def test_the_page_answers_with_progress_and_evaluates_nothing(client, officer, two_cities, page):  # noqa: F811
    response = client.get(reverse(page), {"period": "FY2016"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "data-job-status" in html and "en cálculo" in html
    # The job is queued, not started, and nothing was computed or stored in the request.
    (job,) = _summary_jobs()
    assert job.status == "queued" and job.started_at is None and job.owner == officer
    assert not CachedResult.objects.filter(kind=SUMMARY).exists()
    # Asking again while it waits finds the same job.
    client.get(reverse(page), {"period": "FY2016"})
    assert _summary_jobs().count() == 1
    assert run_queued_jobs() == 1
    done = client.get(reverse(page), {"period": "FY2016"}).content.decode()
    assert "data-job-status" not in done and "en cálculo" not in done
    assert _summary_jobs().count() == 1  # read from the store, no second job


def test_the_figures_are_the_summary_pages(client, officer, two_cities):  # noqa: F811
    client.get(reverse("monitoring:factsheet"), {"period": "FY2016"})
    client.get(reverse("interventions:summary"))
    assert _summary_jobs().count() == 2
    assert run_queued_jobs() == 2
    sheet = client.get(reverse("monitoring:factsheet"), {"period": "FY2016"})
    page = client.get(reverse("interventions:summary"))
    summary = page.context["summary"]
    rows = {r.design.intervention.name: r for r in summary.rows}
    intervals = {
        i["intervention"]: i
        for item in sheet.context["sheet"].achievements
        for i in item["intervals"]
        if i.get("intervention") in rows
    }
    assert sorted(intervals) == sorted(rows) == ["Parque iluminado", "Senderos seguros"]
    row = next(r for r in sheet.context["sheet"].rows if r.code == "CRIME-CHANGE")
    by_name = {i.intervention: i for i in row.result.intervals}
    for name, summary_row in rows.items():
        f = summary_row.figures
        item = by_name[name]
        assert (item.change, item.lower, item.upper) == (
            f.percent_change,
            f.percent_lower,
            f.percent_upper,
        )
        # Both pages report the same two results together: the same Holm adjustment.
        assert item.adjusted_p == summary_row.adjusted_p
        assert item.significant == summary_row.significant_after_adjustment
    assert row.result.parts["pooled"] == round(summary.pooled.percent_change, 1)


def test_the_pdf_job_computes_the_summary_through_the_store(client, officer, two_cities):  # noqa: F811
    client.get(reverse("monitoring:factsheet-pdf"), {"period": "FY2016"})
    assert run_queued_jobs() == 1  # the PDF job evaluated the designs in the worker …
    stored = CachedResult.objects.filter(kind=SUMMARY)
    assert stored.count() == 1
    # … and stored the summary, which the page now reads without a job of its own.
    html = client.get(reverse("monitoring:factsheet"), {"period": "FY2016"}).content.decode()
    assert "data-job-status" not in html and "Senderos seguros" in html
    assert not _summary_jobs().exists()


def test_viewers_with_the_same_selection_share_the_stored_result(client, officer, two_cities):  # noqa: F811
    client.get(reverse("monitoring:dashboard"), {"period": "FY2016"})
    run_queued_jobs()
    other = User.objects.create_superuser("otra", password="x" * 12, role="administrator")
    client.force_login(other)
    html = client.get(reverse("monitoring:dashboard"), {"period": "FY2016"}).content.decode()
    assert "data-job-status" not in html
    assert _summary_jobs().count() == 1
