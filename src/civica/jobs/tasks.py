"""The one task every kind of job runs through (the engine knows one entry point; the
kind's function is looked up in :mod:`civica.jobs.registry` by the job record)."""

from __future__ import annotations

from django_tasks import task


@task()
def run_job(job_id: str) -> None:
    from civica.jobs.services import execute

    execute(job_id)
