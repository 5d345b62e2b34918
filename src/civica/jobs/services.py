"""Starting jobs, running them (in a worker or in the command line) and caching results."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import pickle
import threading
import time
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from civica.errors import DataQuestionError
from civica.jobs import registry, uploads
from civica.jobs.models import CachedResult, Job, JobStatus
from civica.jobs.progress import JobProgress, ignore

__all__ = [
    "HEARTBEAT",
    "LEASE",
    "JobRefused",
    "cache_key",
    "compute",
    "execute",
    "prune",
    "reap_abandoned",
    "result_of",
    "stored",
    "submit",
]

logger = logging.getLogger(__name__)

# A worker running a job writes the job's heartbeat at least this often (seconds) …
HEARTBEAT = 15.0
# … so a running job whose last heartbeat is older than this lost its worker (killed,
# machine restarted): it is marked failed and asking again starts a new job.
LEASE = 120.0
# An uploaded file no job took within this time (its job never ran) is deleted by prune.
UPLOAD_LEASE = dt.timedelta(days=1)


def _scope(user) -> object:
    """What a user may see, as far as results of computations can differ by it: two users
    with the same role and scope get the same answer, so they share cached results."""
    from civica.accounts import access, scope

    if access.is_system(user):
        return "system"

    def ids(value):
        return None if value is None else sorted(value)

    return {
        "role": getattr(user, "role", ""),
        "municipalities": ids(scope.municipality_ids(user)),
        "organizations": ids(scope.organization_ids(user)),
        "persons": ids(scope.person_organization_ids(user)),
    }


def cache_key(user, kind: str, inputs: dict) -> str:
    """SHA-256 of the kind (and its version), the inputs, what the kind says its result
    depends on, and the user's scope."""
    spec = registry.get(kind)
    material = {
        "kind": kind,
        "version": spec.version,
        "inputs": inputs,
        "depends": spec.depends(user, inputs) if spec.depends else None,
        "scope": _scope(user) if spec.by_scope is None or spec.by_scope(inputs) else "shared",
    }
    text = json.dumps(material, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def _json_ready(inputs: dict) -> dict:
    return json.loads(json.dumps(inputs, default=str))


def submit(user, kind: str, inputs: dict, *, label: str = "") -> Job:
    """Start a job for ``user`` (or answer it from the cache) and return its record.

    A result already computed for the same inputs and scope makes a finished job at once;
    the same request while the user's previous one is still pending returns that one.
    """
    from civica.accounts import access

    if not access.is_system(user) and not getattr(user, "is_authenticated", False):
        # A job without an owner runs as the system: only the system may start one.
        raise PermissionDenied
    inputs = _json_ready(inputs)
    key = cache_key(user, kind, inputs)
    owner = access.user_of(user)
    common = {
        "owner": owner,
        "kind": kind,
        "label": label[:300],
        "inputs": inputs,
        "key": key,
        "language": translation.get_language() or "",
    }
    if CachedResult.objects.filter(key=key).exists():
        now = timezone.now()
        return Job.objects.create(
            **common,
            status=JobStatus.DONE,
            from_cache=True,
            done=1,
            total=1,
            started_at=now,
            finished_at=now,
        )
    refusal = CachedResult.objects.filter(key=_refusal_key(key, common["language"])).first()
    if refusal is not None:
        now = timezone.now()
        return Job.objects.create(
            **common,
            status=JobStatus.FAILED,
            from_cache=True,
            error=refusal.value["refusal"],
            started_at=now,
            finished_at=now,
        )
    if owner is not None:
        reap_abandoned()
        pending = Job.objects.pending().filter(owner=owner, key=key).first()
        if pending is not None:
            return pending
    with transaction.atomic():
        job = Job.objects.create(**common)
        if settings.CIVICA_JOBS_BACKEND == "database":
            # The queue is a table of the same database: the job and its place in the queue
            # are written in one transaction, so neither exists without the other.
            _enqueue(job.id)
        else:
            # Redis is outside the transaction: a worker must not pick the job up before its
            # record is committed.
            transaction.on_commit(lambda: _enqueue(job.id), robust=False)
    return job


def _enqueue(job_id) -> None:
    result = run_job.enqueue(str(job_id))
    Job.objects.filter(id=job_id).update(task_id=str(result.id)[:64])


class JobRefused(DataQuestionError):
    """The data cannot answer the job's question; the message says why (as it would have
    said without the job)."""


def _refusal_key(key: str, language: str) -> str:
    # A refusal is a sentence in the asker's language: one stored answer per language.
    return hashlib.sha256(f"refusal:{key}:{language}".encode()).hexdigest()


def result_of(job: Job):
    """The stored result of a finished job, ``None`` while it runs; a job the data could not
    answer raises :class:`JobRefused` with its message."""
    if job.status == JobStatus.FAILED:
        raise JobRefused(job.error)
    if job.status != JobStatus.DONE:
        return None
    cached = CachedResult.objects.filter(key=job.key).first()
    return None if cached is None else _value(cached)


def stored(user, kind: str, inputs: dict):
    """The stored result for these inputs, or ``None`` when it was never computed (or its
    inputs changed since): what a page reads instead of computing in the request."""
    cached = CachedResult.objects.filter(key=cache_key(user, kind, _json_ready(inputs))).first()
    return None if cached is None else _value(cached)


def _value(cached: CachedResult):
    if cached.blob is not None:
        return pickle.loads(bytes(cached.blob))  # noqa: S301 - written only by _store below
    return cached.value


def _store(kind: str, key: str, value, seconds: float) -> None:
    if registry.get(kind).pickled:
        stored = {"value": None, "blob": pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)}
    else:
        stored = {"value": value, "blob": None}
    CachedResult.objects.update_or_create(
        key=key, defaults={"kind": kind, "seconds": seconds, **stored}
    )


def execute(job_id) -> None:
    """Run one job: the body of the background task. Failures are recorded on the job;
    only questions the data cannot answer are shown to the user as they are."""
    job = Job.objects.select_related("owner").get(id=job_id)
    if job.finished:
        return
    spec = registry.get(job.kind)
    now = timezone.now()
    Job.objects.filter(id=job.id).update(status=JobStatus.RUNNING, started_at=now, heartbeat_at=now)
    with translation.override(job.language or None), _Heartbeat(job.id):
        try:
            if CachedResult.objects.filter(key=job.key).exists():
                # Another job with the same inputs finished while this one waited.
                Job.objects.filter(id=job.id).update(from_cache=True)
            else:
                started = time.monotonic()
                value = spec.compute(_actor(job), dict(job.inputs), JobProgress(job.id))
                _store(job.kind, job.key, value, time.monotonic() - started)
        except DataQuestionError as error:
            # The same question on the same data gets the same refusal: kept like a result,
            # so asking again answers at once (new data is a new key).
            CachedResult.objects.update_or_create(
                key=_refusal_key(job.key, job.language),
                defaults={"kind": job.kind, "value": {"refusal": str(error)}, "blob": None},
            )
            _finish(job, JobStatus.FAILED, error=str(error))
            return
        except Exception:
            logger.exception("job %s (%s) failed", job.id, job.kind)
            _finish(job, JobStatus.FAILED, error=_("The computation failed; it was logged."))
            raise
    _finish(job, JobStatus.DONE)


def _actor(job: Job):
    """On whose behalf a job computes: its owner, or the system for a job started by the
    system (the command line); :func:`submit` gives no other job an empty owner."""
    from civica.accounts.access import SYSTEM

    return job.owner if job.owner_id is not None else SYSTEM


@task()
def run_job(job_id: str) -> None:
    """The one task every kind of job runs through (the engine knows one entry point; the
    kind's function is looked up in :mod:`civica.jobs.registry` by the job record). It lives
    beside :func:`execute` so the service and its task do not import each other."""
    execute(job_id)


def _finish(job: Job, status: str, *, error: str = "") -> None:
    fields = {"status": status, "error": error, "finished_at": timezone.now()}
    if status == JobStatus.DONE:
        current = Job.objects.filter(id=job.id).values_list("total", flat=True).first()
        fields.update(done=current or 1, total=current or 1)
    Job.objects.filter(id=job.id).update(**fields)


def compute(
    user, kind: str, inputs: dict, *, progress: Callable = ignore, fresh: bool = False
) -> tuple[object, bool]:
    """Run a kind in this process (the command line) through the same cache.

    Returns ``(value, from_cache)``. ``fresh`` recomputes and replaces the stored result.
    """
    inputs = _json_ready(inputs)
    key = cache_key(user, kind, inputs)
    if not fresh:
        cached = CachedResult.objects.filter(key=key).first()
        if cached is not None:
            return _value(cached), True
    started = time.monotonic()
    value = registry.get(kind).compute(user, inputs, progress)
    _store(kind, key, value, time.monotonic() - started)
    return value, False


class _Heartbeat:
    """While a job runs, a thread writes its ``heartbeat_at`` every :data:`HEARTBEAT`
    seconds (the computation's own progress reports write it too): the job's lease. If the
    worker dies — ``kill -9``, a restart — the heartbeat stops and :func:`reap_abandoned`
    marks the job failed instead of leaving it "running" forever."""

    def __init__(self, job_id, interval: float | None = None):
        self.job_id = job_id
        self.interval = HEARTBEAT if interval is None else interval
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._beat, name=f"heartbeat-{job_id}", daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stopped.set()
        self.thread.join(timeout=self.interval + 5)
        return False

    def _beat(self) -> None:
        try:
            while not self.stopped.wait(self.interval):
                try:
                    Job.objects.filter(id=self.job_id, status=JobStatus.RUNNING).update(
                        heartbeat_at=timezone.now()
                    )
                except Exception:  # a busy database: the next beat tries again
                    logger.warning("heartbeat of job %s not written", self.job_id, exc_info=True)
        finally:
            connection.close()


def reap_abandoned(*, now: dt.datetime | None = None, lease: float | None = None) -> int:
    """Mark failed every running job whose worker stopped beating (older than ``lease``
    seconds); returns how many. Called when a job is asked for or listed, when a worker
    starts and by ``civica jobs prune``."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(seconds=LEASE if lease is None else lease)
    seconds = int(LEASE if lease is None else lease)
    stale = Job.objects.filter(status=JobStatus.RUNNING).filter(
        Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, started_at__lt=cutoff)
    )
    reaped = 0
    for job_id, language in stale.values_list("id", "language"):
        with translation.override(language or None):
            message = _(
                "The worker running this job stopped before it finished (no sign of life for "
                "%(seconds)d s); nothing was kept. Ask again to start it anew."
            ) % {"seconds": seconds}
        # Only if it is still running and silent: a late heartbeat wins.
        reaped += stale.filter(id=job_id).update(
            status=JobStatus.FAILED, error=message, finished_at=now
        )
    return reaped


def prune(*, older_than: dt.timedelta, now: dt.datetime | None = None) -> dict[str, int]:
    """Delete finished jobs older than ``older_than`` (by when they finished), stored results
    no pending job waits for and older than that, the job engine's finished task rows, and
    uploads no job took (:mod:`civica.jobs.uploads`, a day at most). Abandoned running jobs
    are marked failed first. Returns the counts removed."""
    now = now or timezone.now()
    cutoff = now - older_than
    reaped = reap_abandoned(now=now)
    jobs, _detail = Job.objects.filter(
        status__in=[JobStatus.DONE, JobStatus.FAILED], finished_at__lt=cutoff
    ).delete()
    waiting = Job.objects.pending().values("key")
    results, _detail = (
        CachedResult.objects.filter(created_at__lt=cutoff).exclude(key__in=waiting).delete()
    )
    tasks = 0
    if settings.CIVICA_JOBS_BACKEND == "database":
        from django_tasks_db.models import DBTaskResult

        tasks, _detail = DBTaskResult.objects.finished().filter(finished_at__lt=cutoff).delete()
    # Uploads hold personal data: kept a day at most, whatever the age asked for.
    held = uploads.prune(older_than=min(older_than, UPLOAD_LEASE))
    return {"reaped": reaped, "jobs": jobs, "results": results, "tasks": tasks, "uploads": held}
