"""Ingesting incident files: read, place every incident in its sector and cuadrante, publish.

An incident file becomes a warehouse snapshot of the dataset ``incidents-<layer>``, versioned
like the official statistics: a failed import leaves the current snapshot as it was.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from civica.accounts.access import SYSTEM
from civica.audit.services import record_import
from civica.core.services import warehouse
from civica.sources.errors import SourceError
from civica.sources.incidents import IncidentsFile, read_incidents
from civica.territory.assign import assign_points, mismatch_report
from civica.territory.geometry import from_geojson_text
from civica.territory.models import Municipality, Sector
from civica.warehouse import incidents as warehouse_incidents
from civica.warehouse.incidents import dataset_name
from civica.warehouse.store import Snapshot

__all__ = ["IncidentIngest", "dataset_name", "ingest_incidents"]


@dataclass(frozen=True)
class IncidentIngest:
    source: IncidentsFile
    snapshot: Snapshot
    placed: dict[str, int]
    mismatches: int
    mismatch_examples: tuple[str, ...]
    unchanged: bool = False  # same content as the live snapshot of the version: nothing added

    def lines(self) -> list[str]:
        s = self.source
        lines = [
            _("%(file)s: %(read)d rows read, %(kept)d kept")
            % {"file": s.path.name, "read": s.rows_read, "kept": s.rows_kept},
        ]
        rejected = {reason: n for reason, n in sorted(s.rejected.items()) if n}
        if rejected:
            lines.append(
                _("rejected, by reason: %(reasons)s (rows in %(rejects)s)")
                % {
                    "reasons": ", ".join(f"{r} {n}" for r, n in rejected.items()),
                    "rejects": s.rejects,
                }
            )
        labels = {
            "sector": _("sector"),
            "cuadrante": _("cuadrante"),
            "municipality": _("municipality"),
        }
        for what, count in self.placed.items():
            lines.append(
                _("%(n)d placed in a %(what)s") % {"n": count, "what": labels.get(what, what)}
            )
        if self.mismatches:
            lines.append(
                ngettext(
                    "%(n)d incident lies in a different cuadrante than the source records "
                    "(e.g. %(examples)s)",
                    "%(n)d incidents lie in a different cuadrante than the source records "
                    "(e.g. %(examples)s)",
                    self.mismatches,
                )
                % {"n": self.mismatches, "examples": ", ".join(self.mismatch_examples)}
            )
        if self.unchanged:
            lines.append(
                _(
                    "unchanged: version %(cut)s of %(dataset)s already holds exactly these "
                    "incidents; no new snapshot"
                )
                % {"dataset": self.snapshot.dataset, "cut": self.snapshot.cut}
            )
            return lines
        lines.append(
            _("published as %(dataset)s, version %(cut)s")
            % {"dataset": self.snapshot.dataset, "cut": self.snapshot.cut}
        )
        return lines


def _polygons(queryset):
    items = list(queryset.values_list("id", "name", "geometry"))
    return (
        [i for i, _n, _g in items],
        [n for _i, n, _g in items],
        [from_geojson_text(g) for _i, _n, g in items],
    )


def _place(frame: pd.DataFrame, sectors_layer: str | None, cuadrantes_layer: str | None):
    """Sector, cuadrante and municipality of every incident (None where none contains it)."""
    lon, lat = frame["lon"].to_numpy(), frame["lat"].to_numpy()
    placed = {}
    for column, layer in (("sector", sectors_layer), ("cuadrante", cuadrantes_layer)):
        frame[column] = None
        frame[f"{column}_id"] = pd.array([pd.NA] * len(frame), dtype="Int64")
        if not layer:
            continue
        ids, names, polygons = _polygons(Sector.objects.filter(layer=layer))
        if not ids:
            raise SourceError(
                _(
                    "No sectors in layer “%(layer)s”: import them first with "
                    "civica territory import-sectors."
                )
                % {"layer": layer}
            )
        index = assign_points(lon, lat, polygons, ids=ids)
        found = index >= 0
        frame.loc[found, column] = np.asarray(names, dtype=object)[index[found]]
        frame.loc[found, f"{column}_id"] = np.asarray(ids)[index[found]]
        placed[column] = int(found.sum())
    municipalities = Municipality.objects.with_boundary()
    codes = list(municipalities.values_list("cvegeo", flat=True))
    geometries = [from_geojson_text(g) for g in municipalities.values_list("geometry", flat=True)]
    index = assign_points(lon, lat, geometries, ids=list(range(len(codes))))
    frame["municipality_code"] = np.where(index >= 0, np.asarray(codes, dtype=object)[index], None)
    placed["municipality"] = int((index >= 0).sum())
    return frame, placed


def ingest_incidents(
    *,
    path: Path,
    layer: str,
    preset: str | None = None,
    mapping: dict[str, str] | None = None,
    sectors_layer: str | None = None,
    cuadrantes_layer: str | None = None,
    version: str | None = None,
    actor=SYSTEM,
) -> IncidentIngest:
    """Read an incident file, place it in sectors, publish it as the current version."""
    store = warehouse()
    incoming = store.root / "incoming"
    incoming.mkdir(parents=True, exist_ok=True)
    scratch = incoming / f"{uuid.uuid4().hex}.parquet"
    version = version or date.today().isoformat()
    rejects = store.root / "rejects" / f"{layer}-{version}.csv"
    rejects.parent.mkdir(parents=True, exist_ok=True)
    try:
        source = read_incidents(
            Path(path), output=scratch, rejects=rejects, preset=preset, mapping=mapping
        )
        frame = warehouse_incidents.read_file(scratch)
        frame, placed = _place(frame, sectors_layer, cuadrantes_layer)
        mismatches, examples = 0, ()
        if cuadrantes_layer and frame["source_cuadrante"].notna().any():
            report = mismatch_report(
                frame["cuadrante"].tolist(), frame["source_cuadrante"].tolist()
            )
            mismatches = report.mismatched
            examples = tuple(f"{a}→{b} ({n})" for a, b, n in report.pairs[:5])
        target = store.new_file(dataset_name(layer), version)
        warehouse_incidents.write(frame, target)
        # The same incidents again (a re-run, or the demo once more) add no snapshot.
        snapshot, changed = store.publish_if_changed(
            dataset=dataset_name(layer),
            cut=version,
            file=target,
            rows=len(frame),
            source=path,
            metadata={
                "preset": preset,
                "mapping": mapping,
                "rejected": source.rejected,
                "sectors_layer": sectors_layer,
                "cuadrantes_layer": cuadrantes_layer,
                "placed": placed,
                "mismatches": mismatches,
            },
        )
    finally:
        scratch.unlink(missing_ok=True)
    record_import(actor=actor, snapshot=snapshot)
    return IncidentIngest(source, snapshot, placed, mismatches, examples, unchanged=not changed)
