"""What the incident scanning sources share (:class:`ScanData`): the layer, the user's
municipalities, the periods, and the counts by sector × crime × quarter read in one DuckDB
pass. Built by :func:`.scanning.scan` on the first scan (pandas, DuckDB and pyproj through
the incident selectors)."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from types import SimpleNamespace

import numpy as np
import pandas as pd

from civica.incidents import selectors as incident_selectors
from civica.territory.models import Sector

__all__ = ["ScanData", "add_quarters", "quarter_start"]


def quarter_start(day: dt.date) -> dt.date:
    return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def add_quarters(day: dt.date, n: int) -> dt.date:
    months = day.year * 12 + day.month - 1 + 3 * n
    return dt.date(months // 12, months % 12 + 1, 1)


@dataclass
class ScanData:
    """What the incident sources share: the layer, the user's municipalities, the periods,
    and the counts by sector × crime × quarter (read once, on first use)."""

    user: object
    layer: str
    end: dt.date | None = None  # the last day to read; the layer's last full quarter if None
    periods: int = 4  # quarters a hot spot is looked for in
    min_periods: int = 3  # ... and must be hot in
    top_crimes: int = 8  # the most frequent crimes of the recent year are scanned
    baseline_quarters: int = 12

    def __post_init__(self):
        selection = incident_selectors.Selection(self.layer)
        self.snapshot = incident_selectors.snapshot(self.user, selection)
        self.path = incident_selectors.warehouse().path_of(self.snapshot)
        self.codes = incident_selectors._allowed_codes(self.user, selection)
        self.sectors_layer = self.snapshot.metadata.get("sectors_layer")
        from civica.warehouse.incidents import dates_and_months

        first, last, _months = dates_and_months(self.path)
        self.first = first
        if self.end is None:
            self.end = last
        # The last whole quarter up to ``end``.
        self.last_quarter = quarter_start(self.end)
        if add_quarters(self.last_quarter, 1) - dt.timedelta(days=1) != self.end:
            self.last_quarter = add_quarters(self.last_quarter, -1)
        self.end = add_quarters(self.last_quarter, 1) - dt.timedelta(days=1)
        self.quarters = [
            add_quarters(self.last_quarter, -i) for i in range(self.periods - 1, -1, -1)
        ]
        self.start = add_quarters(self.last_quarter, -(self.baseline_quarters + 3))

    def parameters(self) -> dict:
        return {
            "layer": self.layer,
            "version": self.snapshot.cut,
            "end": self.end.isoformat(),
            "periods": self.periods,
            "min_periods": self.min_periods,
            "top_crimes": self.top_crimes,
        }

    @functools.cached_property
    def counts(self) -> pd.DataFrame:
        """sector_id, crime, period (quarter start), count: one DuckDB pass."""
        from civica.warehouse.incidents import counts_by_sector

        frame = counts_by_sector(
            self.path, municipality_codes=self.codes, start=self.start, end=self.end
        )
        frame["sector_id"] = frame["sector_id"].astype(int)
        return frame

    @functools.cached_property
    def sectors(self) -> list[SimpleNamespace]:
        """The sectors of the layer's sector polygons in the user's municipalities, as light
        rows (``pk``, ``name``, ``municipality.cvegeo``/``.name``): geometries are read once,
        for the adjacency."""
        queryset = Sector.objects.filter(layer=self.sectors_layer)
        if self.codes is not None:
            queryset = queryset.filter(municipality__cvegeo__in=self.codes)
        places: dict[str, SimpleNamespace] = {}
        rows = []
        for pk, name, code, place in queryset.order_by("id").values_list(
            "id", "name", "municipality__cvegeo", "municipality__name"
        ):
            municipality = places.setdefault(code, SimpleNamespace(cvegeo=code, name=place))
            rows.append(SimpleNamespace(pk=pk, name=name, municipality=municipality))
        return rows

    @functools.cached_property
    def neighbours(self):
        """Queen adjacency of :attr:`sectors` as a sparse matrix (itself included)."""
        return _adjacency(tuple(s.pk for s in self.sectors), self.sectors_layer)

    @functools.cached_property
    def _cube(self) -> tuple[list[str], dict[dt.date, int], np.ndarray]:
        """The counts as a dense crimes × sectors × quarters array (zeros where nothing
        happened), with the crimes' names and each quarter's column."""
        frame = self.counts
        quarters = []
        day = self.start
        while day <= self.last_quarter:
            quarters.append(day)
            day = add_quarters(day, 1)
        column = {q: j for j, q in enumerate(quarters)}
        codes, crimes = pd.factorize(frame["crime"])
        index = {s.pk: i for i, s in enumerate(self.sectors)}
        rows = frame["sector_id"].map(index).to_numpy(dtype=float)
        periods = pd.to_datetime(frame["period"])
        first = self.start.year * 4 + (self.start.month - 1) // 3
        cols = (periods.dt.year * 4 + (periods.dt.month - 1) // 3 - first).to_numpy()
        keep = ~np.isnan(rows) & (cols >= 0) & (cols < len(quarters))
        cube = np.zeros((len(crimes), len(self.sectors), len(quarters)))
        np.add.at(
            cube,
            (codes[keep], rows[keep].astype(int), cols[keep]),
            frame["count"].to_numpy()[keep],
        )
        return [str(c) for c in crimes], column, cube

    @functools.cached_property
    def _recent_crimes(self) -> list[str]:
        crimes, column, cube = self._cube
        recent = [column[q] for q in self.quarters[-4:] if q in column]
        totals = cube[:, :, recent].sum(axis=(1, 2))
        order = np.argsort(-totals, kind="stable")
        return [crimes[i] for i in order[: self.top_crimes] if totals[i] > 0]

    def recent_crimes(self) -> list[str]:
        """The most frequent crimes of the last four quarters (``top_crimes`` of them)."""
        return list(self._recent_crimes)

    def matrix(self, crime: str, quarters: list[dt.date]) -> np.ndarray:
        """sectors × quarters counts of one crime (zeros where nothing happened)."""
        crimes, column, cube = self._cube
        out = np.zeros((len(self.sectors), len(quarters)))
        if crime not in crimes:
            return out
        layer = cube[crimes.index(crime)]
        for j, quarter in enumerate(quarters):
            if quarter in column:
                out[:, j] = layer[:, column[quarter]]
        return out


@functools.lru_cache(maxsize=16)
def _adjacency(ids: tuple[int, ...], layer: str | None):
    import shapely
    from scipy import sparse

    from civica.territory.geometry import from_geojson_text

    geometries = dict(Sector.objects.filter(pk__in=ids).values_list("pk", "geometry"))
    polygons = [from_geojson_text(geometries[pk]) for pk in ids]
    polygons = [p if p is not None else shapely.Point() for p in polygons]
    tree = shapely.STRtree(polygons)
    left, right = tree.query(polygons, predicate="intersects")
    n = len(ids)
    matrix = sparse.coo_matrix((np.ones(len(left)), (left, right)), shape=(n, n)).tocsr()
    return matrix + sparse.identity(n, format="csr")
