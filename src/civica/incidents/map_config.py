"""What the incident map's script (``civica/incident_map.js``) is told: where each layer
comes from and the words it shows. One place for the live map page and for a frozen hot-spot
snapshot (a problem's attached analysis), so both draw and name the cells alike."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _


def labels() -> dict:
    return {
        "sectors": _("Sectors by incidents per km²"),
        "hot": _("Hot spot"),
        "cold": _("Cold spot"),
        "points": _("Incidents (zoom in)"),
        "hotspots": _("Hot spots (Gi*, FDR 5%)"),
        "basemap": _("Municipal boundaries"),
        "legend": _("Legend"),
        "fewer": _("fewer incidents per km²"),
        "more": _("more"),
        "zoomIn": _("Zoom in"),
        "zoomOut": _("Zoom out"),
    }


def live(layer: str, query: str) -> dict:
    """The map page: every layer read from the server for the selection in ``query``."""
    return {
        "tiles": settings.CIVICA_TILE_URL,
        "attribution": settings.CIVICA_TILE_ATTRIBUTION,
        "sectors": reverse("incidents:sectors", args=[layer]),
        "hotspots": reverse("incidents:hotspots", args=[layer]),
        "points": reverse("incidents:points", args=[layer]),
        "basemap": reverse("incidents:basemap", args=[layer]),
        "query": query,
        "pointZoom": 15,
        "labels": labels(),
    }


def snapshot(layer: str, cells: dict, query: str = "") -> dict:
    """A frozen hot-spot map: its significant cells inline (GeoJSON as they were computed),
    over the municipal boundaries; no live sectors or incidents."""
    return {
        "tiles": settings.CIVICA_TILE_URL,
        "attribution": settings.CIVICA_TILE_ATTRIBUTION,
        "sectors": None,
        "hotspotsData": cells,
        "points": None,
        "basemap": reverse("incidents:basemap", args=[layer]) if layer else None,
        "query": query,
        "pointZoom": 15,
        "labels": labels(),
    }
