"""The task the engine runs, under its historical import path: it is defined in
:mod:`civica.jobs.services` beside the function it calls (see ``run_job`` there)."""

from __future__ import annotations

from civica.jobs.services import run_job

__all__ = ["run_job"]
