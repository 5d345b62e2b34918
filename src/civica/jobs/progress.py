"""How a running computation reports how far it is.

Computations take a plain callable ``progress(done, total, step="")`` and know nothing of
jobs; :class:`JobProgress` writes it to the job's record (at most every ``interval``
seconds, and always the last step), the CLI draws it as a progress bar.
"""

from __future__ import annotations

import time
from collections.abc import Callable


def ignore(done: int, total: int | None = None, step: str = "") -> None:
    """The progress callback of a computation nobody watches."""


class JobProgress:
    def __init__(
        self, job_id, *, interval: float = 0.5, clock: Callable[[], float] = time.monotonic
    ):
        self.job_id = job_id
        self.interval = interval
        self.clock = clock
        self._last = -float("inf")

    def __call__(self, done: int, total: int | None = None, step: str = "") -> None:
        from civica.jobs.models import Job

        now = self.clock()
        last_step = total is not None and done >= total
        if now - self._last < self.interval and not last_step:
            return
        self._last = now
        from django.utils import timezone

        # A progress report is a sign of life too (the job's lease, services.LEASE).
        fields = {
            "done": max(0, int(done)),
            "step": str(step)[:300],
            "heartbeat_at": timezone.now(),
        }
        if total is not None:
            fields["total"] = max(0, int(total))
        Job.objects.filter(id=self.job_id).update(**fields)
