"""The seed's headline from records: problems in seven cities with locked evaluation designs.

``civica demo`` calls :func:`load`. One city is Mexico City, on the **real** CDMX incident
layer (``cdmx-ssp``, hoyodecrimen.com): an illustrative program across three alcaldías whose
result is whatever the data say (it was not a real program). The six others are
**synthetic**, and labelled so (layer ``sintetico-demo-ciudades``, sectors of
``sectores sintéticos (demo)``, names ending in "(demo)"): each gets ten invented squares
near the municipality's centre, counts with a **known effect** on its four target sectors
(``EFFECTS``; exact counts on random days and places), and a before/after design locked
before its result is read. The after windows end in FY2016 (October 2015 – September
2016), so the fact sheet of that year computes "change in priority crime rates in
selected sectors of 7 cities" from these records: the range, each city's interval, the
pooled estimate and Holm's adjustment.

Every problem is accepted with the CHEERS test, carries its response (the intervention,
a situational technique, milestones done) and stands at the assessment stage.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import tempfile
from pathlib import Path

import numpy as np
from django.utils import timezone
from django.utils.translation import gettext as _

from civica.accounts.access import SYSTEM
from civica.problems.catalog import CHEERS_KEYS, Stage

LAYER = "sintetico-demo-ciudades"
SECTORS_LAYER = "sectores sintéticos (demo)"
CRIME = "ROBO A TRANSEUNTE"
BEFORE = (dt.date(2014, 10, 1), dt.date(2015, 9, 30))
AFTER = (dt.date(2015, 10, 1), dt.date(2016, 9, 30))
# Municipality (CVEGEO) → the effect planted in its target sectors (percent change).
EFFECTS = {
    "02004": -6.0,  # Tijuana
    "02002": -69.0,  # Mexicali
    "02001": -35.0,  # Ensenada
    "08037": -20.0,  # Juárez
    "19039": -50.0,  # Monterrey
    "14039": -12.0,  # Guadalajara
}
TARGETS, COMPARISONS = 4, 6
RATE = 200  # incidents per sector and window before the intervention
SIZE = 0.008  # degrees: a sector's side (about 0.8 km)
# Mexico City, on the real layer: an illustrative program in three alcaldías.
CDMX = {
    "layer": "cdmx-ssp",
    "sectors_layer": "SSP sectores 2016",
    "crime": "ROBO A TRANSEUNTE C.V.",
    "targets": ["CORREDOR-CENTRO", "TEZONCO", "PORTALES"],
    "comparison": ["ANGEL-ZONA ROSA", "OASIS", "NAPOLES", "CUAUTEPEC", "UNIVERSIDAD", "ARENAL"],
    # Whole months the real layer covers (it ends on 2016-09-25, so the synthetic cities'
    # windows, to 2016-09-30, would leave days uncounted and the design unevaluable); the
    # after window still ends in FY2016.
    "before": (dt.date(2014, 9, 1), dt.date(2015, 8, 31)),
    "after": (dt.date(2015, 9, 1), dt.date(2016, 8, 31)),
}


def _square(lon: float, lat: float) -> str:
    ring = [[lon, lat], [lon + SIZE, lat], [lon + SIZE, lat + SIZE], [lon, lat + SIZE], [lon, lat]]
    return json.dumps({"type": "Polygon", "coordinates": [ring]})


def _sectors(municipality):
    """Ten invented squares in a row near the municipality's centre (4 targets, a gap of two
    squares, 6 comparison), created once."""
    from civica.territory.geometry import from_geojson_text
    from civica.territory.models import Sector, SectorKind

    existing = list(
        Sector.objects.filter(layer=SECTORS_LAYER, municipality=municipality).order_by("name")
    )
    if existing:
        return existing[:TARGETS], existing[TARGETS:]
    centre = from_geojson_text(municipality.geometry).representative_point()
    sectors = []
    for k in range(TARGETS + COMPARISONS):
        offset = k + (2 if k >= TARGETS else 0)
        lon = centre.x + (offset - 6) * SIZE
        sectors.append(
            Sector.objects.create(
                municipality=municipality,
                layer=SECTORS_LAYER,
                kind=SectorKind.SECTOR,
                name=f"Sector sintético {municipality.cvegeo}-{k + 1:02d} (demo)",
                geometry=_square(lon, centre.y - SIZE / 2),
                area_km2=0.7,
            )
        )
    return sectors[:TARGETS], sectors[TARGETS:]


def _write_layer(path: Path, places: dict, seed: int) -> None:
    """Exactly ``RATE`` incidents per sector and window (targets after: × (1 + effect)), on
    random days and places inside the sector: the planted effect is the layer's own, so an
    estimate differs from it only by rounding and the interval always holds it."""
    from civica.territory.geometry import from_geojson_text

    rng = np.random.default_rng(seed)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["folio", "fecha", "hora", "delito", "lat", "lon"])
        n = 0
        for code, (targets, comparison) in places.items():
            factor = 1 + EFFECTS[code] / 100
            for sector in [*targets, *comparison]:
                factor_after = factor if sector in targets else 1.0
                box = from_geojson_text(sector.geometry).bounds
                for (first, last), mean in ((BEFORE, RATE), (AFTER, RATE * factor_after)):
                    days = (last - first).days + 1
                    for _ in range(round(mean)):
                        day = first + dt.timedelta(days=int(rng.integers(days)))
                        lon = rng.uniform(box[0] + 1e-4, box[2] - 1e-4)
                        lat = rng.uniform(box[1] + 1e-4, box[3] - 1e-4)
                        hour = int(rng.choice(24, p=_HOURS))
                        writer.writerow(
                            [f"d{n}", day.isoformat(), f"{hour:02d}:00", CRIME, lat, lon]
                        )
                        n += 1
            # The layer covers every day of both windows.
            sector = comparison[-1]
            centre = from_geojson_text(sector.geometry).representative_point()
            for day in (BEFORE[0], AFTER[1]):
                writer.writerow([f"d{n}", day.isoformat(), "", "OTRO", centre.y, centre.x])
                n += 1


_HOURS = np.array([1, 1, 1, 1, 1, 1, 2, 3, 4, 4, 4, 5, 5, 5, 5, 5, 6, 7, 8, 8, 7, 5, 3, 2.0])
_HOURS = _HOURS / _HOURS.sum()


def _program(
    *,
    municipality,
    targets,
    comparison,
    layer,
    crime,
    name,
    echo_lines,
    before=BEFORE,
    after=AFTER,
):
    """An intervention with its design locked, and its problem at the assessment stage."""
    from civica.interventions.models import Intervention
    from civica.interventions.services import create_design, create_intervention, lock_design
    from civica.problems import services
    from civica.problems.models import Problem

    if Problem.objects.filter(title=name).exists():
        echo_lines.append(_("%(name)s: already present; kept as it is.") % {"name": name})
        return None
    intervention = Intervention.objects.filter(name=name).first() or create_intervention(
        actor=SYSTEM,
        target_sectors=targets,
        name=name,
        kind="problem_solving",
        municipality=municipality,
        target_crimes=[crime],
        start_date=after[0],
        description=_("Demo: labelled synthetic or illustrative; not a real program."),
    )
    design = intervention.designs.filter(locked_at__isnull=False).first()
    if design is None:
        design = lock_design(
            design=create_design(
                actor=SYSTEM,
                intervention=intervention,
                comparison_sectors=comparison,
                method="before_after",
                source="incidents",
                incident_layer=layer,
                before_start=before[0],
                before_end=before[1],
                after_start=after[0],
                after_end=after[1],
            ),
            actor=SYSTEM,
        )
    problem = services.create_problem(
        actor=SYSTEM,
        title=name,
        municipality=municipality,
        crimes=[crime],
        sectors=targets,
        incident_layer=layer,
        priority="high",
        source="",
        description=_("Demo problem: labelled synthetic or illustrative, not a real one."),
        cheers=dict.fromkeys(CHEERS_KEYS, True),
        cheers_notes=_("Demo."),
    )
    problem.hypotheses = _(
        "Poor lighting and no guardians on the main corridor between 19:00 and 22:00."
    )
    problem.place = _("The corridor between the transit station and the market.")
    response = services.add_response(
        actor=SYSTEM,
        problem=problem,
        intervention=intervention,
        technique="natural_surveillance",
        owner=_("Sector commander (demo)"),
        start_date=after[0],
    )
    start = after[0]
    for label, planned, done in (
        (_("Street lighting repaired"), start, start),
        (
            _("Foot patrols at peak hours"),
            start + dt.timedelta(days=30),
            start + dt.timedelta(days=28),
        ),
    ):
        milestone = services.add_milestone(
            actor=SYSTEM, response=response, name=label, planned_date=planned
        )
        services.complete_milestone(actor=SYSTEM, milestone=milestone, done_date=done)
    problem.stage = Stage.ASSESSMENT
    problem.accepted_at = timezone.now()
    problem.save()
    return design


def load() -> list[str]:
    """The seven cities' problems and locked designs; what was done, as lines to print."""
    from civica.incidents import services as incident_services
    from civica.territory.models import Municipality, Sector

    lines: list[str] = []
    places = {}
    for code in EFFECTS:
        municipality = Municipality.objects.filter(cvegeo=code).with_boundary().first()
        if municipality is None:
            lines.append(
                _("%(code)s has no boundary: its synthetic city is skipped.") % {"code": code}
            )
            continue
        places[code] = (municipality, *_sectors(municipality))
    if places:
        from civica.incidents.selectors import layers

        if LAYER not in [row["layer"] for row in layers(SYSTEM)]:
            with tempfile.TemporaryDirectory() as folder:
                path = Path(folder) / f"{LAYER}.csv"
                _write_layer(path, {c: (t, k) for c, (_m, t, k) in places.items()}, seed=16)
                incident_services.ingest_incidents(
                    path=path,
                    layer=LAYER,
                    mapping={
                        "id": "folio",
                        "date": "fecha",
                        "time": "hora",
                        "crime": "delito",
                        "lat": "lat",
                        "lon": "lon",
                    },
                    sectors_layer=SECTORS_LAYER,
                )
        for code, (municipality, targets, comparison) in places.items():
            name = _("Safe corridors %(city)s (demo, synthetic: %(effect)s%% planted)") % {
                "city": municipality.name,
                "effect": f"{EFFECTS[code]:+.0f}",
            }
            if _program(
                municipality=municipality,
                targets=targets,
                comparison=comparison,
                layer=LAYER,
                crime=CRIME,
                name=name,
                echo_lines=lines,
            ):
                lines.append(_("%(name)s: design locked.") % {"name": name})
    targets = list(
        Sector.objects.filter(layer=CDMX["sectors_layer"], name__in=CDMX["targets"])
        .select_related("municipality")
        .order_by("municipality__cvegeo")
    )
    comparison = list(
        Sector.objects.filter(layer=CDMX["sectors_layer"], name__in=CDMX["comparison"])
    )
    from civica.incidents.selectors import layers

    if len(targets) == len(CDMX["targets"]) and CDMX["layer"] in [
        r["layer"] for r in layers(SYSTEM)
    ]:
        name = _("Safe corridors Mexico City, three alcaldías (demo, illustrative, real incidents)")
        if _program(
            municipality=targets[0].municipality,
            targets=targets,
            comparison=comparison,
            layer=CDMX["layer"],
            crime=CDMX["crime"],
            name=name,
            echo_lines=lines,
            before=CDMX["before"],
            after=CDMX["after"],
        ):
            lines.append(_("%(name)s: design locked.") % {"name": name})
    else:
        lines.append(_("No CDMX sectors or incidents: the Mexico City program is skipped."))
    return lines
