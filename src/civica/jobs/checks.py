"""Start-up check of the job backend (id ``civica.E020``, listed in docs/settings.md)."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, register

BACKENDS = ("database", "rq")


@register()
def check_jobs_backend(app_configs=None, **kwargs):
    if settings.CIVICA_JOBS_BACKEND in BACKENDS:
        return []
    return [
        Error(
            f"CIVICA_JOBS_BACKEND={settings.CIVICA_JOBS_BACKEND!r} is not known.",
            hint="Use 'database' (default, no server) or 'rq' (Redis, CIVICA_REDIS_URL).",
            id="civica.E020",
        )
    ]
