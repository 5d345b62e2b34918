"""A program in six real CDMX police sectors (sectores_2016), each in a different alcaldía.

The alcaldías' INEGI boundaries and the 72 sectors are imported from ``../shared/data``; the
incidents are planted at each sector's representative point with known counts, so every
alcaldía's effect is known: comparison sectors 50 → 50, targets 40 → ``AFTER[alcaldía]``.
"""

from __future__ import annotations

import csv
import datetime as dt
import json

from civica.accounts.access import SYSTEM
from civica.incidents.tests.conftest import HEADER, MAPPING
from civica.interventions.models import DataSource, InterventionKind
from civica.interventions.services import create_design, create_intervention, lock_design
from civica.territory.geometry import from_geojson_text
from civica.territory.models import Municipality, Sector
from civica.territory.services import import_municipalities, import_sectors, import_states

LAYER = "sectores_2016"
CRIME = "ROBO A TRANSEUNTE"
# alcaldía → (target sector, comparison sector): apart from every target (checked by hand).
PAIRS = {
    "09015": ("CORREDOR-CENTRO", "ANGEL-ZONA ROSA"),
    "09007": ("TEZONCO", "OASIS"),
    "09005": ("CUCHILLA", "CUAUTEPEC"),
    "09003": ("TAXQUEÑA", "UNIVERSIDAD"),
    "09014": ("PORTALES", "NAPOLES"),
    "09017": ("MERCED-BALBUENA", "ARENAL"),
}
BEFORE = 40
AFTER = {"09015": 20, "09007": 30, "09005": 36, "09003": 24, "09014": 28, "09017": 32}
COMPARISON = 50


def _only_cdmx(source, target):
    document = json.loads(source.read_text(encoding="utf-8"))
    document["features"] = [
        f for f in document["features"] if f["properties"]["id"].startswith("09")
    ]
    target.write_text(json.dumps(document), encoding="utf-8")
    return target


def load_cdmx(shared_data, tmp_path) -> None:
    """The real alcaldías of CDMX and their 72 police sectors (over the test territory's)."""
    folder = shared_data / "mx_boundaries_mxmaps"
    import_states(
        path=_only_cdmx(folder / "mx_estados.geojson", tmp_path / "estado.geojson"),
        repair_invalid=True,
    )
    import_municipalities(
        path=_only_cdmx(folder / "mx_municipios.geojson", tmp_path / "alcaldias.geojson"),
        names_path=folder / "municipios_censo2020.csv",
    )
    import_sectors(
        path=shared_data / "cdmx_hoyodecrimen" / "sectores_2016.geojson",
        name_field="sector",
        municipality_field="cve_mun",
    )


def sector(name: str) -> Sector:
    return Sector.objects.get(layer=LAYER, name=name)


def _point(name: str) -> tuple[float, float]:
    point = from_geojson_text(sector(name).geometry).representative_point()
    return point.y, point.x


def _dates(year: int, n: int) -> list[dt.date]:
    start = dt.date(year, 1, 1)
    return [start + dt.timedelta(days=int(i * 365 / n)) for i in range(n)]


def ingest_planted(tmp_path, after=None, *, layer: str = "cdmx-plantado") -> None:
    """Target 40 → ``after`` (2015 → 2016) and comparison 50 → 50 in every alcaldía."""
    from civica.incidents import services

    after = AFTER if after is None else after
    path = tmp_path / f"{layer}.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        n = 0
        for code, (target, comparison) in PAIRS.items():
            for name, counts in (
                (target, {2015: BEFORE, 2016: after[code]}),
                (comparison, {2015: COMPARISON, 2016: COMPARISON}),
            ):
                lat, lon = _point(name)
                for year, count in counts.items():
                    for day in _dates(year, count):
                        writer.writerow([f"e{n}", day.isoformat(), "", CRIME, lat, lon])
                        n += 1
        # The layer's coverage: its first and last day, far from every sector used.
        lat, lon = _point("MILPA ALTA")
        writer.writerow(["first", "2015-01-01", "", "OTRO", lat, lon])
        writer.writerow(["last", "2016-12-31", "", "OTRO", lat, lon])
    services.ingest_incidents(path=path, layer=layer, mapping=MAPPING, sectors_layer=LAYER)


def program(*, actor=SYSTEM, codes=tuple(PAIRS), name="Senderos seguros CDMX"):
    """The intervention in the target sectors of ``codes`` (the first one leads)."""
    return create_intervention(
        actor=actor,
        target_sectors=[sector(PAIRS[code][0]) for code in codes],
        name=name,
        kind=InterventionKind.PROBLEM_SOLVING,
        municipality=Municipality.objects.get(cvegeo=codes[0]),
        target_crimes=[CRIME],
        start_date=dt.date(2016, 1, 1),
    )


def locked_program_design(intervention, *, layer: str = "cdmx-plantado", method="before_after"):
    codes = sorted({s.municipality.cvegeo for s in intervention.target_sectors.all()})
    design = create_design(
        actor=SYSTEM,
        intervention=intervention,
        comparison_sectors=[sector(PAIRS[code][1]) for code in codes],
        source=DataSource.INCIDENTS,
        incident_layer=layer,
        method=method,
        before_start=dt.date(2015, 1, 1),
        before_end=dt.date(2015, 12, 31),
        after_start=dt.date(2016, 1, 1),
        after_end=dt.date(2016, 12, 31),
    )
    return lock_design(design=design, actor=SYSTEM)
