"""Incident layers as GeoJSON for the map and for export."""

from __future__ import annotations

import json
import math

import pandas as pd

from civica.tables import csv_value


def _properties(row: dict) -> dict:
    return {
        key: csv_value(value) if isinstance(value, float) else value for key, value in row.items()
    }


def sectors(rows: pd.DataFrame, geometries: dict[int, str]) -> str:
    features = [
        {
            "type": "Feature",
            "id": int(row["sector_id"]),
            "properties": _properties(row),
            "geometry": json.loads(geometries[int(row["sector_id"])]),
        }
        for row in rows.to_dict("records")
        if int(row["sector_id"]) in geometries
    ]
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False)


def points(frame: pd.DataFrame) -> str:
    features = [
        {
            "type": "Feature",
            "id": str(row["id"]),
            "properties": {
                "crime": row["crime"],
                "date": str(row["date"]),
                "time": None if row["time"] is None or row["time"] is pd.NaT else str(row["time"]),
            },
            "geometry": {"type": "Point", "coordinates": [row["lon"], row["lat"]]},
        }
        for row in frame.to_dict("records")
        if not (math.isnan(row["lon"]) or math.isnan(row["lat"]))
    ]
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False)
