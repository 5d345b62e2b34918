"""Small, hand-checkable territories for tests."""

from __future__ import annotations

import json
from types import SimpleNamespace

from civica.territory.models import Municipality, PopulationEstimate, Sector, SectorKind, State


def square(lon: float, lat: float, size: float = 0.01) -> str:
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    return json.dumps({"type": "Polygon", "coordinates": [ring]})


def make_small_territory() -> SimpleNamespace:
    cdmx = State.objects.create(code="09", name="Ciudad de México", abbreviation="CDMX")
    bc = State.objects.create(code="02", name="Baja California", abbreviation="BC")
    cuauhtemoc = Municipality.objects.create(
        cvegeo="09015", state=cdmx, name="Cuauhtémoc", geometry=square(-99.17, 19.42, 0.05)
    )
    coyoacan = Municipality.objects.create(
        cvegeo="09003", state=cdmx, name="Coyoacán", geometry=square(-99.17, 19.32, 0.05)
    )
    tijuana = Municipality.objects.create(
        cvegeo="02004", state=bc, name="Tijuana", geometry=square(-117.0, 32.45, 0.1)
    )
    ensenada = Municipality.objects.create(cvegeo="02001", state=bc, name="Ensenada")
    sectors = {}
    for municipality, (lon, lat) in {
        cuauhtemoc: (-99.16, 19.43),
        coyoacan: (-99.16, 19.33),
        tijuana: (-116.99, 32.46),
    }.items():
        sectors[municipality.cvegeo] = Sector.objects.create(
            municipality=municipality,
            layer="sectores",
            kind=SectorKind.SECTOR,
            name=f"Sector {municipality.name}",
            geometry=square(lon, lat),
            area_km2=1.1,
        )
    for municipality, total in {cuauhtemoc: 550000, coyoacan: 610000, tijuana: 2000000}.items():
        PopulationEstimate.objects.create(
            state=municipality.state,
            municipality=municipality,
            year=2024,
            total=total,
            men=total // 2,
            women=total - total // 2,
        )
    return SimpleNamespace(
        cdmx=cdmx,
        bc=bc,
        cuauhtemoc=cuauhtemoc,
        coyoacan=coyoacan,
        tijuana=tijuana,
        ensenada=ensenada,
        sectors=sectors,
    )
