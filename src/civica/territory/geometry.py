"""Geometry helpers shared by the territory imports.

Boundaries are stored as GeoJSON text in WGS84, so comparing two imports of the same file
must not depend on how a source wrote its numbers: :func:`to_geojson_text` drops z values
(the CDMX cuadrantes carry ``z=0``), rounds to 6 decimals (about 0.1 m, finer than any
boundary the project uses) and writes compact JSON, so equal shapes give equal text.

Areas are geodesic: computed on the GRS80 ellipsoid (the one of INEGI's ITRF2008 frame) with
pyproj's ``Geod``, which is exact for any size and place. A projected CRS such as EPSG:6372
(INEGI's Lambert conformal conic) is conformal, not equal-area, and is off by about 0.6% in
CDMX; it remains the CRS for distances and grids.
"""

from __future__ import annotations

import json

import numpy as np
import shapely
from pyproj import Geod
from shapely.geometry import MultiPolygon, Point, Polygon, mapping

__all__ = [
    "DECIMALS",
    "area_km2",
    "from_geojson_text",
    "locate",
    "normalise",
    "representative_point",
    "to_geojson_text",
]

DECIMALS = 6


_GEOD = Geod(ellps="GRS80")


def area_km2(geometry: Polygon | MultiPolygon) -> float:
    """Geodesic area in square kilometres of a lon/lat geometry (GRS80 ellipsoid)."""
    # pyproj subtracts holes only when they run against the shell; sources do not agree on
    # ring orientation, so it is set here (shells counter-clockwise, holes clockwise).
    oriented = shapely.orient_polygons(shapely.force_2d(geometry), exterior_cw=False)
    area, _perimeter = _GEOD.geometry_area_perimeter(oriented)
    return area / 1_000_000


def _rounded(geometry):
    return shapely.transform(geometry, lambda coords: np.round(coords, DECIMALS))


def normalise(geometry: Polygon | MultiPolygon) -> Polygon | MultiPolygon:
    """The geometry as it will be stored: 2-D, coordinates rounded to 6 decimals.

    Plain rounding keeps the source's vertices and ring order. Where it would turn a valid
    polygon invalid (two nearly touching edges snapped onto each other, which happens in
    the CDMX cuadrantes written with 15 decimals), GEOS snap-rounding to the same 1e-6°
    grid gives the nearest valid shape instead. An invalid input is only rounded: repairing
    it is the reader's explicit ``repair_invalid`` choice, not a side effect of storing.
    """
    flat = shapely.force_2d(geometry)
    rounded = _rounded(flat)
    if rounded.is_valid or not flat.is_valid:
        return rounded
    return _rounded(shapely.set_precision(flat, 10.0**-DECIMALS))


def to_geojson_text(geometry: Polygon | MultiPolygon) -> str:
    """Compact GeoJSON text of the normalised geometry (deterministic for equal shapes).

    ``normalise`` is idempotent, so passing an already normalised geometry is cheap.
    """
    # json.dumps writes floats with the shortest repr, so rounded values stay short; GEOS's
    # writer would print binary noise such as -99.123456000000004.
    return json.dumps(mapping(normalise(geometry)), separators=(",", ":"))


def from_geojson_text(text: str) -> Polygon | MultiPolygon | None:
    """The shapely geometry of stored GeoJSON text; ``None`` for an empty boundary."""
    if not text:
        return None
    return shapely.from_geojson(text)


def representative_point(geometry: Polygon | MultiPolygon) -> Point:
    """A point guaranteed to lie inside the geometry (unlike the centroid of a crescent)."""
    return geometry.representative_point()


def locate(polygons, areas) -> list[tuple[int | None, bool]]:
    """For each polygon, the index of the area holding its representative point.

    Returns ``(index, by_overlap)`` pairs. A point on a shared border touches two areas;
    the one holding more of the polygon wins, then the lower index, so the answer does not
    depend on the order of a query. Simplified outlines can leave a border polygon's point
    outside every area (CDMX cuadrante P-2.1.10 lies half outside mxmaps' CDMX): then the
    area the polygon overlaps most is taken and ``by_overlap`` is true, for the caller to
    report. ``(None, False)`` means the polygon touches no area at all.
    """
    tree = shapely.STRtree(areas)
    found = []
    for polygon in polygons:
        point = representative_point(polygon)
        candidates = tree.query(point, predicate="intersects")
        by_overlap = len(candidates) == 0
        if by_overlap:
            candidates = tree.query(polygon, predicate="intersects")
        if len(candidates) == 0:
            found.append((None, False))
            continue
        best = max(candidates, key=lambda i: (polygon.intersection(areas[i]).area, -i))
        found.append((int(best), by_overlap))
    return found
