"""``civica worker`` and ``civica jobs``: the background worker and the jobs it ran."""

from __future__ import annotations

import click
from django.utils.translation import gettext as _

from civica.accounts.access import SYSTEM
from civica.cli.runtime import django_command


@click.command()
@click.option("--batch", is_flag=True, help="Run the jobs already queued, then exit.")
@click.option(
    "--interval",
    default=1.0,
    show_default=True,
    type=click.FloatRange(0.05, 60),
    help="Seconds between looks at an empty queue (database backend).",
)
@django_command
def worker(batch, interval):
    """Run background jobs: permutation tests, evaluations, PDF reports, large imports.

    On the embedded default (CIVICA_JOBS_BACKEND=database) jobs wait in the database and
    `civica serve`/`civica demo` already start one worker; run more on the same machine for
    more jobs at once. With CIVICA_JOBS_BACKEND=rq jobs wait in Redis (CIVICA_REDIS_URL) and
    workers may run on any machine that reaches Redis and the database.

    \b
    Example:
        civica worker
    """
    from django.conf import settings
    from django.core.management import call_command

    if settings.CIVICA_JOBS_BACKEND == "rq":
        click.echo(_("Worker on Redis (%(url)s), queue default.") % {"url": _redis(settings)})
        call_command("rqworker", "default", job_class="django_tasks_rq.Job", burst=batch)
        return
    click.echo(_("Worker on the database queue (Ctrl+C stops it)."))
    call_command(
        "db_worker",
        batch=batch,
        interval=interval,
        reload=False,
        startup_delay=False,
        verbosity=0,
    )


def _redis(settings) -> str:
    """The Redis URL without its password, for messages."""
    from urllib.parse import urlsplit

    parts = urlsplit(settings.CIVICA_REDIS_URL)
    return f"{parts.scheme}://{parts.hostname}:{parts.port or 6379}{parts.path}"


@click.group()
def jobs():
    """Background jobs and their stored results.

    \b
    Example:
        civica jobs list
    """


@jobs.command("list")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 1000))
@django_command
def list_jobs(limit):
    """List the most recent background jobs (every user's; a command-line operator is the
    system actor).

    \b
    Example:
        civica jobs list --limit 5
    """
    from civica.jobs.models import Job

    for job in Job.objects.order_by("-created_at")[:limit]:
        percent = "" if job.percent is None else f" {job.percent}%"
        click.echo(
            f"{job.created_at:%Y-%m-%d %H:%M} {job.kind:28} {job.get_status_display()}{percent}"
            f"{' · ' + job.label if job.label else ''}{' · ' + job.error if job.error else ''}"
        )


@jobs.command("clear-cache")
@click.option("--kind", default=None, help="Only results of this kind of job.")
@django_command
def clear_cache(kind):
    """Forget stored results, so the next request computes again.

    \b
    Example:
        civica jobs clear-cache --kind incidents.near_repeat
    """
    from civica.jobs.models import CachedResult

    results = CachedResult.objects.all()
    if kind:
        results = results.filter(kind=kind)
    count, _details = results.delete()
    click.echo(_("%(n)d stored result(s) removed.") % {"n": count})


def start_worker_beside_server():
    """Start ``civica worker`` as a child process for ``civica serve``/``civica demo`` on
    the embedded default, so background jobs run with no extra step; ``None`` when the
    deployment runs its own workers (RQ, or CIVICA_JOBS_AUTOSTART_WORKER=false)."""
    import subprocess
    import sys

    from django.conf import settings

    if settings.CIVICA_JOBS_BACKEND != "database" or not settings.CIVICA_JOBS_AUTOSTART_WORKER:
        return None
    click.echo(_("Background worker started (jobs run while the server runs)."))
    return subprocess.Popen([sys.executable, "-m", "civica", "worker"])


def stop_worker(process) -> None:
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=10)
    except Exception:
        process.kill()


def progress_printer():
    """A progress callback for computations run by a command: each new step on standard
    error (standard output keeps the table), with how far it is when that is known."""
    shown = {"step": None}

    def report(done: int, total: int | None = None, step: str = "") -> None:
        if step and step != shown["step"]:
            shown["step"] = step
            where = f" ({done}/{total})" if total and total > 1 else ""
            click.echo(f"· {step}{where}…", err=True)

    return report


@jobs.command("check")
@click.option(
    "--timeout",
    default=30.0,
    show_default=True,
    type=click.FloatRange(1, 3600),
    help="Seconds to wait for a worker.",
)
@django_command
def check(timeout):
    """Queue a small job and wait for a worker to run it: is a worker listening?

    Exits with an error when no worker ran it in time (the job then stays queued and runs
    when a worker starts).

    \b
    Example:
        civica jobs check --timeout 10
    """
    import time
    import uuid

    from civica.jobs.jobs import CHECK
    from civica.jobs.models import JobStatus
    from civica.jobs.services import result_of, submit

    job = submit(SYSTEM, CHECK, {"nonce": uuid.uuid4().hex})
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.finished:
            break
        time.sleep(0.2)
    if job.status == JobStatus.DONE:
        where = result_of(job)
        click.echo(
            _("A worker ran the check (host %(host)s, process %(pid)d).")
            % {"host": where["host"], "pid": where["pid"]}
        )
        return
    raise click.ClickException(
        _("No worker ran the check within %(seconds)g s: start one with `civica worker`.")
        % {"seconds": timeout}
    )
