"""Reader of polygon boundary files: GeoJSON FeatureCollections and TopoJSON Topologies.

Boundary files come from INEGI (through mxmaps), from city governments and from whoever
drew a sector map, so the reader is strict about what it accepts and precise about where a
problem is: every :class:`~civica.sources.errors.SourceError` names the file and the line
and column (for encoding and JSON syntax) or the 1-based feature number and field.

TopoJSON is decoded here (quantized ``transform``, delta-encoded arcs, ``~i`` for a
reversed arc) rather than through GDAL, so a bad arc or a missing property is reported
against the feature that uses it.

Invalid polygons are an error by default: a silently repaired polygon can change an area or
a point-in-polygon answer without anyone knowing. ``repair_invalid=True`` rebuilds them
with :func:`shapely.make_valid` and marks each repaired feature, so the caller reports it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from shapely.geometry import MultiPolygon, Polygon, shape
from shapely.validation import explain_validity

from civica.sources._files import read_bytes
from civica.sources.errors import SourceError
from civica.sources.errors import message as _

__all__ = ["BoundaryFeature", "read_boundaries"]

POLYGON_TYPES = ("Polygon", "MultiPolygon")


@dataclass(frozen=True)
class BoundaryFeature:
    """One polygon of a boundary file, numbered from 1 in file order."""

    number: int
    code: str | None
    name: str | None
    geometry: Polygon | MultiPolygon
    properties: dict[str, Any] = field(default_factory=dict)
    repaired: str | None = None
    """What was wrong with the polygon (``explain_validity``) when it was repaired."""


def read_boundaries(
    path: str | Path,
    *,
    code_field: str | None = "id",
    name_field: str | None = None,
    extra_fields: Iterable[str] = (),
    code_width: int | None = None,
    object_name: str | None = None,
    repair_invalid: bool = False,
) -> list[BoundaryFeature]:
    """Read and validate every polygon of a GeoJSON or TopoJSON file.

    Parameters
    ----------
    code_field, name_field
        Properties holding each feature's code and name (``None``: not read). A feature's
        top-level ``id`` stands in for a missing ``id`` property.
    extra_fields
        Further properties every feature must have (checked like the code field).
    code_width
        Zero-pad numeric codes to this width (CDMX files write ``9015`` for ``09015``).
    object_name
        The TopoJSON object to read when the topology holds more than one.
    repair_invalid
        Rebuild invalid polygons with ``make_valid`` instead of rejecting them.
    """
    path = Path(path)
    document = _load_json(path)
    kind = document.get("type") if isinstance(document, dict) else None
    if kind == "FeatureCollection":
        raw = _geojson_features(path, document)
    elif kind == "Topology":
        raw = _topojson_features(path, document, object_name)
    else:
        found = kind if isinstance(kind, str) else type(document).__name__
        raise SourceError(
            _("Expected a GeoJSON FeatureCollection or a TopoJSON Topology, found “%(found)s”.")
            % {"found": found},
            file=path,
        )
    if not raw:
        raise SourceError(_("The file has no features."), file=path)

    required = [name for name in (code_field, name_field, *extra_fields) if name]
    features: list[BoundaryFeature] = []
    first_with_code: dict[str, int] = {}
    for number, geometry_json, properties, feature_id in raw:
        values = dict(properties)
        if feature_id is not None and "id" not in values:
            values["id"] = feature_id
        for name in required:
            if name not in values:
                raise SourceError(
                    _("The feature has no field “%(field)s”; its fields are: %(fields)s.")
                    % {"field": name, "fields": ", ".join(values) or _("(none)")},
                    file=path,
                    feature=number,
                    field=name,
                )
        code = _text(path, number, code_field, values, code_width) if code_field else None
        if code is not None:
            if code in first_with_code:
                raise SourceError(
                    _("“%(code)s” appears twice in “%(field)s”: features %(a)d and %(b)d.")
                    % {"code": code, "field": code_field, "a": first_with_code[code], "b": number},
                    file=path,
                    feature=number,
                    field=code_field,
                )
            first_with_code[code] = number
        name = _text(path, number, name_field, values, None) if name_field else None
        # Fields first: a wrong --code-field is a more basic mistake than a bad polygon.
        geometry, repaired = _polygon(path, number, geometry_json, repair_invalid)
        features.append(BoundaryFeature(number, code, name, geometry, dict(properties), repaired))
    return features


def _load_json(path: Path) -> Any:
    data = read_bytes(path)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        line_start = data.rfind(b"\n", 0, error.start) + 1
        column = len(data[line_start : error.start].decode("utf-8", errors="replace")) + 1
        raise SourceError(
            _(
                "The file is not UTF-8 (byte 0x%(byte)02X cannot be decoded); GeoJSON must be "
                "UTF-8 (RFC 7946). Save the file as UTF-8 and import it again."
            )
            % {"byte": data[error.start]},
            file=path,
            line=line,
            column=column,
        ) from error
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise SourceError(
            _("The file is not valid JSON (%(reason)s); a GeoJSON or TopoJSON file was expected.")
            % {"reason": error.msg},
            file=path,
            line=error.lineno,
            column=error.colno,
        ) from error


RawFeature = tuple[int, Any, dict, Any]


def _geojson_features(path: Path, document: dict) -> list[RawFeature]:
    features = document.get("features")
    if not isinstance(features, list):
        raise SourceError(_("The FeatureCollection has no “features” list."), file=path)
    raw = []
    for number, feature in enumerate(features, start=1):
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            raise SourceError(_("This is not a GeoJSON Feature."), file=path, feature=number)
        properties = feature.get("properties") or {}
        if not isinstance(properties, dict):
            raise SourceError(
                _("The feature's “properties” is not an object."), file=path, feature=number
            )
        raw.append((number, feature.get("geometry"), properties, feature.get("id")))
    return raw


def _topojson_features(path: Path, topology: dict, object_name: str | None) -> list[RawFeature]:
    objects = topology.get("objects")
    if not isinstance(objects, dict) or not objects:
        raise SourceError(_("The Topology has no objects."), file=path)
    if object_name is None:
        if len(objects) > 1:
            raise SourceError(
                _("The Topology has several objects (%(names)s); choose one of them.")
                % {"names": ", ".join(objects)},
                file=path,
            )
        object_name = next(iter(objects))
    elif object_name not in objects:
        raise SourceError(
            _("The Topology has no object “%(name)s”; it has: %(names)s.")
            % {"name": object_name, "names": ", ".join(objects)},
            file=path,
        )
    chosen = objects[object_name]
    if not isinstance(chosen, dict):
        raise SourceError(
            _("The object “%(name)s” is not a TopoJSON geometry.") % {"name": object_name},
            file=path,
        )
    members = chosen.get("geometries") if chosen.get("type") == "GeometryCollection" else [chosen]
    if not isinstance(members, list):
        raise SourceError(_("The GeometryCollection has no “geometries” list."), file=path)
    arcs = _decode_arcs(path, topology)
    raw = []
    for number, member in enumerate(members, start=1):
        if not isinstance(member, dict):
            raise SourceError(_("This is not a TopoJSON geometry."), file=path, feature=number)
        properties = member.get("properties") or {}
        if not isinstance(properties, dict):
            raise SourceError(
                _("The feature's “properties” is not an object."), file=path, feature=number
            )
        geometry = _topojson_geometry(path, number, member, arcs)
        raw.append((number, geometry, properties, member.get("id")))
    return raw


def _decode_arcs(path: Path, topology: dict) -> list[np.ndarray]:
    """Absolute lon/lat positions of every arc (TopoJSON spec §2.1.4 and §2.2)."""
    transform = topology.get("transform")
    scale = translate = None
    if transform is not None:
        try:
            scale = np.asarray(transform["scale"], dtype=float)[:2]
            translate = np.asarray(transform["translate"], dtype=float)[:2]
        except (KeyError, TypeError, ValueError) as error:
            raise SourceError(
                _("The Topology's “transform” needs a “scale” and a “translate” pair."),
                file=path,
            ) from error
    arcs = []
    for index, arc in enumerate(topology.get("arcs") or []):
        try:
            positions = np.asarray(arc, dtype=float)[:, :2]
        except (TypeError, ValueError, IndexError) as error:
            raise SourceError(
                _("Arc %(index)d is not a list of positions.") % {"index": index}, file=path
            ) from error
        if scale is not None:
            # Quantized arcs store the first position and then deltas (spec §2.1.4).
            positions = np.cumsum(positions, axis=0) * scale + translate
        arcs.append(positions)
    return arcs


def _topojson_geometry(path: Path, number: int, member: dict, arcs: list[np.ndarray]) -> Any:
    kind = member.get("type")
    if kind is None:
        return None
    if kind not in POLYGON_TYPES:
        return {"type": kind}
    polygons = member.get("arcs")
    if kind == "Polygon":
        polygons = [polygons]
    try:
        coordinates = [[_ring(ring, arcs).tolist() for ring in rings] for rings in polygons]
    except (IndexError, TypeError, ValueError) as error:
        raise SourceError(
            _("The feature refers to arcs that the Topology does not have or that are malformed."),
            file=path,
            feature=number,
        ) from error
    if kind == "Polygon":
        return {"type": "Polygon", "coordinates": coordinates[0]}
    return {"type": "MultiPolygon", "coordinates": coordinates}


def _ring(indices: list[int], arcs: list[np.ndarray]) -> np.ndarray:
    pieces = []
    for position, index in enumerate(indices):
        # A negative index ~i means arc i walked backwards (spec §2.2.1).
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        # Consecutive arcs share their joining position; keep it once.
        pieces.append(arc if position == 0 else arc[1:])
    return np.concatenate(pieces)


def _polygon(
    path: Path, number: int, geometry_json: Any, repair: bool
) -> tuple[Polygon | MultiPolygon, str | None]:
    if not geometry_json:
        raise SourceError(_("The feature has no geometry."), file=path, feature=number)
    kind = geometry_json.get("type") if isinstance(geometry_json, dict) else None
    if kind not in POLYGON_TYPES:
        raise SourceError(
            _("The geometry is a %(kind)s; only Polygon and MultiPolygon can be imported.")
            % {"kind": kind},
            file=path,
            feature=number,
        )
    try:
        geometry = shape(geometry_json)
    except Exception as error:  # shapely raises several types for malformed coordinates
        raise SourceError(
            _("The %(kind)s has malformed coordinates (%(reason)s).")
            % {"kind": kind, "reason": error},
            file=path,
            feature=number,
        ) from error
    if geometry.is_empty:
        raise SourceError(_("The geometry is empty."), file=path, feature=number)
    if geometry.is_valid:
        return geometry, None
    reason = explain_validity(geometry)
    if not repair:
        raise SourceError(
            _(
                "The polygon is not valid: %(reason)s. Correct it in a GIS, or import with "
                "the repair option (--repair-invalid) to rebuild it and have it reported."
            )
            % {"reason": reason},
            file=path,
            feature=number,
        )
    return _repaired(path, number, geometry), reason


def _repaired(path: Path, number: int, geometry) -> Polygon | MultiPolygon:
    """``make_valid`` keeping only the polygonal part (spikes collapse to lines, dropped)."""
    fixed = shapely.make_valid(geometry, method="structure", keep_collapsed=False)
    parts = [
        part
        for part in getattr(fixed, "geoms", [fixed])
        if isinstance(part, Polygon | MultiPolygon) and not part.is_empty
    ]
    if not parts:
        raise SourceError(
            _("The polygon is not valid and has no area left once repaired."),
            file=path,
            feature=number,
        )
    return shapely.union_all(parts)


def _text(path: Path, number: int, name: str, values: dict, width: int | None) -> str:
    value = values[name]
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = "" if value is None else str(value).strip()
    if not text:
        raise SourceError(
            _("The field “%(field)s” is empty.") % {"field": name},
            file=path,
            feature=number,
            field=name,
        )
    if width and text.isdigit() and len(text) < width:
        text = text.zfill(width)
    return text
