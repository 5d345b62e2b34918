"""Hot spots, concentration and near repeat for a selection of incidents.

The algorithms are in :mod:`civica.stats`; this module chooses the incidents (within the
user's scope, through :mod:`civica.incidents.selectors`), lays the grid and turns results
into tables and GeoJSON.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from pyproj import Transformer

from civica.incidents.selectors import IncidentsError, Selection, incidents
from civica.incidents.study_area import StudyArea, study_area
from civica.messages import note_text
from civica.stats import concentration, gi_star_grid, kde_surface, knox
from civica.tables import csv_value, frame_csv
from civica.territory.models import Sector
from civica.warehouse.incidents import CRS


def _explained(func):
    """The algorithms refuse impossible requests (too many cells or pairs, bands that do not
    increase) with ValueError before any work; to the user that is an answer, not a crash."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except IncidentsError:
            raise
        except ValueError as error:
            raise IncidentsError(str(error)) from error

    return wrapper


#: Decimals of the map's coordinates: 1e-5° is about 1 m in Mexico, a cell 50 m or more.
MAP_DECIMALS = 5


@lru_cache(maxsize=1)
def _to_lonlat() -> Transformer:
    return Transformer.from_crs(CRS, "EPSG:4326", always_xy=True)


def _points(user, selection: Selection) -> pd.DataFrame:
    frame = incidents(
        user, selection, columns=("id", "date", "x", "y", "cuadrante_id", "sector_id")
    )
    frame = frame.dropna(subset=["x", "y"])
    if frame.empty:
        raise IncidentsError(_("No incidents match this selection in your scope."))
    return frame


@dataclass(frozen=True)
class HotSpotAnalysis:
    """Gi* over the cells of the study area (the municipalities in scope).

    ``cells`` has one row per cell of the study area, indexed by the grid's flat cell index:
    bounds, count, z, p, q, significant, class (and density with a bandwidth). A cell is
    significant at ``alpha`` after the correction named by ``correction`` — the level every
    count, export and map of this analysis uses.
    """

    selection: Selection
    cell_size: float
    cells: pd.DataFrame
    n_incidents: int
    permutations: int
    seed: int | None
    notes: tuple[str, ...]
    alpha: float = 0.05
    correction: str = "benjamini_hochberg"

    @property
    def hot(self) -> int:
        """Significant hot cells (at ``alpha``, after the correction)."""
        return int((self.cells["significant"] & (self.cells["z"] > 0)).sum())

    @property
    def cold(self) -> int:
        """Significant cold cells (at ``alpha``, after the correction)."""
        return int((self.cells["significant"] & (self.cells["z"] < 0)).sum())

    @property
    def level(self) -> str:
        """The significance level in words: "FDR 5%" or "p ≤ 0.05, not corrected"."""
        if self.correction == "none":
            return _("p ≤ %(alpha)g, not corrected") % {"alpha": self.alpha}
        return _("FDR %(percent)g%%") % {"percent": self.alpha * 100}

    def significant_cells(self) -> pd.DataFrame:
        """The significant cells only, hot and cold, with or without incidents (for the map)."""
        return self.cells[self.cells["significant"]]

    def exported(self) -> pd.DataFrame:
        """What files hold: every cell with incidents and every significant cell, including
        significant cells with no incident of their own (a cold spot, or the ring around a
        hot spot)."""
        return self.cells[(self.cells["count"] > 0) | self.cells["significant"]]

    def csv(self) -> str:
        return frame_csv(self.exported())

    def map_cells(self) -> dict:
        """What the map draws, and nothing more: the significant cells (hot and cold) as
        their centres, and the size of a cell, for the map's script to draw each as a
        square (``civica/incident_map.js``). Every cell of a regular grid is a square of the
        same size: five corners of full precision and the same properties repeated in every
        feature made a layer of 50 m cells weigh 9.5 MB for a city-wide crime.

        Columns, one value per cell: ``lon``/``lat`` in units of ``1 / scale`` degrees
        (:data:`MAP_DECIMALS` decimals, about 1 m), each after the first as the difference
        from the previous cell; ``class``, ``z`` (two decimals) and ``count``. ``half`` is
        half a cell in degrees of longitude and latitude at the middle of the cells. The
        files keep every cell with every column (:meth:`geojson`, :meth:`csv`)."""
        cells = self.significant_cells()
        cx = (cells["x_min"].to_numpy(dtype=float) + cells["x_max"].to_numpy(dtype=float)) / 2
        cy = (cells["y_min"].to_numpy(dtype=float) + cells["y_max"].to_numpy(dtype=float)) / 2
        scale = 10**MAP_DECIMALS
        transform = _to_lonlat()
        lon, lat = (np.asarray(v, dtype=float) for v in transform.transform(cx, cy))
        lon_units = np.rint(lon * scale).astype(np.int64)
        lat_units = np.rint(lat * scale).astype(np.int64)
        half = [0.0, 0.0]
        if len(cells):
            # Half a cell in degrees where the cells are (the grid is in metres).
            mx, my, h = float(np.median(cx)), float(np.median(cy)), self.cell_size / 2
            (west, east), _lat = transform.transform([mx - h, mx + h], [my, my])
            _lon, (south, north) = transform.transform([mx, mx], [my - h, my + h])
            half = [round((east - west) / 2, 8), round((north - south) / 2, 8)]
        return {
            "type": "CellGrid",
            "scale": scale,
            "half": half,
            "lon": np.diff(lon_units, prepend=0).tolist(),
            "lat": np.diff(lat_units, prepend=0).tolist(),
            "class": cells["class"].astype(int).tolist(),
            "z": np.round(cells["z"].to_numpy(dtype=float), 2).tolist(),
            "count": cells["count"].astype(int).tolist(),
            "properties": {
                "cell_size_m": self.cell_size,
                "significance": self.level,
                "study_area_cells": len(self.cells),
                "notes": list(self.notes),
            },
        }

    def geojson(self, *, only_significant: bool = False) -> str:
        cells = self.significant_cells() if only_significant else self.exported()
        transform = _to_lonlat()
        features = []
        for cell, row in zip(cells.index, cells.to_dict("records"), strict=True):
            xs = [row["x_min"], row["x_max"], row["x_max"], row["x_min"], row["x_min"]]
            ys = [row["y_min"], row["y_min"], row["y_max"], row["y_max"], row["y_min"]]
            lon, lat = transform.transform(xs, ys)
            ring = [[round(a, 6), round(b, 6)] for a, b in zip(lon, lat, strict=True)]
            properties = {"cell": int(cell)} | {
                k: csv_value(v) if isinstance(v, float) else v
                for k, v in row.items()
                if k not in {"x_min", "y_min", "x_max", "y_max"}
            }
            properties["significant"] = bool(row["significant"])
            features.append(
                {
                    "type": "Feature",
                    "properties": properties,
                    "geometry": {"type": "Polygon", "coordinates": [ring]},
                }
            )
        return json.dumps(
            {
                "type": "FeatureCollection",
                "features": features,
                "properties": {
                    "cell_size_m": self.cell_size,
                    "significance": self.level,
                    "study_area_cells": len(self.cells),
                    "notes": list(self.notes),
                },
            }
        )


def _area(user, selection: Selection, frame: pd.DataFrame, cell_size: float) -> StudyArea:
    return study_area(
        user, selection, frame["x"].to_numpy(), frame["y"].to_numpy(), cell_size=cell_size
    )


@_explained
def hotspots(
    user,
    selection: Selection,
    *,
    cell_size: float = 250,
    permutations: int = 0,
    seed: int | None = None,
    fdr: bool = True,
    bandwidth: float | None = None,
    progress=None,
) -> HotSpotAnalysis:
    """Gi* hot spots on a grid of ``cell_size`` metres over the municipalities in scope
    (FDR-controlled at 5%), with a KDE surface when a ``bandwidth`` is given;
    ``progress(done, total)`` hears of the cells whose permutations are done."""
    frame = _points(user, selection)
    x, y = frame["x"].to_numpy(), frame["y"].to_numpy()
    area = _area(user, selection, frame, cell_size)
    result = gi_star_grid(
        area.grid.counts,
        mask=area.mask,
        fdr=fdr,
        permutations=permutations,
        seed=seed,
        progress=progress,
    )
    inside = area.cells
    cells = area.grid.cells(inside)
    cells["z"] = np.asarray(result.z).ravel()[inside]
    cells["p"] = np.asarray(result.p).ravel()[inside]
    cells["q"] = np.asarray(result.q).ravel()[inside] if result.q is not None else np.nan
    cells["significant"] = np.asarray(result.significant).ravel()[inside]
    cells["class"] = np.asarray(result.classes).ravel()[inside].astype(int)
    notes = [*area.notes, *(note_text(note) for note in result.notes)]
    if bandwidth:
        surface = kde_surface(x, y, grid=area.grid, bandwidth=bandwidth)
        cells["density_per_km2"] = surface.density.ravel()[inside]
        notes += [note_text(note) for note in surface.warnings]
    return HotSpotAnalysis(
        selection,
        cell_size,
        cells,
        len(frame) - area.outside(x, y),
        permutations,
        seed,
        tuple(notes),
        alpha=result.alpha,
        correction=result.correction,
    )


@_explained
def concentration_of(user, selection: Selection, *, unit: str = "cell", cell_size: float = 250):
    """Concentration of the selection over grid cells, sectors or cuadrantes.

    Units with no incident count as zeros: for sectors and cuadrantes, every polygon of the
    layer in the municipalities the incidents fall in; for cells, every cell of the grid.
    """
    frame = _points(user, selection)
    if unit == "cell":
        area = _area(user, selection, frame, cell_size)
        counts = np.asarray(area.grid.counts).ravel()[area.cells]
    else:
        column = f"{unit}_id"
        observed = frame[column].dropna().astype(int).value_counts()
        if observed.empty:
            raise IncidentsError(
                _("These incidents were not placed in %(unit)s polygons.") % {"unit": unit}
            )
        layer = Sector.objects.filter(id=int(observed.index[0])).values_list("layer", flat=True)[0]
        municipalities = Sector.objects.filter(id__in=list(observed.index)).values_list(
            "municipality_id", flat=True
        )
        ids = Sector.objects.filter(
            layer=layer, municipality_id__in=set(municipalities)
        ).values_list("id", flat=True)
        counts = np.array([int(observed.get(i, 0)) for i in ids])
    return concentration(counts)


@_explained
def near_repeat(
    user,
    selection: Selection,
    *,
    distance_bands=(0, 1, 200, 400, 600, 800, 1000),
    time_bands=(0, 7, 14, 21, 28, 35, 42, 49, 56),
    permutations: int = 999,
    seed: int = 0,
    progress=None,
):
    """Knox near-repeat table for the selection (distances in metres, times in days);
    ``progress(done, total)`` hears of the permutations counted."""
    frame = _points(user, selection)
    days = (pd.to_datetime(frame["date"]) - pd.Timestamp("1970-01-01")).dt.days.to_numpy()
    return knox(
        frame["x"].to_numpy(),
        frame["y"].to_numpy(),
        days,
        distance_bands=distance_bands,
        time_bands=time_bands,
        permutations=permutations,
        seed=seed,
        progress=progress,
    )


def near_repeat_chance(result, alpha: float = 0.05) -> str:
    """How many cells of a Knox table pass by chance, beside how many passed, in words: the
    warning that goes with every table of many tests."""
    return _(
        "%(tests)d cells tested: with no near-repeat pattern at all, about %(expected)s "
        "would show p ≤ %(alpha)g by chance alone. %(raw)d show it; %(bh)d remain after "
        "the Benjamini–Hochberg correction across the table (q ≤ %(alpha)g). Cells where "
        "no pair falls have no test (—)."
    ) % {
        "tests": result.n_tests,
        "expected": number_format(result.expected_by_chance(alpha), 1),
        "alpha": alpha,
        "raw": int(result.significant(alpha).sum()),
        "bh": int(result.significant(alpha, adjust="bh").sum()),
    }


def _sector_units(frame: pd.DataFrame, unit: str):
    """Every polygon of the layer the incidents were placed in, within their municipalities."""
    observed = frame[f"{unit}_id"].dropna().astype(int).value_counts()
    if observed.empty:
        raise IncidentsError(
            _("These incidents were not placed in %(unit)s polygons.") % {"unit": unit}
        )
    placed = Sector.objects.filter(id__in=[int(i) for i in observed.index])
    layer = placed.values_list("layer", flat=True).first()
    municipalities = set(placed.values_list("municipality_id", flat=True))
    sectors = list(
        Sector.objects.filter(layer=layer, municipality_id__in=municipalities).order_by("id")
    )
    counts = np.array([int(observed.get(s.id, 0)) for s in sectors], dtype=float)
    return sectors, counts


@_explained
def sector_hotspots(user, selection: Selection, *, unit: str = "sector") -> pd.DataFrame:
    """Gi* over police sectors (or cuadrantes): neighbours are polygons that touch (queen)."""
    import shapely

    from civica.stats import gi_star
    from civica.territory.geometry import from_geojson_text

    frame = _points(user, selection)
    sectors, counts = _sector_units(frame, unit)
    polygons = [from_geojson_text(s.geometry) for s in sectors]
    tree = shapely.STRtree(polygons)
    left, right = tree.query(polygons, predicate="intersects")
    neighbours = {i: [] for i in range(len(sectors))}
    for i, j in zip(left.tolist(), right.tolist(), strict=True):
        neighbours[i].append(j)
    result = gi_star(counts, neighbours)
    return pd.DataFrame(
        {
            "sector_id": [s.id for s in sectors],
            "name": [s.name for s in sectors],
            "count": counts.astype(int),
            "z": np.asarray(result.z),
            "p": np.asarray(result.p),
            "q": np.asarray(result.q) if result.q is not None else np.nan,
            "significant": np.asarray(result.significant),
            "class": np.asarray(result.classes),
        }
    )


@_explained
def hotspot_trends(user, selection: Selection, *, cell_size: float = 250) -> pd.DataFrame:
    """Each cell's hot-spot history across the calendar years of the selection:
    new, intensifying, persistent, diminishing, sporadic, historical or none."""
    from civica.stats import emerging_hot_spots

    frame = _points(user, selection)
    x, y = frame["x"].to_numpy(), frame["y"].to_numpy()
    area = _area(user, selection, frame, cell_size)
    years = pd.to_datetime(frame["date"]).dt.year.to_numpy()
    periods = sorted(set(years.tolist()))
    if len(periods) < 2:
        raise IncidentsError(_("Trends need incidents in at least two calendar years."))
    results = [
        gi_star_grid(area.grid.count(x[years == year], y[years == year]), mask=area.mask)
        for year in periods
    ]
    trends = emerging_hot_spots(results)
    inside = area.cells
    cells = area.grid.cells(inside)
    cells["trend"] = np.asarray(trends.category).ravel()[inside]
    cells["years_hot"] = np.asarray(trends.hot_periods).ravel()[inside]
    return cells


def _monthly_by_crime(frame: pd.DataFrame, *, crimes, months) -> pd.DataFrame:
    """Counts by crime and month, with an explicit zero for every crime and month of the span:
    the layer covers its whole period, so a month without incidents is a zero, not a gap."""
    dates = pd.to_datetime(frame["date"])
    counted = (
        pd.DataFrame({"crime": frame["crime"], "year": dates.dt.year, "month": dates.dt.month})
        .value_counts()
        .rename("count")
        .reset_index()
    )
    full = pd.DataFrame(
        [(c, m.year, m.month) for c in crimes for m in months], columns=["crime", "year", "month"]
    )
    return full.merge(counted, how="left", on=["crime", "year", "month"]).fillna({"count": 0})


@_explained
def sector_priority(user, selection: Selection, *, sector_name: str, layer_kind: str = "sector"):
    """Priority crimes of one sector against its municipality (needs the sector's population)."""
    from civica.incidents.selectors import snapshot
    from civica.stats import priority_crimes

    layer = snapshot(user, selection).metadata.get(f"{layer_kind}s_layer")
    sector = (
        Sector.objects.filter(name=sector_name, layer=layer).select_related("municipality").first()
    )
    if sector is None:
        raise IncidentsError(
            _("No %(kind)s named “%(name)s”.") % {"kind": layer_kind, "name": sector_name}
        )
    if not sector.population:
        raise IncidentsError(
            _(
                "“%(name)s” has no population, so its rates cannot be compared: import its layer "
                "with civica territory import-sectors --population-field FIELD."
            )
            % {"name": sector_name}
        )
    municipality = Selection(
        selection.layer,
        None,
        selection.start,
        selection.end,
        sector.municipality.cvegeo,
        selection.version,
    )
    frame = incidents(user, municipality, columns=("date", "crime", f"{layer_kind}_id"))
    if frame.empty:
        raise IncidentsError(_("No incidents match this selection in your scope."))
    own = frame[frame[f"{layer_kind}_id"] == sector.id]
    population = (
        sector.municipality.population.order_by("-year").values_list("total", flat=True).first()
    )
    if not population:
        raise IncidentsError(_("The municipality has no CONAPO population."))
    dates = pd.to_datetime(frame["date"])
    span = {
        "crimes": sorted(frame["crime"].unique()),
        "months": pd.period_range(dates.min(), dates.max(), freq="M"),
    }
    return priority_crimes(
        _monthly_by_crime(own, **span),
        _monthly_by_crime(frame, **span),
        area_population=sector.population,
        state_population=population,
        area_noun=_("sector"),
    ), sector
