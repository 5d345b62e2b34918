"""The progress of a job as JSON, which pages poll while a job runs."""

from __future__ import annotations

from django.http import JsonResponse
from django.shortcuts import render

from civica.accounts.access import SIGNED_IN, requires
from civica.jobs import selectors, services


def status_data(job) -> dict:
    return {
        "id": str(job.id),
        "kind": job.kind,
        "status": job.status,
        "status_label": str(job.get_status_display()),
        "done": job.done,
        "total": job.total,
        "percent": job.percent,
        "step": job.step,
        "error": job.error,
        "finished": job.finished,
        "from_cache": job.from_cache,
        "created_at": job.created_at.isoformat(),
        "finished_at": job.finished_at.isoformat() if job.finished_at else None,
    }


@requires(SIGNED_IN)
def status(request, job_id):
    services.reap_abandoned()  # a job whose worker died is shown failed, not running forever
    return JsonResponse(status_data(selectors.job(request.user, job_id)))


@requires(SIGNED_IN)
def job_list(request):
    services.reap_abandoned()
    return render(request, "jobs/list.html", {"jobs": selectors.jobs(request.user)[:50]})
