"""An incident layer in the synthetic territory (state 99) whose scan can be told by hand.

2013–2015, robbery (ROBO) spread over every sector at 3 a quarter; the four sectors of
Municipio Sintético A have 60 a quarter throughout (a persistent cluster of hot spots: Gi*
finds clusters, not a lone sector); Sector B2 has 3 a quarter until 2014 and 30 a quarter in
2015 (rising); 12 burglaries (ALLANAMIENTO) at one point of Sector C1 in 2015 (a repeat place).
Times: A1's robberies at 21:00 on the day they fall; others at noon.
"""

from __future__ import annotations

import csv
import datetime as dt

from civica.incidents.tests.conftest import HEADER, MAPPING
from civica.territory.geometry import from_geojson_text
from civica.territory.models import Sector

LAYER = "scan"
SECTORS = "sectores sintéticos"


def _point(sector: Sector, i: int | None = None) -> tuple[float, float]:
    """The sector's centre, or the ``i``-th of points spread up to 0.01° around it."""
    point = from_geojson_text(sector.geometry).representative_point()
    if i is None:
        return point.y, point.x
    return point.y + ((i * 37) % 101 / 100 - 0.5) * 0.02, point.x + (
        (i * 53) % 97 / 96 - 0.5
    ) * 0.02


def _quarter_days(year: int, quarter: int, n: int) -> list[dt.date]:
    start = dt.date(year, 3 * quarter + 1, 1)
    return [start + dt.timedelta(days=int(i * 89 / max(n, 1))) for i in range(n)]


def ingest(tmp_path, *, layer: str = LAYER) -> None:
    from civica.incidents import services

    path = tmp_path / f"{layer}.csv"
    sectors = {s.name: s for s in Sector.objects.filter(layer=SECTORS)}
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        n = 0

        def write(day, time, crime, lat, lon):
            nonlocal n
            writer.writerow([f"e{n}", day.isoformat(), time, crime, f"{lat:.6f}", f"{lon:.6f}"])
            n += 1

        for year in (2013, 2014, 2015):
            for quarter in range(4):
                for name, sector in sectors.items():
                    count = 3
                    if name.startswith("Sector A"):
                        count = 60
                    elif name == "Sector B2" and year == 2015:
                        count = 30
                    for i, day in enumerate(_quarter_days(year, quarter, count)):
                        lat, lon = _point(sector, i + 100 * quarter + 1000 * year)
                        write(day, "21:00" if name == "Sector A1" else "12:00", "ROBO", lat, lon)
        lat, lon = _point(sectors["Sector C1"])
        for i in range(12):
            write(dt.date(2015, 1 + i, 10), "03:00", "ALLANAMIENTO", lat, lon)
        # The layer's coverage: its first and last day.
        lat, lon = _point(sectors["Sector D4"])
        write(dt.date(2013, 1, 1), "", "OTRO", lat, lon)
        write(dt.date(2015, 12, 31), "", "OTRO", lat, lon)
    services.ingest_incidents(path=path, layer=layer, mapping=MAPPING, sectors_layer=SECTORS)
