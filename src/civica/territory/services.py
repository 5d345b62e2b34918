"""Imports of the territory catalogue: states, municipalities, population and sectors.

Each import reads and validates its whole file before writing, writes in one transaction
(a failure leaves the database as it was) and compares with what is stored, so importing
the same file again reports everything unchanged. Nothing is dropped or deleted without
being reported: municipalities with population but no boundary are created and listed,
sectors no longer in a file are listed and removed only on request.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from pathlib import Path

import shapely
from django.db import transaction
from django.utils.translation import gettext as _

from civica.sources.boundaries import BoundaryFeature, read_boundaries
from civica.sources.errors import SourceError
from civica.sources.names import read_names
from civica.territory import catalog
from civica.territory.geometry import area_km2, locate, normalise, to_geojson_text
from civica.territory.models import (
    Municipality,
    Sector,
    SectorKind,
    State,
)
from civica.territory.population import import_population
from civica.territory.reports import ImportReport

__all__ = [
    "ImportReport",
    "import_municipalities",
    "import_population",
    "import_sectors",
    "import_states",
]


def import_states(
    *,
    path: str | Path,
    code_field: str = "id",
    name_field: str | None = None,
    object_name: str | None = None,
    repair_invalid: bool = False,
) -> ImportReport:
    """Create or update the states of a boundary file (codes 01–32).

    Names come from ``name_field`` when given, else from the INEGI catalogue.
    """
    features = read_boundaries(
        path,
        code_field=code_field,
        name_field=name_field,
        code_width=2,
        object_name=object_name,
        repair_invalid=repair_invalid,
    )
    wanted = {}
    for feature in features:
        info = catalog.state_by_code(feature.code)
        if info is None:
            raise SourceError(
                _("Unknown state code “%(code)s”; INEGI state codes run from 01 to 32.")
                % {"code": feature.code},
                file=path,
                feature=feature.number,
                field=code_field,
            )
        geometry, area = _stored_geometry(path, feature)
        wanted[feature.code] = {
            "name": feature.name or info.name,
            "abbreviation": info.abbreviation,
            "geometry": geometry,
            "area_km2": area,
        }
    with transaction.atomic():
        stored = {state.code: state for state in State.objects.filter(code__in=wanted)}
        created, updated = _save(State, stored, wanted, lambda code: State(code=code))
    return ImportReport(
        subject="states",
        created=created,
        updated=updated,
        unchanged=len(wanted) - created - updated,
        repaired=_repaired(features),
    )


def import_municipalities(
    *,
    path: str | Path,
    code_field: str = "id",
    name_field: str | None = None,
    names_path: str | Path | None = None,
    object_name: str | None = None,
    repair_invalid: bool = False,
) -> ImportReport:
    """Create or update municipalities (CVEGEO codes) from a boundary file.

    A name comes from ``name_field``, else from the ``names_path`` table, else the stored
    one is kept; the state comes from the first two digits of the code and must exist.
    """
    features = read_boundaries(
        path,
        code_field=code_field,
        name_field=name_field,
        code_width=5,
        object_name=object_name,
        repair_invalid=repair_invalid,
    )
    names = read_names(names_path).names if names_path else {}
    with transaction.atomic():
        states = dict(State.objects.values_list("code", "id"))
        stored = {m.cvegeo: m for m in Municipality.objects.all()}
        wanted = _municipalities_wanted(path, features, code_field, names, states, stored)
        created, updated = _save(
            Municipality, stored, wanted, lambda code: Municipality(cvegeo=code)
        )
        without = Municipality.objects.without_boundary().values_list("cvegeo", "name")
    return ImportReport(
        subject="municipalities",
        created=created,
        updated=updated,
        unchanged=len(wanted) - created - updated,
        repaired=_repaired(features),
        without_boundary=tuple(f"{code} {name}" for code, name in without),
    )


def _municipalities_wanted(path, features, code_field, names, states, stored) -> dict:
    """The fields each municipality of the file should have, validated."""
    wanted = {}
    for feature in features:
        code = feature.code
        if not (code.isdigit() and len(code) == 5):
            raise SourceError(
                _("“%(code)s” is not a municipality code (CVEGEO, five digits).") % {"code": code},
                file=path,
                feature=feature.number,
                field=code_field,
            )
        if code[:2] not in states:
            raise SourceError(
                _(
                    "The state %(state)s of municipality %(code)s is not in the database; "
                    "import the states first: civica territory import-states FILE"
                )
                % {"state": code[:2], "code": code},
                file=path,
                feature=feature.number,
                field=code_field,
            )
        name = feature.name or names.get(code) or (stored[code].name if code in stored else "")
        if not name:
            raise SourceError(
                _(
                    "Municipality %(code)s has no name: pass --name-field with the field that "
                    "holds names, or --names with a table of codes and names (such as "
                    "CONAPO's municipal file or municipios_censo2020.csv)."
                )
                % {"code": code},
                file=path,
                feature=feature.number,
            )
        geometry, area = _stored_geometry(path, feature)
        wanted[code] = {
            "state_id": states[code[:2]],
            "name": name,
            "geometry": geometry,
            "area_km2": area,
        }
    return wanted


def import_sectors(
    *,
    path: str | Path,
    name_field: str,
    layer: str | None = None,
    kind: str = SectorKind.SECTOR,
    municipality_field: str | None = None,
    population_field: str | None = None,
    remove_missing: bool = False,
    repair_invalid: bool = False,
    allow_overlaps: bool = False,
) -> ImportReport:
    """Create or update the named polygons of one layer (police sectors, cuadrantes…).

    Polygons of a layer must not overlap (beyond digitising noise: 1% of the smaller one),
    or an incident would belong to two sectors; ``allow_overlaps`` accepts such a layer.

    Each polygon belongs to the municipality named by ``municipality_field`` or, without
    it, to the municipality whose boundary holds the polygon's representative point.
    Sectors of the layer that the file no longer has are reported, and deleted only with
    ``remove_missing``.
    """
    path = Path(path)
    layer = layer or path.stem
    if kind not in SectorKind.values:
        raise ValueError(f"Unknown sector kind {kind!r}; expected one of {SectorKind.values}")
    if len(layer) > Sector._meta.get_field("layer").max_length:
        raise SourceError(
            _("The layer name “%(layer)s” is too long.") % {"layer": layer}, file=path
        )
    features = read_boundaries(
        path,
        code_field=name_field,
        name_field=name_field,
        repair_invalid=repair_invalid,
        extra_fields=[f for f in (municipality_field, population_field) if f],
    )
    prepared = []
    for feature in features:
        if len(feature.name) > Sector._meta.get_field("name").max_length:
            raise SourceError(
                _("The name is longer than 120 characters."),
                file=path,
                feature=feature.number,
                field=name_field,
            )
        geometry, area = _stored_geometry(path, feature)
        prepared.append((feature, geometry, area))
    if not allow_overlaps:
        _refuse_overlaps(path, features)
    with transaction.atomic():
        if municipality_field:
            owners, by_overlap = _municipalities_by_field(path, features, municipality_field), ()
        else:
            owners, by_overlap = _municipalities_by_location(
                path, [geometry for _f, geometry, _a in prepared], features
            )
        wanted = {}
        for (feature, geometry, area), municipality_id in zip(prepared, owners, strict=True):
            wanted[feature.name] = {
                "municipality_id": municipality_id,
                "kind": kind,
                "geometry": geometry,
                "area_km2": area,
                "properties": feature.properties,
                "population": _population(path, feature, population_field),
            }
        stored = {sector.name: sector for sector in Sector.objects.filter(layer=layer)}
        created, updated = _save(
            Sector, stored, wanted, lambda name: Sector(layer=layer, name=name)
        )
        missing = sorted(name for name in stored if name not in wanted)
        if remove_missing and missing:
            Sector.objects.filter(layer=layer, name__in=missing).delete()
    return ImportReport(
        subject="sectors",
        layer=layer,
        created=created,
        updated=updated,
        unchanged=len(wanted) - created - updated,
        repaired=_repaired(features),
        missing_from_file=tuple(missing),
        removed=len(missing) if remove_missing else 0,
        located_by_overlap=by_overlap,
    )


OVERLAP_TOLERANCE = 0.01


def _refuse_overlaps(path, features) -> None:
    """Name the first two polygons that share more than 1% of the smaller one's area."""
    geometries = [feature.geometry for feature in features]
    left, right = shapely.STRtree(geometries).query(geometries, predicate="intersects")
    for i, j in zip(left.tolist(), right.tolist(), strict=True):
        if i >= j:
            continue
        shared = geometries[i].intersection(geometries[j]).area
        if shared > OVERLAP_TOLERANCE * min(geometries[i].area, geometries[j].area):
            a, b = features[i], features[j]
            raise SourceError(
                _(
                    "“%(a)s” and “%(b)s” (feature %(other)d) overlap by %(share).0f%% of the "
                    "smaller one; sectors of a layer must not overlap (or use --allow-overlaps)."
                )
                % {
                    "a": a.name,
                    "b": b.name,
                    "other": b.number,
                    "share": 100 * shared / min(geometries[i].area, geometries[j].area),
                },
                file=path,
                feature=a.number,
            )


def _stored_geometry(path, feature: BoundaryFeature) -> tuple[str, float]:
    """GeoJSON text and area of the geometry as stored (see ``geometry.normalise``)."""
    shape = normalise(feature.geometry)
    if shape.is_empty:
        raise SourceError(
            _("The polygon vanishes when its coordinates are rounded to 6 decimals."),
            file=path,
            feature=feature.number,
        )
    return to_geojson_text(shape), area_km2(shape)


def _save(model, stored: dict, wanted: dict, new) -> tuple[int, int]:
    """Create the wanted records not stored, update those that differ; count both."""
    created, changed = [], []
    for key, fields in wanted.items():
        record = stored.get(key)
        if record is None:
            record = new(key)
            _apply(record, fields)
            created.append(record)
        elif _apply(record, fields):
            changed.append(record)
    model.objects.bulk_create(created, batch_size=500)
    if changed:
        model.objects.bulk_update(changed, list(next(iter(wanted.values()))), batch_size=200)
    return len(created), len(changed)


def _apply(record, fields: dict) -> bool:
    """Copy ``fields`` onto ``record``; tell whether anything differed."""
    changed = False
    for name, value in fields.items():
        current = getattr(record, name)
        same = (
            current is not None and value is not None and math.isclose(current, value, rel_tol=1e-9)
            if isinstance(value, float)
            else current == value
        )
        if not same:
            setattr(record, name, value)
            changed = True
    return changed


def _repaired(features: Iterable[BoundaryFeature]) -> tuple[str, ...]:
    return tuple(
        f"{feature.number} ({feature.code or feature.name}): {feature.repaired}"
        for feature in features
        if feature.repaired
    )


def _municipalities_by_field(path, features, field: str) -> list[int]:
    ids = dict(Municipality.objects.values_list("cvegeo", "id"))
    owners = []
    for feature in features:
        raw = feature.properties.get(field)
        if isinstance(raw, float) and raw.is_integer():
            raw = int(raw)
        code = "" if raw is None else str(raw).strip()
        code = code.zfill(5) if code.isdigit() else code
        if code not in ids:
            raise SourceError(
                _(
                    "The municipality “%(code)s” is not in the database; import the "
                    "municipalities first (civica territory import-municipalities FILE)."
                )
                % {"code": code},
                file=path,
                feature=feature.number,
                field=field,
            )
        owners.append(ids[code])
    return owners


def _municipalities_by_location(path, geometries: list[str], features):
    """Municipality ids by representative point, plus the polygons placed by overlap."""
    rows = list(
        Municipality.objects.with_boundary()
        .order_by("cvegeo")
        .values_list("id", "cvegeo", "name", "geometry")
    )
    found = locate(shapely.from_geojson(geometries), shapely.from_geojson([r[3] for r in rows]))
    owners, by_overlap = [], []
    for feature, (index, overlap_only) in zip(features, found, strict=True):
        if index is None:
            raise SourceError(
                _(
                    "The polygon lies outside every imported municipality boundary; import "
                    "the municipalities first or give the municipality field."
                ),
                file=path,
                feature=feature.number,
            )
        if overlap_only:
            by_overlap.append(
                f"{feature.number} ({feature.name}) → {rows[index][1]} {rows[index][2]}"
            )
        owners.append(rows[index][0])
    return owners, tuple(by_overlap)


def _population(path, feature: BoundaryFeature, field: str | None) -> int | None:
    if not field:
        return None
    value = feature.properties.get(field)
    if value is None or value == "":
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    if isinstance(value, bool) or not text.isdigit():
        raise SourceError(
            _("“%(value)s” is not a population count (a whole number, 0 or more).")
            % {"value": value},
            file=path,
            feature=feature.number,
            field=field,
        )
    return int(text)
