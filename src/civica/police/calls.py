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
from civica.sources.errors import SourceError
from civica.warehouse import calls as store

__all__ = [
    "CAPTURE_STANDARD",
    "DISPATCH_STANDARD",
    "CallsReport",
    "ingest_calls",
    "place_calls",
    "placement_text",
    "report",
]

# National standard of 9-1-1 (DOMAIN.md §8): capture ≤ 90 s, dispatch ≤ 120 s.
CAPTURE_STANDARD = 90
DISPATCH_STANDARD = 120


class NoCalls(DataQuestionError):
    pass


def _layer(municipality_code: str, kind: str, chosen: str | None) -> str | None:
    """The polygon layer calls are placed in: the one chosen, else the municipality's only
    layer of that kind (several layers and none chosen: not placed, the CAD's own sector is
    kept)."""
    from civica.territory.models import Sector

    layers = set(
        Sector.objects.filter(municipality__cvegeo=municipality_code, kind=kind).values_list(
            "layer", flat=True
        )
    )
    if chosen:
        if chosen not in layers:
            raise SourceError(
                _("%(name)s has no %(kind)s polygons in the layer “%(layer)s”.")
                % {"name": municipality_code, "kind": kind, "layer": chosen}
            )
        return chosen
    return next(iter(layers)) if len(layers) == 1 else None


def place_calls(
    path: Path,
    municipality_code: str,
    *,
    sectors_layer: str | None = None,
    cuadrantes_layer: str | None = None,
) -> dict[str, dict[str, int]]:
    """Put each call with coordinates in the sector and cuadrante whose polygon covers it
    (``territory.assign.assign_points``, the rule incidents are placed by), rewriting the
    Parquet file; calls without coordinates, or outside every polygon, keep the sector the
    CAD recorded. ``sector_from`` / ``cuadrante_from`` say which was used for each call
    (``coordinates`` or ``cad``); returns the counts of each."""
    import duckdb
    import numpy as np
    import pandas as pd

    from civica.territory.assign import assign_points
    from civica.territory.geometry import from_geojson_text
    from civica.territory.models import Sector, SectorKind

    kinds = (
        ("sector", SectorKind.SECTOR, sectors_layer),
        ("cuadrante", SectorKind.CUADRANTE, cuadrantes_layer),
    )
    layers = {column: _layer(municipality_code, kind, chosen) for column, kind, chosen in kinds}
    with duckdb.connect() as db:
        located, sectors, cuadrantes, total = db.execute(
            "SELECT count(longitude), count(sector), count(cuadrante), count(*) "
            "FROM read_parquet(?)",
            [str(path)],
        ).fetchone()
        if not located or not any(layers.values()):
            # Nothing to place (a file without coordinates, or no polygons to place in): the
            # CAD's sectors stay as they are, counted without reading the columns.
            return {
                column: {
                    "coordinates": 0,
                    "cad": n,
                    "none": total - n,
                    "layer": layers[column] or "",
                }
                for column, n in (("sector", sectors), ("cuadrante", cuadrantes))
            }
        points = db.execute(
            "SELECT longitude, latitude, sector, cuadrante FROM read_parquet(?)", [str(path)]
        ).df()
        placed = pd.DataFrame(index=points.index)
        counts = {}
        for column, kind, _chosen in kinds:
            layer = layers[column]
            value = points[column].astype(object)
            origin = pd.Series(np.where(value.notna(), "cad", None), dtype=object)
            if layer and points["longitude"].notna().any():
                items = list(
                    Sector.objects.filter(layer=layer, kind=kind).values_list("name", "geometry")
                )
                names = np.asarray([n for n, _g in items], dtype=object)
                index = assign_points(
                    points["longitude"].to_numpy(dtype=float),
                    points["latitude"].to_numpy(dtype=float),
                    [from_geojson_text(g) for _n, g in items],
                    ids=list(names),
                )
                found = index >= 0
                value = value.where(~found, pd.Series(names[np.maximum(index, 0)]))
                origin = origin.where(~found, "coordinates")
            placed[column] = value
            placed[f"{column}_from"] = origin
            counts[column] = {
                "coordinates": int((origin == "coordinates").sum()),
                "cad": int((origin == "cad").sum()),
                "none": int(origin.isna().sum()),
                "layer": layer or "",
            }
        if not any(c["coordinates"] for c in counts.values()):
            return counts
        db.register("placed", placed)
        rewritten = path.with_name(f".placed-{path.name}")
        target = "'" + str(rewritten).replace("'", "''") + "'"
        db.execute(
            "COPY (SELECT c.* REPLACE (p.sector AS sector, p.cuadrante AS cuadrante, "  # noqa: S608
            "p.sector_from AS sector_from, p.cuadrante_from AS cuadrante_from) "
            "FROM read_parquet(?) c POSITIONAL JOIN placed p) "
            f"TO {target} (FORMAT parquet, COMPRESSION zstd)",
            [str(path)],
        )
    rewritten.replace(path)
    return counts


def ingest_calls(
    *,
    path: Path,
    municipality_code: str,
    actor,
    mapping=None,
    sectors_layer: str | None = None,
    cuadrantes_layer: str | None = None,
    progress=None,
):
    """Read, check, place and publish a CAD export as the municipality's calls snapshot;
    audited. ``progress(done, total, step)`` hears of each step (the web upload's job)."""
    step = progress or (lambda done, total, step: None)
    store_root = warehouse()
    incoming = store_root.root / "incoming"
    incoming.mkdir(parents=True, exist_ok=True)
    scratch = incoming / f"{uuid.uuid4().hex}.parquet"
    try:
        step(0, 3, _("Checking every call"))
        source = read_cad(
            Path(path), output=scratch, municipality_code=municipality_code, mapping=mapping
        )
        step(1, 3, _("Placing calls in sectors and cuadrantes by their coordinates"))
        placement = place_calls(
            scratch,
            municipality_code,
            sectors_layer=sectors_layer,
            cuadrantes_layer=cuadrantes_layer,
        )
        step(2, 3, _("Publishing the calls"))
        dataset = store.dataset_name(municipality_code)
        target = store_root.new_file(dataset, source.last[:7])
        os.replace(scratch, target)
        snapshot, changed = store_root.publish_if_changed(
            dataset=dataset,
            cut=source.last[:7],
            file=target,
            rows=source.rows,
            source=Path(path),
            metadata={
                "first": source.first,
                "last": source.last,
                "mapping": source.mapping,
                "placement": placement,
            },
        )
    finally:
        scratch.unlink(missing_ok=True)
        scratch.with_name(f".placed-{scratch.name}").unlink(missing_ok=True)
    record_import(actor=actor, snapshot=snapshot)
    line = _("%(file)s: %(rows)d calls from %(first)s to %(last)s → %(dataset)s, cut %(cut)s") % {
        "file": Path(path).name,
        "rows": source.rows,
        "first": source.first,
        "last": source.last,
        "dataset": dataset,
        "cut": snapshot.cut,
    }
    line += "; " + placement_text(placement)
    if not changed:
        line += " " + _("(unchanged: no new snapshot)")
    step(3, 3, "")
    return line


def placement_text(placement: dict) -> str:
    """How the calls' sectors and cuadrantes were found, in words."""
    parts = []
    labels = {"sector": _("sector"), "cuadrante": _("cuadrante")}
    for column, counts in placement.items():
        parts.append(
            _(
                "%(what)s: %(coordinates)d calls placed by their coordinates%(layer)s, "
                "%(cad)d by the CAD's own %(what)s, %(none)d without one"
            )
            % {
                "what": labels.get(column, column),
                "coordinates": counts["coordinates"],
                "layer": f" ({counts['layer']})" if counts.get("layer") else "",
                "cad": counts["cad"],
                "none": counts["none"],
            }
        )
    return "; ".join(parts)


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
    placement: str = ""  # how sectors and cuadrantes were found (coordinates or the CAD's)


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
        placement=placement_text(snapshot.metadata.get("placement") or {}),
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


def sector_map(user, cvegeo: str):
    """Calls per sector polygon of the municipality, for the map and its download: a frame
    (``sector_id``, ``name``, ``layer``, ``count`` = calls, ``genuine``, ``area_km2``,
    ``per_km2``, ``by_coordinates``, ``by_cad``) and the polygons' GeoJSON by id.

    The polygons are the municipality's sector polygons of the layer the calls were placed
    in (else its only sector layer); calls whose sector names no polygon (a CAD's own sector
    of another naming) are left off the map and counted in ``unmapped``."""
    import pandas as pd

    from civica.territory import selectors as territory
    from civica.territory.models import SectorKind

    municipality = records.municipality_in_scope(user, cvegeo)
    snapshot = warehouse().manifest().current(store.dataset_name(municipality.cvegeo))
    if snapshot is None:
        raise NoCalls(
            _("No calls for service are loaded for %(name)s: import the CAD export first.")
            % {"name": municipality.name}
        )
    counts = store.by_sector(warehouse().path_of(snapshot))
    layer = ((snapshot.metadata.get("placement") or {}).get("sector") or {}).get("layer")
    polygons = [
        s
        for s in territory.sectors(user, municipality=municipality)
        .filter(kind=SectorKind.SECTOR)
        .defer("geometry")
        if not layer or s.layer == layer
    ]
    if not layer and len({s.layer for s in polygons}) > 1:
        polygons = [s for s in polygons if s.layer == sorted({p.layer for p in polygons})[0]]
    by_name = {s.name: s for s in polygons}
    rows = []
    for row in counts.itertuples(index=False):
        sector = by_name.get(row.sector)
        if sector is None:
            continue
        rows.append(
            {
                "sector_id": sector.pk,
                "name": sector.name,
                "layer": sector.layer,
                "count": int(row.calls),
                "genuine": int(row.genuine),
                "area_km2": sector.area_km2,
                "per_km2": (row.calls / sector.area_km2) if sector.area_km2 else None,
                "by_coordinates": int(row.by_coordinates),
                "by_cad": int(row.by_cad),
            }
        )
    frame = pd.DataFrame(
        rows,
        columns=[
            "sector_id",
            "name",
            "layer",
            "count",
            "genuine",
            "area_km2",
            "per_km2",
            "by_coordinates",
            "by_cad",
        ],
    )
    frame.attrs["unmapped"] = int(counts["calls"].sum()) - int(frame["count"].sum())
    geometries = territory.sector_geometries(user, frame["sector_id"].tolist())
    return frame, geometries
