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

    from civica.jobs.services import reap_abandoned

    reap_abandoned()  # jobs a dead worker left "running" are marked failed
    _follow_parent()
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


# Set by `civica serve`/`civica demo` for the worker they start: the server's process id.
PARENT_VARIABLE = "CIVICA_WORKER_PARENT"


def _follow_parent() -> None:
    """A worker started by a server stops when that server is gone, however it ended (even
    ``kill -9``, where the server cannot stop it): a thread watches the parent process and
    sends this process SIGTERM (the worker's own graceful stop) when it changes."""
    import os
    import signal
    import threading
    import time

    parent = os.environ.get(PARENT_VARIABLE, "")
    if not parent.isdigit():
        return
    parent_id = int(parent)

    def watch() -> None:
        while os.getppid() == parent_id:
            time.sleep(0.5)
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(30)  # a job that does not stop in time is stopped harder
        os._exit(1)

    threading.Thread(target=watch, name="follow-server", daemon=True).start()


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
    from civica.jobs.services import reap_abandoned

    reap_abandoned()
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


_UNITS = {"d": 86400, "h": 3600, "m": 60}


class Age(click.ParamType):
    """An age such as ``30d``, ``12h`` or ``90m`` (a bare number is days)."""

    name = "age"

    def convert(self, value, param, ctx):
        import datetime as dt
        import re

        if isinstance(value, dt.timedelta):
            return value
        match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([dhm]?)\s*", str(value).lower())
        if not match:
            self.fail(
                _("“%(value)s” is not an age such as 30d, 12h or 90m.") % {"value": value},
                param,
                ctx,
            )
        return dt.timedelta(seconds=float(match[1]) * _UNITS[match[2] or "d"])


@jobs.command("prune")
@click.option(
    "--older-than",
    type=Age(),
    default="30d",
    show_default=True,
    help="Age of what is removed: 30d, 12h, 90m (days when no unit).",
)
@django_command
def prune(older_than):
    """Remove finished jobs and stored results older than an age, and the job engine's
    finished tasks; mark failed the running jobs whose worker died.

    A result a waiting job needs is kept; a removed result is computed again when asked
    for. Run it from cron, e.g. once a day.

    \b
    Example:
        civica jobs prune --older-than 30d
    """
    from civica.jobs.services import prune as prune_jobs

    counts = prune_jobs(older_than=older_than)
    click.echo(
        _(
            "%(jobs)d finished job(s), %(results)d stored result(s) and %(tasks)d engine "
            "task(s) removed; %(reaped)d job(s) whose worker died marked failed."
        )
        % counts
    )
    if counts["uploads"]:
        click.echo(_("%(uploads)d held upload(s) that no job took deleted.") % counts)


def start_worker_beside_server():
    """Start ``civica worker`` as a child process for ``civica serve``/``civica demo`` on
    the embedded default, so background jobs run with no extra step; ``None`` when the
    deployment runs its own workers (RQ, or CIVICA_JOBS_AUTOSTART_WORKER=false)."""
    import subprocess
    import sys

    from django.conf import settings

    if settings.CIVICA_JOBS_BACKEND != "database" or not settings.CIVICA_JOBS_AUTOSTART_WORKER:
        return None
    import os

    click.echo(_("Background worker started (jobs run while the server runs)."))
    process = subprocess.Popen(
        [sys.executable, "-m", "civica", "worker"],
        env={**os.environ, PARENT_VARIABLE: str(os.getpid())},
    )
    _stop_on_every_exit(process)
    return process


def _stop_on_every_exit(process) -> None:
    """Stop the worker whichever way the server ends: a normal return or an error (the
    caller's ``finally``), the interpreter's exit (``atexit``), SIGTERM or SIGHUP (turned
    into a normal exit so both run). A ``kill -9`` of the server cannot run anything: the
    worker then notices its parent is gone (:func:`_follow_parent`) and stops itself."""
    import atexit
    import signal

    atexit.register(stop_worker, process)

    def exit_normally(signum, frame):
        raise SystemExit(128 + signum)

    for name in ("SIGTERM", "SIGHUP"):
        number = getattr(signal, name, None)
        if number is not None and signal.getsignal(number) in (signal.SIG_DFL, None):
            signal.signal(number, exit_normally)


def stop_worker(process) -> None:
    import subprocess

    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def progress_printer(*, every: float = 2.0):
    """A progress callback for computations run by a command: each new step on standard
    error (standard output keeps the table), with how far it is when that is known. A stage
    that counts its own units ("placebo 12 of 45", ``civica.jobs.progress.within``) is
    printed when its stage changes and then at most every ``every`` seconds."""
    import time

    shown = {"step": None, "stage": None, "at": -float("inf")}

    def report(done: int, total: int | None = None, step: str = "") -> None:
        if not step or step == shown["step"]:
            return
        stage = step.split(" · ")[0]
        now = time.monotonic()
        finished = total is not None and done >= total
        if stage == shown["stage"] and now - shown["at"] < every and not finished:
            return
        shown.update(step=step, stage=stage, at=now)
        where = f" ({round(100 * done / total)} %)" if total and total > 1 else ""
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
