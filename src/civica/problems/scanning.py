"""Scanning: candidate problems proposed from the data Cívica holds, each with its evidence.

A *source* is a function ``(user, data: ScanData) -> list[Candidate]`` registered by name
with :func:`register`. The built-in sources read an incident layer:

``hot_spots``
    police sectors that are Getis–Ord Gi* hot spots (FDR-adjusted) of one crime in at least
    ``min_periods`` of the last ``periods`` quarters (:func:`civica.stats.persistent_hot_spots`);
``rising_crimes``
    a sector's priority crimes: those whose last four quarters are significantly above the
    sector's own earlier quarters (exact conditional test, Benjamini–Hochberg across every
    sector and crime, :func:`civica.stats.scanning.rising_counts`);
``repeat_places``
    places of 25 m where one crime happened again and again in the last four quarters: the
    first distance band of a near-repeat pattern (the full Knox table is an analysis the team
    attaches to the problem).

Other apps add theirs from their ``AppConfig.ready()`` — civic-justice records (recurring
faltas) and calls for service, as they arrive — with::

    from civica.problems import scanning
    scanning.register("recurring_faltas", _("Recurring faltas"), my_source)

A source reads through its own app's scoped selectors with the ``user`` it is given and
returns candidates limited to that user's scope. ``ScanData`` shares one pass over the
incident layer (counts by sector × crime × quarter) among the sources that need it.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace

import numpy as np
import pandas as pd
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civica.incidents import selectors as incident_selectors
from civica.territory.models import Sector

__all__ = [
    "Candidate",
    "ScanData",
    "Source",
    "candidate",
    "register",
    "scan",
    "sources",
]


@dataclass(frozen=True)
class Candidate:
    """A problem scanning proposes: where, which crimes, and why (``evidence``, JSON-able)."""

    source: str
    key: str  # stable within a scan: accepting names it
    title: str
    municipality_code: str
    municipality_name: str
    crimes: tuple[str, ...]
    sector_ids: tuple[int, ...]
    sector_names: tuple[str, ...]
    score: float  # for ordering: larger is stronger evidence
    summary: str  # the evidence in one sentence, in the user's language
    evidence: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Source:
    name: str
    label: object
    function: Callable


_SOURCES: dict[str, Source] = {}


def register(name: str, label, function: Callable) -> Source:
    """Add a scanning source (see the module's docstring). Registering a name twice with
    another function is refused."""
    source = Source(name, label, function)
    if name in _SOURCES and _SOURCES[name].function is not function:
        raise ValueError(f"A scanning source named {name!r} is already registered.")
    _SOURCES[name] = source
    return source


def sources() -> dict[str, Source]:
    return dict(_SOURCES)


def _quarter_start(day: dt.date) -> dt.date:
    return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def _add_quarters(day: dt.date, n: int) -> dt.date:
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
        self.last_quarter = _quarter_start(self.end)
        if _add_quarters(self.last_quarter, 1) - dt.timedelta(days=1) != self.end:
            self.last_quarter = _add_quarters(self.last_quarter, -1)
        self.end = _add_quarters(self.last_quarter, 1) - dt.timedelta(days=1)
        self.quarters = [
            _add_quarters(self.last_quarter, -i) for i in range(self.periods - 1, -1, -1)
        ]
        self.start = _add_quarters(self.last_quarter, -(self.baseline_quarters + 3))

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
            day = _add_quarters(day, 1)
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


def _quarter_label(day: dt.date) -> str:
    return f"{day.year}-T{(day.month - 1) // 3 + 1}"


def hot_spots(user, data: ScanData) -> list[Candidate]:
    from civica.stats.scanning import persistent_hot_spots

    if not data.sectors:
        return []
    found = []
    for crime in data.recent_crimes():
        counts = data.matrix(crime, data.quarters)
        result = persistent_hot_spots(counts, data.neighbours, min_periods=data.min_periods)
        for i in np.flatnonzero(result.persistent):
            sector = data.sectors[i]
            z = result.z[i]
            found.append(
                Candidate(
                    source="hot_spots",
                    key=f"hot_spots|{sector.pk}|{crime}",
                    title=_("%(crime)s hot spot in %(sector)s")
                    % {"crime": crime.capitalize(), "sector": sector.name},
                    municipality_code=sector.municipality.cvegeo,
                    municipality_name=sector.municipality.name,
                    crimes=(crime,),
                    sector_ids=(sector.pk,),
                    sector_names=(sector.name,),
                    score=float(np.mean(z)),
                    summary=_(
                        "A Gi* hot spot (FDR 5%%) in %(hot)s of the last %(periods)s quarters, "
                        "with %(counts)s incidents."
                    )
                    % {
                        "hot": int(result.hot_periods[i]),
                        "periods": len(data.quarters),
                        "counts": " · ".join(str(int(v)) for v in counts[i]),
                    },
                    evidence={
                        "quarters": [_quarter_label(q) for q in data.quarters],
                        "counts": [int(v) for v in counts[i]],
                        "z": [round(float(v), 3) for v in z],
                        "hot": [bool(v) for v in result.hot[i]],
                        **data.parameters(),
                    },
                )
            )
    return found


def rising_crimes(user, data: ScanData) -> list[Candidate]:
    from civica.stats.scanning import rising_counts

    if not data.sectors:
        return []
    # Only quarters the layer covers whole: a quarter before its first day is missing, not 0.
    covered = _quarter_start(data.first)
    if covered != data.first:
        covered = _add_quarters(covered, 1)
    all_quarters = [
        q
        for q in (
            _add_quarters(data.last_quarter, -i) for i in range(data.baseline_quarters + 3, -1, -1)
        )
        if q >= covered
    ]
    if len(all_quarters) < 8:  # a year to compare with at least one year before
        return []
    recent_q, baseline_q = all_quarters[-4:], all_quarters[:-4]
    crimes = data.recent_crimes()
    rows = []
    for crime in crimes:
        counts = data.matrix(crime, all_quarters)
        rows.append((crime, counts[:, -4:].sum(axis=1), counts[:, :-4].sum(axis=1)))
    if not rows:
        return []
    recent = np.concatenate([r for _c, r, _b in rows])
    baseline = np.concatenate([b for _c, _r, b in rows])
    result = rising_counts(recent, baseline, recent_share=len(recent_q) / len(all_quarters))
    n = len(data.sectors)
    found = []
    for flat in np.flatnonzero(result.rising):
        crime, i = crimes[flat // n], flat % n
        sector = data.sectors[i]
        expected = baseline[flat] * len(recent_q) / len(baseline_q)
        found.append(
            Candidate(
                source="rising_crimes",
                key=f"rising_crimes|{sector.pk}|{crime}",
                title=_("%(crime)s rising in %(sector)s")
                % {"crime": crime.capitalize(), "sector": sector.name},
                municipality_code=sector.municipality.cvegeo,
                municipality_name=sector.municipality.name,
                crimes=(crime,),
                sector_ids=(sector.pk,),
                sector_names=(sector.name,),
                score=float(-np.log10(max(result.q[flat], 1e-300))),
                summary=_(
                    "%(recent)s incidents in the last four quarters against %(expected)s "
                    "expected from the %(baseline)s before (q = %(q)s)."
                )
                % {
                    "recent": int(recent[flat]),
                    "expected": f"{expected:.1f}",
                    "baseline": len(baseline_q),
                    "q": f"{result.q[flat]:.2g}",
                },
                evidence={
                    "recent": int(recent[flat]),
                    "baseline": int(baseline[flat]),
                    "recent_quarters": [_quarter_label(q) for q in recent_q],
                    "baseline_quarters": [_quarter_label(q) for q in baseline_q],
                    "ratio": round(float(result.ratio[flat]), 3),
                    "q": float(result.q[flat]),
                    **data.parameters(),
                },
            )
        )
    return found


REPEAT_METRES = 25
REPEAT_MIN = 10


def repeat_places(user, data: ScanData) -> list[Candidate]:
    from civica.warehouse.incidents import repeat_places as query

    start = data.quarters[-4] if len(data.quarters) >= 4 else data.quarters[0]
    frame = query(
        data.path,
        municipality_codes=data.codes,
        start=start,
        end=data.end,
        metres=REPEAT_METRES,
        min_count=REPEAT_MIN,
        limit=25,
    )
    by_id = {s.pk: s for s in data.sectors}
    found = []
    for row in frame.itertuples(index=False):
        sector = by_id.get(int(row.sector_id)) if pd.notna(row.sector_id) else None
        if sector is None:
            continue
        found.append(
            Candidate(
                source="repeat_places",
                key=f"repeat_places|{sector.pk}|{row.crime}|{row.lat:.5f},{row.lon:.5f}",
                title=_("Repeat place: %(crime)s in %(sector)s")
                % {"crime": str(row.crime).capitalize(), "sector": sector.name},
                municipality_code=sector.municipality.cvegeo,
                municipality_name=sector.municipality.name,
                crimes=(str(row.crime),),
                sector_ids=(sector.pk,),
                sector_names=(sector.name,),
                score=float(row.count),
                summary=_(
                    "%(count)s incidents within %(metres)s m of one place (%(lat)s, %(lon)s) "
                    "between %(first)s and %(last)s."
                )
                % {
                    "count": int(row.count),
                    "metres": REPEAT_METRES,
                    "lat": f"{row.lat:.5f}",
                    "lon": f"{row.lon:.5f}",
                    "first": pd.Timestamp(row.first).date(),
                    "last": pd.Timestamp(row.last).date(),
                },
                evidence={
                    "count": int(row.count),
                    "lat": round(float(row.lat), 6),
                    "lon": round(float(row.lon), 6),
                    "metres": REPEAT_METRES,
                    "first": pd.Timestamp(row.first).date().isoformat(),
                    "last": pd.Timestamp(row.last).date().isoformat(),
                    **data.parameters(),
                },
            )
        )
    return found


register("hot_spots", gettext_lazy("Persistent hot spots (Gi*)"), hot_spots)
register("rising_crimes", gettext_lazy("A sector's priority crimes (rising)"), rising_crimes)
register("repeat_places", gettext_lazy("Repeat places (near repeat, distance 0)"), repeat_places)

INCIDENT_SOURCES = ("hot_spots", "rising_crimes", "repeat_places")


def scan(user, *, layer: str, end: dt.date | None = None, only=None, **options) -> list[Candidate]:
    """Every registered source's candidates for the user's scope, strongest first within
    each source. ``only`` limits the sources by name."""
    data = ScanData(user, layer, end, **options)
    found: list[Candidate] = []
    for name, source in _SOURCES.items():
        if only and name not in only:
            continue
        found += sorted(source.function(user, data), key=lambda c: -c.score)
    return found


def candidate(user, *, key: str, layer: str, end: dt.date | None = None, **options) -> Candidate:
    """The candidate of that key, found again by scanning (evidence is never taken from the
    client); ``LookupError`` when the data no longer propose it."""
    source = key.split("|", 1)[0]
    for found in scan(user, layer=layer, end=end, only=[source], **options):
        if found.key == key:
            return found
    raise LookupError(key)
