"""The result page shows the headline in both languages, counts, chart and the design used;
the program summary gives the range with each interval and Holm-adjusted p-values."""

import pytest
from django.urls import reverse

from civica.audit.models import AuditEvent
from civica.interventions.tests.evaluation_data import ingest, locked_design

pytestmark = pytest.mark.django_db


@pytest.fixture
def design(settings, tmp_path):
    from civica.demo import synthetic

    settings.CIVICA_WAREHOUSE_DIR = str(tmp_path / "warehouse")
    synthetic.load()
    ingest(tmp_path)
    return locked_design()


def test_the_result_page(client, personas, design):
    client.force_login(personas.admin)
    page = client.get(reverse("interventions:design", args=[design.pk]))
    body = page.content.decode()
    assert page.context["headline_en"].startswith("Robo a transeunte fell 50% (95% CI 16% to 70%)")
    assert page.context["headline_es"].startswith("Robo a transeunte bajó 50% (IC 95% 16% a 70%)")
    assert page.context["headline_es"] in body
    assert 'id="evaluation-chart"' in body
    assert "Sector B2" in body  # the design used is shown with the result
    assert "2014-01-01" in body


def test_the_months_download_is_audited(client, personas, design):
    client.force_login(personas.admin)
    response = client.get(reverse("interventions:design-csv", args=[design.pk]))
    lines = response.content.decode().splitlines()
    assert lines[0] == "month,window,target,comparison,buffer,counterfactual"
    assert len(lines) == 1 + 24
    assert sum(int(line.split(",")[2]) for line in lines[1:13]) == 60
    assert AuditEvent.objects.filter(action="export", object_id=str(design.pk)).exists()


def test_the_program_summary(client, personas, design):
    from civica.jobs.models import Job
    from civica.jobs.testing import run_queued_jobs

    client.force_login(personas.admin)
    waiting = client.get(reverse("interventions:summary"))
    # The page answered without evaluating: the summary's job waits for the worker.
    assert Job.objects.get().status == "queued" and "summary" not in waiting.context
    assert "data-job-status" in waiting.content.decode()
    assert run_queued_jobs() == 1
    page = client.get(reverse("interventions:summary"))
    assert page.context["job"].from_cache and run_queued_jobs() == 0
    summary = page.context["summary"]
    assert len(summary.evaluated) == 1
    assert page.context["sentence_en"] == (
        "Target crimes fell 50% in selected sectors of 1 city; 1 of 1 result remains "
        "significant after adjusting for multiple comparisons (Holm). Each interval is in the "
        "table."
    )
    row = summary.rows[0]
    assert row.adjusted_p == pytest.approx(row.figures.p_value)


def test_the_program_summary_is_computed_again_when_a_design_is_locked(client, personas, design):
    from civica.jobs.models import CachedResult
    from civica.jobs.testing import run_queued_jobs

    client.force_login(personas.admin)
    client.get(reverse("interventions:summary"))
    run_queued_jobs()
    locked_design(target="Sector A3", name="Alumbrado")
    waiting = client.get(reverse("interventions:summary"))
    assert "summary" not in waiting.context  # a new question: the stored result is not it
    assert run_queued_jobs() == 1 and CachedResult.objects.count() == 2
    page = client.get(reverse("interventions:summary"))
    assert len(page.context["summary"].rows) == 2
