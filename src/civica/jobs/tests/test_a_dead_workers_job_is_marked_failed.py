"""A job whose worker died does not stay "running" forever: the worker writes a heartbeat
while it runs a job, and a running job silent for longer than the lease is marked failed
(with a sentence saying so) when it is looked at; asking again starts a new job. Old
finished jobs and stored results are pruned by ``civica jobs prune``."""

import datetime as dt
import threading

import pytest
from click.testing import CliRunner
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from civica.cli.main import cli
from civica.jobs import registry, services
from civica.jobs.models import CachedResult, Job, JobStatus
from civica.jobs.testing import run_queued_jobs
from civica.testing.personas import make_user


def _square(user, inputs, progress):
    progress(0, 1, "squaring")
    return {"square": inputs["n"] ** 2}


@pytest.fixture(autouse=True)
def kinds():
    registry.register("test.lease_square", compute=_square)


@pytest.fixture
def analyst(db):
    return make_user("ana", "analyst", nationwide=True)


def _running(analyst, *, silent_for: float, n: int = 2) -> Job:
    """A job a worker started and then stopped beating for ``silent_for`` seconds."""
    job = services.submit(analyst, "test.lease_square", {"n": n})
    then = timezone.now() - dt.timedelta(seconds=silent_for)
    Job.objects.filter(id=job.id).update(
        status=JobStatus.RUNNING, started_at=then, heartbeat_at=then
    )
    return job


def test_a_running_job_silent_beyond_the_lease_is_failed_when_looked_at(analyst):
    dead = _running(analyst, silent_for=services.LEASE + 5)
    alive = _running(analyst, silent_for=services.LEASE / 4, n=3)
    client = Client()
    client.force_login(analyst)
    answer = client.get(reverse("jobs:status", args=[dead.id])).json()
    assert answer["status"] == "failed" and answer["finished"]
    assert "stopped before it finished" in answer["error"] or "se detuvo" in answer["error"]
    alive.refresh_from_db()
    assert alive.status == JobStatus.RUNNING
    # Asked again: a new job, not the dead one.
    again = services.submit(analyst, "test.lease_square", {"n": 2})
    assert again.id != dead.id and again.status == JobStatus.QUEUED
    run_queued_jobs()
    again.refresh_from_db()
    assert again.status == JobStatus.DONE and services.result_of(again) == {"square": 4}


def test_a_job_started_before_heartbeats_existed_is_judged_by_its_start(analyst):
    job = _running(analyst, silent_for=services.LEASE + 5)
    Job.objects.filter(id=job.id).update(heartbeat_at=None)
    assert services.reap_abandoned() == 1


def test_the_worker_beats_while_a_job_runs(analyst, monkeypatch):
    beats = []
    started = threading.Event()

    def slow(user, inputs, progress):
        started.set()
        # Long enough for a few beats of a fast heartbeat.
        threading.Event().wait(0.5)
        return {"ok": True}

    registry.register("test.lease_slow", compute=slow)
    original = services._Heartbeat.__init__

    def fast(self, job_id, interval=None):
        original(self, job_id, interval=0.05)
        beats.append(self)

    monkeypatch.setattr(services._Heartbeat, "__init__", fast)
    job = services.submit(analyst, "test.lease_slow", {})
    run_queued_jobs()
    job.refresh_from_db()
    assert started.is_set() and job.status == JobStatus.DONE
    assert job.heartbeat_at is not None and job.heartbeat_at >= job.started_at
    assert beats and not beats[0].thread.is_alive()


def test_prune_removes_old_finished_jobs_and_results_but_keeps_what_is_waited_for(analyst):
    old = services.submit(analyst, "test.lease_square", {"n": 5})
    run_queued_jobs()
    waiting = services.submit(analyst, "test.lease_square", {"n": 6})
    CachedResult.objects.create(key=waiting.key, kind="test.lease_square", value={"x": 1})
    long_ago = timezone.now() - dt.timedelta(days=40)
    Job.objects.filter(id=old.id).update(finished_at=long_ago)
    CachedResult.objects.update(created_at=long_ago)
    dead = _running(analyst, silent_for=services.LEASE + 5, n=7)
    fresh = services.submit(analyst, "test.lease_square", {"n": 8})

    result = CliRunner().invoke(cli, ["jobs", "prune", "--older-than", "30d"])
    assert result.exit_code == 0, result.output
    assert not Job.objects.filter(id=old.id).exists()
    assert set(CachedResult.objects.values_list("key", flat=True)) == {waiting.key}
    dead.refresh_from_db()
    assert dead.status == JobStatus.FAILED
    assert Job.objects.filter(id=fresh.id).exists()
    bad = CliRunner().invoke(cli, ["jobs", "prune", "--older-than", "soon"])
    assert bad.exit_code == 2
