"""For tests: run queued jobs with the real database worker of django-tasks-db.

:func:`run_queued_jobs` claims each waiting task and runs it with the worker's own
``run_task`` (status, result and errors recorded as in production), inside the test's
transaction. ``civica worker`` as a separate process is tested against PostgreSQL, where a
second process can see what the test committed.
"""

from __future__ import annotations


def run_queued_jobs(limit: int = 100) -> int:
    """Run the jobs waiting in the queue, in this process; return how many ran."""
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult

    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    ran = 0
    while ran < limit:
        task = DBTaskResult.objects.ready().filter(backend_name="default").get_locked()
        if task is None:
            return ran
        task.claim(worker.worker_id)
        worker.run_task(task)
        ran += 1
    return ran
