"""A large import of persons from the web, as a background job.

The API's import (``POST /api/v1/persons/import/``) answers within the request for a file of
up to :data:`LARGE_IMPORT_ROWS` rows; a larger file would keep the request for many seconds,
so it is held encrypted for the worker (:mod:`civica.jobs.uploads`: encrypted with the
application's key, a 0600 file of the workspace, deleted as the worker reads it), and the
answer is the job, whose progress and result (created and updated, or every problem with
its line and column, nothing written) are read at ``/api/v1/persons/import/<job>/``.

The import is the same function as the command line's and the small upload's
(:func:`civica.participants.imports.import_persons_csv`), run as the user who uploaded the
file. Its result names persons by their pseudonymous ids and its problems may quote what the
file said, so it is stored encrypted (``sealed``) and shown only to that user.
"""

from __future__ import annotations

import json

from django.utils.translation import gettext as _

from civica.core import crypto
from civica.errors import DataQuestionError
from civica.jobs import uploads
from civica.jobs.progress import within
from civica.jobs.registry import register

IMPORT_PERSONS = "participants.import_persons"

#: Files with more data rows than this are imported by the worker, not in the request.
LARGE_IMPORT_ROWS = 2000


def data_rows(data: bytes) -> int:
    """The rows of a CSV upload after its header, counted by line ends (a quoted field with a
    line end inside counts twice: it only decides where the import runs)."""
    lines = data.count(b"\n") + (0 if data.endswith(b"\n") or not data else 1)
    return max(0, lines - 1)


def _import(user, inputs: dict, progress) -> dict:
    from civica.participants import imports, selectors

    try:
        data = uploads.take(inputs["upload"])  # deleted as it is read
    except FileNotFoundError:
        raise DataQuestionError(
            _("The uploaded file is no longer held (it was imported or removed); upload it again.")
        ) from None
    organization = selectors.organizations(user).filter(pk=inputs["organization"]).first()
    if organization is None:
        raise DataQuestionError(_("No organization of yours has that name."))
    report = within(progress, 0, 1, _("Writing the persons"), unit=_("row"))
    report(0, None)
    try:
        result = imports.import_persons_csv(
            actor=user, organization=organization, data=data, name="", progress=report
        )
    except imports.ImportBusy as busy:
        raise DataQuestionError(str(busy)) from None
    except imports.ImportFailed as failed:
        value = {
            "created": 0,
            "updated": 0,
            "pids": [],
            "errors": [
                {"line": e.line, "column": e.column, "message": e.message} for e in failed.errors
            ],
        }
    else:
        value = {
            "created": result.created,
            "updated": result.updated,
            "pids": result.pids,
            "errors": [],
        }
    progress(1, 1, "")
    return {"sealed": crypto.encrypt(json.dumps(value))}


def outcome(stored: dict) -> dict:
    """The import's result as stored by the job: created, updated, pids and errors."""
    return json.loads(crypto.decrypt(stored["sealed"]))


# Every upload has its own token in the inputs: a result is never reused for another file.
register(IMPORT_PERSONS, compute=_import)
