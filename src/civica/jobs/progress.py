"""How a running computation reports how far it is.

Computations take a plain callable ``progress(done, total, step="")`` and know nothing of
jobs; :class:`JobProgress` writes it to the job's record (at most every ``interval``
seconds, and always the last step), the CLI draws it as a progress bar.

A job of several stages whose long stage has its own units (import batches, permutation
blocks, placebo fits) hands that stage :func:`within`: the stage's code calls it with its
own ``(done, total)`` — "batch 3 of 10" — and the job's bar moves within the stage instead
of jumping from one stage to the next.
"""

from __future__ import annotations

import time
from collections.abc import Callable


def ignore(done: int, total: int | None = None, step: str = "") -> None:
    """The progress callback of a computation nobody watches."""


#: Steps of the job's bar per stage (the bar is a percentage: finer would not show).
STAGE_STEPS = 1000


def within(
    progress: Callable, stage: int, stages: int, label: str, unit: str = ""
) -> Callable[..., None]:
    """The progress callback of stage ``stage`` (0-based) of ``stages``.

    The stage calls it as ``report(done, total)`` with its own units; the job then shows
    ``label · <unit> done of total`` (e.g. "Writing the rows · batch 3 of 10") and a bar at
    ``(stage + done/total) / stages``. ``unit`` names the units ("batch"); without it the
    step reads "3 of 10". A ``step`` the stage passes itself replaces the count.
    """
    from django.utils.translation import gettext as _

    def report(done: int, total: int | None = None, step: str = "") -> None:
        fraction = 0.0 if not total else min(1.0, max(0.0, done / total))
        if not step and total:
            values = {"unit": unit, "done": done, "total": total}
            step = (
                _("%(unit)s %(done)s of %(total)s") % values
                if unit
                else _("%(done)s of %(total)s") % values
            )
        text = f"{label} · {step}" if step else label
        progress(round((stage + fraction) * STAGE_STEPS), stages * STAGE_STEPS, text)

    return report


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
