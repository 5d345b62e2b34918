"""Boundaries drawn as inline SVG, so a page shows its map with no tile server or script.

Longitude is scaled by cos(latitude) at the centre of the drawing (a local equirectangular
projection), which keeps shapes true at municipal and sector scale.
"""

from __future__ import annotations

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
    parsed = [(shape, json.loads(shape.geometry)) for shape in shapes if shape.geometry]
    points = [pt for _, geom in parsed for ring in _rings(geom) for pt in ring]
    if not points:
        return {"paths": [], "width": width, "height": height}
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

    paths = []
    for shape, geom in parsed:
        d = " ".join(ring_path(ring) for ring in _rings(geom))
        paths.append({"d": d, "label": shape.label, "href": shape.href, "cls": shape.css_class})
    return {"paths": paths, "width": width, "height": height}
