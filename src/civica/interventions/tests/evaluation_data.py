"""An incident layer in the synthetic territory whose evaluation can be done by hand.

Sector A1 (lon −102.40…−102.35, lat 21.80…21.85) is the target; Sector B2 (lon −102.25…−102.20)
the comparison, 10 km away. Buffer incidents sit at lon −102.347, about 310 m east of A1, inside
a 500 m ring. Windows: 2014 before, 2015 after; 2013 is the window before the baseline.

With the default counts: RIRR = (30/60)/(100/100) = 0.5, SE(log) = √(1/30+1/60+1/100+1/100)
= √0.07 = 0.264575, so the 95% CI is 0.5·exp(±1.959964·0.264575) = 0.29766 to 0.83987, a fall
of 50% (16% to 70%). Buffer 20 → 25: displacement +5 with SE √45, not significant.
"""

from __future__ import annotations

import csv
import datetime as dt

from civica.accounts.access import SYSTEM
from civica.incidents.tests.conftest import HEADER, MAPPING
from civica.interventions.models import DataSource, InterventionKind
from civica.interventions.services import create_design, create_intervention, lock_design
from civica.territory.models import Municipality, Sector

CRIME = "ROBO A TRANSEUNTE"
TARGET = (21.825, -102.375)
COMPARISON = (21.825, -102.225)
BUFFER = (21.825, -102.347)
SECOND_TARGET = (21.925, -102.375)  # Sector C1 of Municipio Sintético C (99003)
PLACES = {
    "target": TARGET,
    "comparison": COMPARISON,  # Sector B2
    "buffer": BUFFER,
    "comparison B4": (21.875, -102.225),
    "comparison C1": (21.925, -102.375),
    "A3": (21.875, -102.375),  # Sector A3, target of a later intervention in panel tests
    "second_target": SECOND_TARGET,
}


def spread(year: int, n: int) -> list[dt.date]:
    """``n`` dates spread over the calendar year."""
    start = dt.date(year, 1, 1)
    return [start + dt.timedelta(days=int(i * 365 / max(n, 1))) for i in range(n)]


def write_layer(path, counts: dict[tuple[str, int], int], *, crime: str = CRIME) -> None:
    """``counts`` maps (area, year) to a number of incidents; areas as the constants above."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        n = 0
        for (area, year), count in counts.items():
            lat, lon = PLACES[area]
            for day in spread(year, count):
                writer.writerow([f"e{n}", day.isoformat(), "", crime, lat, lon])
                n += 1
        # The layer's coverage: first and last day, far from every area.
        writer.writerow(["first", "2013-01-01", "", "OTRO", 21.95, -102.25])
        writer.writerow(["last", "2015-12-31", "", "OTRO", 21.95, -102.25])


DEFAULT_COUNTS = {
    ("target", 2013): 55,
    ("target", 2014): 60,
    ("target", 2015): 30,
    ("comparison", 2014): 100,
    ("comparison", 2015): 100,
    ("buffer", 2014): 20,
    ("buffer", 2015): 25,
}


def ingest(tmp_path, counts=None, *, layer: str = "sintetico") -> None:
    from civica.incidents import services

    path = tmp_path / f"{layer}.csv"
    write_layer(path, DEFAULT_COUNTS if counts is None else counts)
    services.ingest_incidents(
        path=path, layer=layer, mapping=MAPPING, sectors_layer="sectores sintéticos"
    )


def sector(name: str) -> Sector:
    return Sector.objects.get(layer="sectores sintéticos", name=name)


def locked_design(
    *,
    comparison=("Sector B2",),
    buffer_metres=500,
    crimes=(CRIME,),
    method="before_after",
    target="Sector A1",
    municipality="99001",
    name="Senderos seguros",
    **window,
):
    intervention = create_intervention(
        actor=SYSTEM,
        target_sectors=[sector(target)],
        name=name,
        kind=InterventionKind.ENVIRONMENTAL_DESIGN,
        municipality=Municipality.objects.get(cvegeo=municipality),
        target_crimes=list(crimes),
        start_date=dt.date(2015, 1, 1),
    )
    fields = {
        "before_start": dt.date(2014, 1, 1),
        "before_end": dt.date(2014, 12, 31),
        "after_start": dt.date(2015, 1, 1),
        "after_end": dt.date(2015, 12, 31),
    } | window
    design = create_design(
        actor=SYSTEM,
        intervention=intervention,
        comparison_sectors=[sector(n) for n in comparison],
        source=DataSource.INCIDENTS,
        incident_layer="sintetico",
        buffer_metres=buffer_metres,
        method=method,
        **fields,
    )
    return lock_design(design=design, actor=SYSTEM)


# The panel layer: two more comparison sectors (B4, C1) and Sector A3, the target of a later
# intervention of the same municipality (a second cohort).
PANEL_COUNTS = DEFAULT_COUNTS | {
    ("comparison B4", 2014): 80,
    ("comparison B4", 2015): 70,
    ("comparison C1", 2014): 50,
    ("comparison C1", 2015): 55,
    ("A3", 2014): 40,
    ("A3", 2015): 30,
}
PANEL_COMPARISON = ("Sector B2", "Sector B4", "Sector C1")


def load_panel_layer(settings, tmp_path):
    """The synthetic territory with the panel layer ingested; returns ``tmp_path``."""
    from civica.demo import synthetic

    settings.CIVICA_WAREHOUSE_DIR = str(tmp_path / "warehouse")
    synthetic.load()
    ingest(tmp_path, PANEL_COUNTS)
    return tmp_path


def later_intervention(*, start=dt.date(2015, 6, 20), ramp_up_days: int = 5):
    """Alumbrado in Sector A3: a later start on the same crime (a second cohort)."""
    return create_intervention(
        actor=SYSTEM,
        target_sectors=[sector("Sector A3")],
        name="Alumbrado",
        kind=InterventionKind.ENVIRONMENTAL_DESIGN,
        municipality=Municipality.objects.get(cvegeo="99001"),
        target_crimes=[CRIME],
        start_date=start,
        ramp_up_days=ramp_up_days,
    )


def locked_panel_design(**overrides):
    """A locked panel design of Sector A1 against the three panel comparison sectors."""
    from civica.interventions.models import Method

    fields = {"comparison": PANEL_COMPARISON, "buffer_metres": None, "method": Method.PANEL}
    return locked_design(**(fields | overrides))
