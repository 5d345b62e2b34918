"""The web upload of a CAD / 9-1-1 file as a background job: a city's year of calls takes
seconds to check and publish (``police/calls.py``), too long for a request.

The page stages the uploaded file under the warehouse (``incoming/uploads/<sha256>/<name>``:
CAD exports carry no personal data in the documented layout — folio, times, codes, sector,
coordinates of the call), submits the job and shows its progress; the worker checks, places
and publishes the calls as the user who uploaded them (scope and capability checked again),
audited as any import, and deletes the staged file. A refused file is the job's answer: its
message names the line and column, shown on the page; nothing is published.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.utils.translation import gettext as _

from civica.errors import DataQuestionError
from civica.jobs.registry import register

CALLS_IMPORT = "police.calls_import"


class CallsRefused(DataQuestionError):
    """The CAD file was refused; the message says where and why."""


def uploads() -> Path:
    from civica.core.services import warehouse

    return warehouse().root / "incoming" / "uploads"


def stage(upload) -> tuple[Path, str]:
    """Write an uploaded file under :func:`uploads`, named by its content; (path, sha256)."""
    digest = hashlib.sha256()
    chunks = []
    for chunk in upload.chunks():
        digest.update(chunk)
        chunks.append(chunk)
    sha = digest.hexdigest()
    folder = uploads() / sha
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / (Path(upload.name).name or "cad.csv")
    with path.open("wb") as handle:
        for chunk in chunks:
            handle.write(chunk)
    return path, sha


def discard(inputs: dict) -> None:
    folder = uploads() / inputs["sha256"]
    for item in folder.glob("*"):
        item.unlink(missing_ok=True)
    if folder.exists():
        folder.rmdir()


def import_inputs(*, municipality: str, sha256: str, name: str, column_map: str = "") -> dict:
    return {"municipality": municipality, "sha256": sha256, "name": name, "map": column_map}


def _depends(user, inputs: dict) -> dict:
    """The same file again after another import is a new question (it must be published
    again): the current snapshot of the municipality's calls is part of the key."""
    from django.conf import settings

    from civica.core.services import warehouse
    from civica.warehouse.calls import dataset_name

    current = warehouse().manifest().current(dataset_name(inputs["municipality"]))
    return {
        "warehouse": str(settings.CIVICA_WAREHOUSE_DIR),
        "snapshot": current.id if current else None,
    }


def _compute(user, inputs: dict, progress) -> dict:
    from civica.accounts import access
    from civica.accounts.roles import Capability
    from civica.police import calls, records
    from civica.sources.cad import PRESETS, parse_map
    from civica.sources.errors import SourceError

    try:
        municipality = records.municipality_in_scope(user, inputs["municipality"])
        if not access.is_system(user) and not access.allows(user, (Capability.EDIT_RECORDS,)):
            raise CallsRefused(_("You may not import records."))
        path = uploads() / inputs["sha256"] / inputs["name"]
        if not path.is_file():
            raise CallsRefused(_("The uploaded file is no longer there; upload it again."))
        try:
            mapping = parse_map(inputs["map"]) if inputs.get("map") else PRESETS["civica"]
            line = calls.ingest_calls(
                path=path,
                municipality_code=municipality.cvegeo,
                actor=user,
                mapping=mapping,
                progress=progress,
            )
        except SourceError as error:
            raise CallsRefused(str(error)) from None
    finally:
        discard(inputs)
    return {"summary": line}


register(CALLS_IMPORT, compute=_compute, depends=_depends)
