"""A computation's progress reaches the job record, throttled, and always its last step."""

from civica.jobs.models import Job
from civica.jobs.progress import JobProgress


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def test_steps_within_the_interval_are_skipped_but_the_last_is_written(db):
    job = Job.objects.create(kind="test", key="k")
    clock = Clock()
    progress = JobProgress(job.id, interval=0.5, clock=clock)
    progress(1, 10, "first")
    job.refresh_from_db()
    assert (job.done, job.total, job.step, job.percent) == (1, 10, "first", 10)
    clock.now = 0.1
    progress(5, 10, "skipped")
    job.refresh_from_db()
    assert job.done == 1
    clock.now = 0.2
    progress(10, 10, "last")
    job.refresh_from_db()
    assert (job.done, job.step, job.percent) == (10, "last", 100)
