"""A small invented territory for exploring Cívica offline.

Everything here is marked ``synthetic`` and named so nobody mistakes it for real data: one
state with code 99 (INEGI uses 01–32), four municipalities laid out as squares, four sectors
in each, and a population series.
"""

from __future__ import annotations

import json

from django.db import transaction
from django.utils.translation import gettext as _

from civica.territory.geometry import area_km2, from_geojson_text
from civica.territory.models import Municipality, PopulationEstimate, Sector, SectorKind, State

STATE_CODE = "99"
ORIGIN = (-102.40, 21.80)  # a corner, in degrees; squares of 0.1° per municipality
SIZE = 0.1


def _square(lon: float, lat: float, size: float) -> str:
    ring = [
        [round(lon, 6), round(lat, 6)],
        [round(lon + size, 6), round(lat, 6)],
        [round(lon + size, 6), round(lat + size, 6)],
        [round(lon, 6), round(lat + size, 6)],
        [round(lon, 6), round(lat, 6)],
    ]
    return json.dumps({"type": "Polygon", "coordinates": [ring]})


def _area(geometry: str) -> float:
    return area_km2(from_geojson_text(geometry))


@transaction.atomic
def load() -> list[str]:
    state, _state_created = State.objects.update_or_create(
        code=STATE_CODE,
        defaults={
            "name": "Entidad Sintética (demostración)",
            "abbreviation": "SINT",
            "geometry": _square(*ORIGIN, SIZE * 2),
            "synthetic": True,
        },
    )
    created = 0
    for index, letter in enumerate("ABCD"):
        lon = ORIGIN[0] + SIZE * (index % 2)
        lat = ORIGIN[1] + SIZE * (index // 2)
        municipality, _municipality_created = Municipality.objects.update_or_create(
            cvegeo=f"{STATE_CODE}{index + 1:03d}",
            defaults={
                "state": state,
                "name": f"Municipio Sintético {letter}",
                "geometry": _square(lon, lat, SIZE),
                "area_km2": _area(_square(lon, lat, SIZE)),
                "synthetic": True,
            },
        )
        for quarter in range(4):
            half = SIZE / 2
            geometry = _square(lon + half * (quarter % 2), lat + half * (quarter // 2), half)
            _sector, was_created = Sector.objects.update_or_create(
                layer="sectores sintéticos",
                name=f"Sector {letter}{quarter + 1}",
                defaults={
                    "municipality": municipality,
                    "kind": SectorKind.SECTOR,
                    "geometry": geometry,
                    "area_km2": _area(geometry),
                    "population": 20000 + 2500 * quarter,
                    "synthetic": True,
                },
            )
            created += was_created
        for year in range(2015, 2031):
            total = 80000 + 1200 * (year - 2015) + 5000 * index
            PopulationEstimate.objects.update_or_create(
                municipality=municipality,
                year=year,
                defaults={
                    "state": state,
                    "total": total,
                    "men": total * 49 // 100,
                    "women": total - total * 49 // 100,
                    "source": "sintético",
                },
            )
    return [
        _(
            "Synthetic territory: 1 state (99), 4 municipalities, 16 sectors, invented for the "
            "demo and not real data (%(n)d sectors created)."
        )
        % {"n": created}
    ]
