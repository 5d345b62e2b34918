"""Sector layers as files: GeoJSON (geometry) and CSV (attributes)."""

from __future__ import annotations

import io
import json

from civica import tables


def sectors_geojson(sectors) -> str:
    features = [
        {
            "type": "Feature",
            "id": sector.pk,
            "properties": {
                "name": sector.name,
                "layer": sector.layer,
                "kind": sector.kind,
                "municipality": sector.municipality.cvegeo,
                "area_km2": sector.area_km2,
                "population": sector.population,
            },
            "geometry": json.loads(sector.geometry),
        }
        for sector in sectors
    ]
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False)


CSV_COLUMNS = ["id", "name", "layer", "kind", "municipality", "area_km2", "population"]


def sectors_csv(sectors) -> str:
    buffer = io.StringIO()
    writer = tables.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for sector in sectors:
        writer.writerow(
            [
                sector.pk,
                sector.name,
                sector.layer,
                sector.kind,
                sector.municipality.cvegeo,
                sector.area_km2 if sector.area_km2 is not None else "",
                sector.population if sector.population is not None else "",
            ]
        )
    return buffer.getvalue()
