"""Reads of incidents on behalf of a user.

Incidents are records of the municipalities that produced them: a user sees only the
incidents placed in a municipality of their scope, in every page, export and analysis.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
from django.utils.translation import gettext as _

from civica.accounts import access, scope
from civica.accounts.roles import Capability
from civica.core.services import warehouse
from civica.errors import DataQuestionError
from civica.territory.models import Municipality, Sector
from civica.warehouse import incidents as warehouse_incidents
from civica.warehouse.incidents import COLUMNS, dataset_name
from civica.warehouse.store import Snapshot


class IncidentsError(DataQuestionError):
    """A question the incident data cannot answer, in the user's language."""


@dataclass(frozen=True)
class Selection:
    layer: str
    crime: str | None = None
    start: date | None = None
    end: date | None = None
    municipality: str | None = None
    version: str | None = None


def layers(user) -> list[dict]:
    """Incident datasets in the warehouse, with their current version."""
    _check(user)
    manifest = warehouse().manifest()
    rows = []
    for dataset in manifest.datasets():
        if dataset.startswith("incidents-"):
            current = manifest.current(dataset)
            rows.append(
                {
                    "layer": dataset.removeprefix("incidents-"),
                    "version": current.cut,
                    "rows": current.rows,
                    "source": current.source_name,
                }
            )
    return rows


def _check(user) -> None:
    access.check(user, Capability.VIEW_RECORDS)


def snapshot(user, selection: Selection) -> Snapshot:
    _check(user)
    manifest = warehouse().manifest()
    found = manifest.snapshot(dataset_name(selection.layer), selection.version)
    if found is None:
        raise IncidentsError(
            _(
                "No incidents have been loaded in layer “%(layer)s”; an administrator of the "
                "installation loads incident files."
            )
            % {"layer": selection.layer}
        )
    return found


def _allowed_codes(user, selection: Selection) -> list[str] | None:
    ids = scope.municipality_ids(user)
    codes = None
    if ids is not None:
        codes = list(Municipality.objects.filter(id__in=ids).values_list("cvegeo", flat=True))
    if selection.municipality:
        if codes is not None and selection.municipality not in codes:
            return []
        codes = [selection.municipality]
    return codes


def incidents(user, selection: Selection, *, columns=COLUMNS) -> pd.DataFrame:
    """The incidents of the selection inside the user's scope."""
    snap = snapshot(user, selection)
    return warehouse_incidents.select(
        warehouse().path_of(snap),
        columns=columns,
        municipality_codes=_allowed_codes(user, selection),
        crime=selection.crime,
        start=selection.start,
        end=selection.end,
    )


def layer_municipalities(user, selection: Selection) -> list[str]:
    """Codes of the municipalities the layer's incidents were placed in, within the user's
    scope (only the selection's municipality when it names one), whatever the crime and dates:
    the study area of a grid analysis."""
    snap = snapshot(user, selection)
    return warehouse_incidents.municipalities(
        warehouse().path_of(snap), municipality_codes=_allowed_codes(user, selection)
    )


def municipality_boundaries(user, codes) -> list[tuple[str, str, str]]:
    """``(cvegeo, name, GeoJSON geometry)`` of the municipalities among ``codes`` that are in
    the user's scope and have a boundary: the map's basemap."""
    _check(user)
    allowed = scope.municipality_ids(user)
    rows = Municipality.objects.filter(cvegeo__in=list(codes)).with_boundary()
    if allowed is not None:
        rows = rows.filter(id__in=allowed)
    return list(rows.values_list("cvegeo", "name", "geometry"))


def crimes(user, selection: Selection) -> list[tuple[str, int]]:
    frame = incidents(
        user,
        Selection(selection.layer, municipality=selection.municipality, version=selection.version),
        columns=("crime",),
    )
    counts = frame["crime"].value_counts()
    return list(zip(counts.index, counts.astype(int), strict=True))


def sector_rates(user, selection: Selection, *, kind_column: str = "sector") -> pd.DataFrame:
    """Incidents per sector (or cuadrante): count, per km² and per 1,000 residents a year."""
    frame = incidents(user, selection, columns=("date", f"{kind_column}_id"))
    counts = frame.groupby(f"{kind_column}_id").size()
    sectors = Sector.objects.filter(id__in=[int(i) for i in counts.index])
    days = _days(selection, frame)
    rows = []
    for sector in sectors:
        count = int(counts.get(sector.id, 0))
        years = days / 365.25 if days else float("nan")
        rows.append(
            {
                "sector_id": sector.id,
                "name": sector.name,
                "count": count,
                "per_km2": count / sector.area_km2 if sector.area_km2 else float("nan"),
                "per_1000_residents_year": (
                    count / years / sector.population * 1000
                    if sector.population and days
                    else float("nan")
                ),
            }
        )
    columns = ["sector_id", "name", "count", "per_km2", "per_1000_residents_year"]
    return pd.DataFrame(rows, columns=columns).sort_values(
        "count", ascending=False, ignore_index=True
    )


def _days(selection: Selection, frame: pd.DataFrame) -> int:
    if frame.empty:
        return 0
    start = selection.start or frame["date"].min()
    end = selection.end or frame["date"].max()
    return (pd.Timestamp(end) - pd.Timestamp(start)).days + 1
