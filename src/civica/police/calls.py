"""Calls for service: CAD / 9-1-1 records of a municipality in the warehouse, and what they
say about response times and demand.

Records are bulk (hundreds of thousands a year per city) and arrive as whole exports, so each
import is a warehouse snapshot of the dataset ``cad-calls-<cvegeo>`` (cut: last month of the
calls), like incident layers; reads are DuckDB queries over it (``warehouse/calls.py``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

from civica.audit.services import record_import
from civica.core.services import warehouse
from civica.errors import DataQuestionError
from civica.police import records
from civica.sources.cad import read_cad
from civica.warehouse import calls as store

__all__ = ["CAPTURE_STANDARD", "DISPATCH_STANDARD", "CallsReport", "ingest_calls", "report"]

# National standard of 9-1-1 (DOMAIN.md §8): capture ≤ 90 s, dispatch ≤ 120 s.
CAPTURE_STANDARD = 90
DISPATCH_STANDARD = 120


class NoCalls(DataQuestionError):
    pass


def ingest_calls(*, path: Path, municipality_code: str, actor, mapping=None):
    """Read, check and publish a CAD export as the municipality's calls snapshot; audited."""
    store_root = warehouse()
    incoming = store_root.root / "incoming"
    incoming.mkdir(parents=True, exist_ok=True)
    scratch = incoming / f"{uuid.uuid4().hex}.parquet"
    try:
        source = read_cad(
            Path(path), output=scratch, municipality_code=municipality_code, mapping=mapping
        )
        dataset = store.dataset_name(municipality_code)
        target = store_root.new_file(dataset, source.last[:7])
        os.replace(scratch, target)
        snapshot, changed = store_root.publish_if_changed(
            dataset=dataset,
            cut=source.last[:7],
            file=target,
            rows=source.rows,
            source=Path(path),
            metadata={"first": source.first, "last": source.last, "mapping": source.mapping},
        )
    finally:
        scratch.unlink(missing_ok=True)
    record_import(actor=actor, snapshot=snapshot)
    line = _("%(file)s: %(rows)d calls from %(first)s to %(last)s → %(dataset)s, cut %(cut)s") % {
        "file": Path(path).name,
        "rows": source.rows,
        "first": source.first,
        "last": source.last,
        "dataset": dataset,
        "cut": snapshot.cut,
    }
    if not changed:
        line += " " + _("(unchanged: no new snapshot)")
    return line


@dataclass(frozen=True)
class CallsReport:
    cut: str
    rows: int
    capture_standard: int
    dispatch_standard: int
    overall: list[dict]
    by: str
    groups: list[dict]
    profile: list[list[int]]  # 7 weekdays × 24 hours
    sectors: list[dict]
    incidents_layer: str | None


def _records(frame) -> list[dict]:
    return [
        {k: (None if v != v else v) for k, v in row.items()}  # NaN → None
        for row in frame.to_dict("records")
    ]


def report(
    user,
    cvegeo: str,
    *,
    by: str = "sector",
    capture_standard: int = CAPTURE_STANDARD,
    dispatch_standard: int = DISPATCH_STANDARD,
) -> CallsReport:
    municipality = records.municipality_in_scope(user, cvegeo)
    snapshot = warehouse().manifest().current(store.dataset_name(municipality.cvegeo))
    if snapshot is None:
        raise NoCalls(
            _("No calls for service are loaded for %(name)s: import the CAD export first.")
            % {"name": municipality.name}
        )
    path = warehouse().path_of(snapshot)
    if by not in store.GROUPS:
        raise NoCalls(_("Group by sector, hour, month or all."))
    grid = [[0] * 24 for _day in range(7)]
    for row in store.profile(path).itertuples():
        grid[int(row.weekday) - 1][int(row.hour)] = int(row.calls)
    sectors = _records(store.by_sector(path))
    layer = _beside_incidents(user, municipality.cvegeo, snapshot, sectors)
    return CallsReport(
        cut=snapshot.cut,
        rows=snapshot.rows,
        capture_standard=capture_standard,
        dispatch_standard=dispatch_standard,
        overall=_records(
            store.response_times(
                path,
                by="all",
                capture_standard=capture_standard,
                dispatch_standard=dispatch_standard,
            )
        ),
        by=by,
        groups=_records(
            store.response_times(
                path, by=by, capture_standard=capture_standard, dispatch_standard=dispatch_standard
            )
        ),
        profile=grid,
        sectors=sectors,
        incidents_layer=layer,
    )


def _beside_incidents(user, cvegeo, snapshot, sectors) -> str | None:
    """Adds ``incidents`` (recorded incidents of the same months) to each sector row, from the
    first incident layer with incidents in this municipality; returns that layer's name."""
    from civica.incidents import selectors as incidents

    first = dt.date.fromisoformat(snapshot.metadata["first"][:10])
    last = dt.date.fromisoformat(snapshot.metadata["last"][:10])
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    with contextlib.suppress(DataQuestionError, PermissionDenied, Http404):
        for layer in incidents.layers(user):
            selection = incidents.Selection(
                layer=layer["layer"], municipality=cvegeo, start=first, end=last
            )
            frame = incidents.incidents(user, selection, columns=("sector",))
            if frame.empty:
                continue
            counts = frame["sector"].fillna("—").value_counts().to_dict()
            for row in sectors:
                row["incidents"] = int(counts.get(row["sector"], 0))
            return layer["layer"]
    return None
