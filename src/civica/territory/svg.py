"""Boundaries drawn as inline SVG, so a page shows its map with no tile server or script.

Longitude is scaled by cos(latitude) at the centre of the drawing (a local equirectangular
projection), which keeps shapes true at municipal and sector scale.
"""

from __future__ import annotations

import functools
import json
import math
from dataclasses import dataclass

__all__ = ["SvgShape", "render"]


@dataclass(frozen=True)
class SvgShape:
    geometry: str  # GeoJSON text
    label: str = ""
    href: str = ""
    css_class: str = ""


def _rings(geometry: dict):
    if geometry["type"] == "Polygon":
        yield from geometry["coordinates"]
    elif geometry["type"] == "MultiPolygon":
        for polygon in geometry["coordinates"]:
            yield from polygon


def render(shapes: list[SvgShape], *, width: int = 640, height: int = 420) -> dict:
    """View box and one SVG path per shape; an empty list gives ``{"paths": []}``."""
    drawn = [shape for shape in shapes if shape.geometry]
    outlines = _outlines(tuple(shape.geometry for shape in drawn), width, height)
    if outlines is None:
        return {"paths": [], "width": width, "height": height}
    paths = [
        {"d": d, "label": shape.label, "href": shape.href, "cls": shape.css_class}
        for shape, d in zip(drawn, outlines, strict=True)
    ]
    return {"paths": paths, "width": width, "height": height}


# The outlines depend on the boundaries' text and the size alone, while the colours and labels
# change with every figure: a page drawn again over the same boundaries (the national map of
# the statistics page, 32 states' detailed GeoJSON, ~0.3 s to parse) reuses them. Keyed by the
# text itself, so an edited boundary is drawn anew; a few maps per process.
@functools.lru_cache(maxsize=16)
def _outlines(geometries: tuple[str, ...], width: int, height: int) -> tuple[str, ...] | None:
    parsed = [json.loads(geometry) for geometry in geometries]
    points = [pt for geom in parsed for ring in _rings(geom) for pt in ring]
    if not points:
        return None
    lons = [p[0] for p in points]
    lats = [p[1] for p in points]
    kx = math.cos(math.radians((min(lats) + max(lats)) / 2))
    span_x = max((max(lons) - min(lons)) * kx, 1e-9)
    span_y = max(max(lats) - min(lats), 1e-9)
    scale = min(width / span_x, height / span_y) * 0.96
    off_x = (width - span_x * scale) / 2
    off_y = (height - span_y * scale) / 2
    west, north = min(lons), max(lats)

    def ring_path(ring) -> str:
        # Points that land on the same pixel are dropped: a national map of
        # detailed boundaries shrinks to what the eye can see.
        out, last = [], None
        for lon, lat, *_z in ring:
            point = f"{off_x + (lon - west) * kx * scale:.0f},{off_y + (north - lat) * scale:.0f}"
            if point != last:
                out.append(point)
                last = point
        return "M" + " L".join(out) + " Z"

    return tuple(" ".join(ring_path(ring) for ring in _rings(geom)) for geom in parsed)
