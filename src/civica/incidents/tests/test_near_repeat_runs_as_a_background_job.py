"""The near-repeat page never computes in the request: it starts a job that the real
database worker runs, shows its progress, then the table; the same inputs are answered from
the stored result."""

import json
import os
import subprocess
import sys

import pytest
from django.db import connection
from django.urls import reverse

from civica.territory.models import Municipality
from civica.testing.personas import make_user

PAGE = ("incidents:near-repeat", ["sintetico"])
QUICK = {"crime": "ROBO", "quick": "1"}


@pytest.fixture
def analyst_a(synthetic_incidents):
    return make_user(
        "ana_a", "municipal_analyst", municipalities=[Municipality.objects.get(cvegeo="99001")]
    )


@pytest.fixture
def analyst_b(synthetic_incidents):
    return make_user(
        "beto_b", "municipal_analyst", municipalities=[Municipality.objects.get(cvegeo="99002")]
    )


def _status(client, job):
    return json.loads(client.get(reverse("jobs:status", args=[job.id])).content)


def test_the_page_answers_at_once_with_progress_then_shows_the_table(client, analyst_a):
    from civica.jobs.models import Job
    from civica.jobs.testing import run_queued_jobs

    client.force_login(analyst_a)
    first = client.get(reverse(PAGE[0], args=PAGE[1]), QUICK).content.decode()
    # The page answered without computing: its job is still waiting for the worker.
    job = Job.objects.get(owner=analyst_a)
    assert job.status == "queued" and job.started_at is None
    assert "data-job-status" in first and "<table>" not in first
    assert _status(client, job)["status"] == "queued"
    assert run_queued_jobs() == 1
    state = _status(client, job)
    assert state["status"] == "done" and state["percent"] == 100 and state["finished"]
    body = client.get(reverse(PAGE[0], args=PAGE[1]), QUICK).content.decode()
    assert "<table>" in body and ("10 incidentes" in body or "10 incidents" in body)


def test_the_same_inputs_are_answered_from_the_stored_result(client, analyst_a):
    from civica.jobs.models import CachedResult, Job
    from civica.jobs.testing import run_queued_jobs

    client.force_login(analyst_a)
    client.get(reverse(PAGE[0], args=PAGE[1]), QUICK)
    run_queued_jobs()
    client.get(reverse(PAGE[0], args=PAGE[1]), QUICK)
    latest = Job.objects.filter(owner=analyst_a).first()
    assert latest.from_cache and latest.status == "done" and latest.task_id == ""
    assert run_queued_jobs() == 0 and CachedResult.objects.count() == 1
    # 999 permutations instead of 199 is another question.
    client.get(reverse(PAGE[0], args=PAGE[1]), {"crime": "ROBO"})
    assert Job.objects.filter(owner=analyst_a).first().status == "queued"


def test_asking_again_while_it_runs_does_not_queue_it_twice(client, analyst_a):
    from civica.jobs.models import Job

    client.force_login(analyst_a)
    client.get(reverse(PAGE[0], args=PAGE[1]), QUICK)
    client.get(reverse(PAGE[0], args=PAGE[1]), QUICK)
    assert Job.objects.filter(owner=analyst_a).count() == 1


def test_another_users_job_is_404_and_another_scope_is_not_served_from_the_store(
    client, analyst_a, analyst_b
):
    from civica.jobs.models import CachedResult, Job
    from civica.jobs.testing import run_queued_jobs

    client.force_login(analyst_a)
    client.get(reverse(PAGE[0], args=PAGE[1]), QUICK)
    job_a = Job.objects.get(owner=analyst_a)
    run_queued_jobs()
    client.force_login(analyst_b)
    assert client.get(reverse("jobs:status", args=[job_a.id])).status_code == 404
    client.get(reverse(PAGE[0], args=PAGE[1]), QUICK)
    job_b = Job.objects.get(owner=analyst_b)
    assert not job_b.from_cache and job_b.status == "queued"
    run_queued_jobs()
    # B's municipality has no robberies: the job says so instead of showing A's table.
    state = _status(client, job_b)
    assert state["status"] == "failed" and "incident" in state["error"].lower()
    assert not CachedResult.objects.filter(key=job_b.key).exists()
    # The page now says so at once, as it did before jobs.
    again = client.get(reverse(PAGE[0], args=PAGE[1]), QUICK)
    assert again.context["error"] == state["error"] and run_queued_jobs() == 0


def test_a_new_import_of_the_layer_is_a_new_question(analyst_a, synthetic_incidents, tmp_path):
    from civica.incidents import services
    from civica.incidents.jobs import NEAR_REPEAT, near_repeat_inputs
    from civica.incidents.selectors import Selection
    from civica.incidents.tests.conftest import MAPPING
    from civica.jobs.services import cache_key

    inputs = near_repeat_inputs(Selection(layer="sintetico", crime="ROBO"), permutations=199)
    before = cache_key(analyst_a, NEAR_REPEAT, inputs)
    services.ingest_incidents(
        path=tmp_path / "incidentes.csv",
        layer="sintetico",
        mapping=MAPPING,
        sectors_layer="sectores sintéticos",
        version="2016-01",
    )
    assert cache_key(analyst_a, NEAR_REPEAT, inputs) != before


def test_the_stored_table_equals_the_one_computed_in_the_request(analyst_a):
    import numpy as np

    from civica.incidents import analysis
    from civica.incidents.jobs import knox_from_json, knox_to_json
    from civica.incidents.selectors import Selection

    direct = analysis.near_repeat(
        analyst_a, Selection(layer="sintetico", crime="ROBO"), permutations=99
    )
    stored = knox_from_json(json.loads(json.dumps(knox_to_json(direct))))
    for name in ("observed", "expected", "ratio", "p_values", "z_scores", "permuted_max"):
        np.testing.assert_array_equal(getattr(stored, name), getattr(direct, name))
    assert stored.n_events == direct.n_events == 10


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="a second process shares the test database only on PostgreSQL (SQLite's is in memory)",
)
@pytest.mark.django_db(transaction=True)
def test_civica_worker_in_its_own_process_runs_the_queued_job(client, analyst_a):
    from civica.jobs.models import Job

    client.force_login(analyst_a)
    client.get(reverse(PAGE[0], args=PAGE[1]), QUICK)
    job = Job.objects.get(owner=analyst_a)
    settings_dict = connection.settings_dict
    env = dict(
        os.environ,
        DATABASE_URL=(
            f"postgresql://{settings_dict['USER']}@{settings_dict['HOST']}:"
            f"{settings_dict['PORT']}/{settings_dict['NAME']}"
        ),
        CIVICA_WAREHOUSE_DIR=str(__import__("django.conf").conf.settings.CIVICA_WAREHOUSE_DIR),
    )
    worker = subprocess.run(
        [sys.executable, "-m", "civica", "worker", "--batch"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert worker.returncode == 0, worker.stderr
    job.refresh_from_db()
    assert job.status == "done", job.error
    body = client.get(reverse(PAGE[0], args=PAGE[1]), QUICK).content.decode()
    assert "<table>" in body
