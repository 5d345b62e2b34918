"""Interventions and designs whose dates can be checked by hand.

The intervention starts on 2023-09-15 with 60 ramp-up days (full strength on 2023-11-14); the
design compares March–August 2023 with March–August 2024.
"""

from __future__ import annotations

import datetime as dt

from civica.interventions.models import (
    DataSource,
    EvaluationDesign,
    Intervention,
    InterventionKind,
)
from civica.territory.models import Sector, SectorKind
from civica.territory.tests.factories import square


def intervention_fields(territory, **overrides) -> dict:
    fields = {
        "name": "Juzgado cívico itinerante",
        "kind": InterventionKind.CIVIC_JUSTICE,
        "municipality": territory.cuauhtemoc,
        "target_crimes": ["ROBO A TRANSEUNTE"],
        "start_date": dt.date(2023, 9, 15),
        "ramp_up_days": 60,
    }
    return fields | overrides


def make_intervention(territory, *, sectors=None, **overrides) -> Intervention:
    intervention = Intervention.objects.create(**intervention_fields(territory, **overrides))
    intervention.target_sectors.set([territory.sectors["09015"]] if sectors is None else sectors)
    return intervention


def make_comparison_sector(territory, name: str = "Sector Cuauhtémoc Norte") -> Sector:
    return Sector.objects.create(
        municipality=territory.cuauhtemoc,
        layer="sectores",
        kind=SectorKind.SECTOR,
        name=name,
        geometry=square(-99.13, 19.46),  # about 2 km from the target: apart from its ring
    )


def design_fields(**overrides) -> dict:
    fields = {
        "source": DataSource.INCIDENTS,
        "incident_layer": "cdmx",
        "before_start": dt.date(2023, 3, 1),
        "before_end": dt.date(2023, 8, 31),
        "after_start": dt.date(2024, 3, 1),
        "after_end": dt.date(2024, 8, 31),
        "buffer_metres": 250,
    }
    return fields | overrides


def make_design(intervention, **overrides) -> EvaluationDesign:
    return EvaluationDesign.objects.create(intervention=intervention, **design_fields(**overrides))


def error_codes(exc) -> dict[str, list[str]]:
    """The codes of a ValidationError by field, to assert on rules and not on wording."""
    return {field: [e.code for e in errors] for field, errors in exc.error_dict.items()}
