"""Reads of jobs: a job is visible only to the user who started it."""

from __future__ import annotations

from django.http import Http404

from civica.accounts import access
from civica.jobs.models import Job


def jobs(user):
    """The user's own jobs, newest first (none for an anonymous or inactive user; the
    system's, without an owner, for ``access.SYSTEM``)."""
    if access.is_system(user):
        return Job.objects.filter(owner__isnull=True)
    if not user.is_authenticated or not user.is_active:
        return Job.objects.none()
    return Job.objects.filter(owner=user)


def job(user, job_id) -> Job:
    """The user's job ``job_id``; anyone else's answers 404 like a missing one."""
    try:
        return jobs(user).get(id=job_id)
    except (Job.DoesNotExist, ValueError) as error:
        raise Http404(str(job_id)) from error
