"""The background jobs an indicator table waits for, started for its viewer.

Every web output of the table — the dashboard, the fact sheet, the CSV/XLSX/DHIS2 exports
and ``/api/monitoring/indicators/`` — builds it with ``Context.stored_only``: a figure that
is a job's result (today ``priority_crime_change``) is read from the store or comes back as
"being computed" with the job to start (``Result.pending``). This is the one place that
starts those jobs, so a page and an export of the same selection find the same job, and the
export holds what the page shows. The command line computes in its process instead.
"""

from __future__ import annotations

from civica.jobs import services as job_services


def jobs_of_rows(user, rows) -> dict:
    """Each row's job (by indicator code) for the rows waiting for one, started (or found
    pending) for ``user``: ``submit`` returns the user's pending job for the same inputs, so
    asking again while it runs — or two rows waiting for the same job — starts nothing new."""
    jobs, by_code = {}, {}
    for row in rows:
        pending = row.result.pending
        if pending is not None:
            key = (pending.kind, repr(sorted(pending.inputs.items())))
            if key not in jobs:
                jobs[key] = job_services.submit(
                    user, pending.kind, pending.inputs, label=pending.label
                )
            by_code[row.code] = jobs[key]
    return by_code


def start_pending(user, rows) -> list:
    """The jobs ``rows`` wait for, each once, started (or found pending) for ``user``."""
    return list({job.id: job for job in jobs_of_rows(user, rows).values()}.values())
