"""A job someone started, and results kept by the inputs that produced them."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import pgettext_lazy


class JobStatus(models.TextChoices):
    QUEUED = "queued", pgettext_lazy("job", "Waiting for the worker")
    RUNNING = "running", pgettext_lazy("job", "Running")
    DONE = "done", pgettext_lazy("job", "Done")
    FAILED = "failed", pgettext_lazy("job", "Failed")


class JobQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status__in=[JobStatus.QUEUED, JobStatus.RUNNING])


class Job(models.Model):
    """One request for a long computation, visible only to the user who made it.

    ``inputs`` are what the kind's function needs (a selection, a design id, settings), never
    personal data; ``key`` is the hash of everything the result depends on, so a second
    request with the same inputs is answered from :class:`CachedResult`.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE
    )
    kind = models.CharField(max_length=100)
    label = models.CharField(max_length=300, blank=True)
    inputs = models.JSONField(default=dict)
    key = models.CharField(max_length=64, db_index=True)
    language = models.CharField(max_length=10, blank=True)
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(null=True, blank=True)
    step = models.CharField(max_length=300, blank=True)
    error = models.TextField(blank=True)
    from_cache = models.BooleanField(default=False)
    task_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    # Written by the worker while it runs the job (services.HEARTBEAT): a running job whose
    # heartbeat is older than services.LEASE lost its worker and is marked failed.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["owner", "-created_at"], name="jobs_owner_recent"),
            models.Index(fields=["status", "heartbeat_at"], name="jobs_status_heartbeat"),
        ]

    def __str__(self):
        return f"{self.kind} {self.id} ({self.status})"

    @property
    def finished(self) -> bool:
        return self.status in {JobStatus.DONE, JobStatus.FAILED}

    @property
    def percent(self) -> int | None:
        if not self.total:
            return None
        return min(100, round(100 * self.done / self.total))


class CachedResult(models.Model):
    """The result of a kind of job for one set of inputs, reused by every later job with the
    same key; ``seconds`` is what computing it took.

    Results are JSON (``value``) where they are tables of numbers; results that are objects
    of the application (an evaluation with its design, lazily translated notices) are kept
    pickled in ``blob``, as Django's cache framework keeps them. Only this application writes
    the table, and the key carries the kind's version, so an old blob is never read by code
    that changed its shape.
    """

    key = models.CharField(max_length=64, unique=True)
    kind = models.CharField(max_length=100)
    value = models.JSONField(null=True, blank=True)
    blob = models.BinaryField(null=True, blank=True)
    seconds = models.FloatField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.kind} {self.key[:12]}"
