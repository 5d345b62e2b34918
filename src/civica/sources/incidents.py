# ruff: noqa: S608  (SQL here only interpolates names made by this module; values are bound)
"""Reader of incident-level crime files: one row per incident, with a date, a crime and a
point.

Publishers differ in format (CSV, Parquet, GeoJSON points) and in column names, so the
columns come from a preset for a known publisher (:data:`PRESETS`: ``cdmx-ssp``,
``cdmx-fgj``) or from a mapping of roles to column names (:data:`ROLES`).

Rows that cannot be used are never dropped silently: each one goes to the rejects CSV with
its position in the file, a reason code (:data:`REASONS`) and its values as published, and
is counted by reason. A problem with the whole file (empty, missing columns, malformed
GeoJSON, coordinates swapped or in metres) is a :class:`SourceError` raised before anything
is written. Both outputs are written under temporary names and moved into place only when
every check has passed.

Incident files run to millions of rows (the FGJ file ~2 M), so parsing and checks run in
DuckDB and the geometry in vectorised shapely and pyproj; no Python code runs per row
except decoding GeoJSON, which Python's ``json`` does into one object per feature anyway.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import shapely
from pyproj import Transformer
from shapely.geometry import MultiPolygon, Polygon

from civica.sources._incident_formats import _from_frame, _load, _Source
from civica.sources._sesnsp_reading import _literal, _Session
from civica.sources.errors import SourceError
from civica.sources.errors import message as _
from civica.sources.incident_presets import PRESETS, ROLES, column_spec, resolve_columns
from civica.sources.sesnsp_catalog import fold

__all__ = [
    "EARLIEST_DATE",
    "PRESETS",
    "PROJECTED_CRS",
    "REASONS",
    "ROLES",
    "IncidentsFile",
    "read_incidents",
]

REASONS = (
    "duplicate_id",
    "no_coordinates",
    "invalid_coordinates",
    "impossible_date",
    "no_crime",
    "unknown_category",
    "outside_area",
)
"""Why a row is rejected, in order of precedence (a row gets the first that applies):

* ``duplicate_id``: its id appeared on an earlier row (the first one is kept);
* ``no_coordinates``: latitude or longitude empty or a missing-value word (NA, NULL, NaN…),
  or both 0;
* ``invalid_coordinates``: not numbers, or beyond ±90° latitude / ±180° longitude (when most
  rows are like this the file is refused instead);
* ``impossible_date``: empty, unreadable, before :data:`EARLIEST_DATE` or after today;
* ``no_crime``: the crime is empty;
* ``unknown_category``: not among ``categories``, when given;
* ``outside_area``: the point is not covered by ``boundary``, when given.
"""
EARLIEST_DATE = date(1990, 1, 1)
PROJECTED_CRS = "EPSG:6372"
"""INEGI's Lambert conformal conic (metres) for ``x`` and ``y``: distances and grids."""

_MISSING = ("NA", "N/A", "N.A.", "NAN", "NULL", "NONE", "ND", "N/D", "-", "SIN DATO")
_DAY_FIRST = ((r"\d{1,2}/\d{1,2}/\d{4}", "%d/%m/%Y"), (r"\d{1,2}-\d{1,2}-\d{4}", "%d-%m-%Y"))
_TIME = r"^(?:\S+[ T])?(\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)$"
_MEXICO = ((-118.5, -86.5), (14.0, 33.0))  # lon, lat
_OK, _MISSING_STATE, _INVALID = 0, 1, 2  # coordinate states


@dataclass(frozen=True)
class IncidentsFile:
    """What reading one incident file found and wrote."""

    path: Path
    format: str
    """``csv``, ``parquet`` or ``geojson``."""
    preset: str | None
    mapping: Mapping[str, str]
    """Role → the column read for it (GeoJSON coordinates come from the geometry)."""
    encoding: str | None
    rows_read: int
    rows_kept: int
    rejected: Mapping[str, int]
    """Reason → rows rejected for it; every reason of :data:`REASONS` is present."""
    date_range: tuple[date, date] | None
    crimes: tuple[tuple[str, int], ...]
    """Kept incidents per crime, most frequent first."""
    unreadable_times: int
    """Kept rows whose time cell is not a time (kept with an empty time)."""
    numbered_by: str
    """What the rejects' first column counts: ``line`` (CSV, header = 1), ``row`` (Parquet,
    first row = 1) or ``feature`` (GeoJSON, first feature = 1)."""
    output: Path
    rejects: Path


def read_incidents(
    path: str | Path,
    *,
    output: str | Path,
    rejects: str | Path,
    preset: str | None = None,
    mapping: Mapping[str, str] | None = None,
    boundary: Polygon | MultiPolygon | None = None,
    categories: Iterable[str] | None = None,
    today: date | None = None,
    connection: duckdb.DuckDBPyConnection | None = None,
) -> IncidentsFile:
    """Read an incident file and write its tidy Parquet and its rejects CSV.

    Parameters
    ----------
    path
        CSV (plain, gzip or a zip holding one CSV; UTF-8, Windows-1252 or Latin-1, told
        apart by the bytes; delimiter ``,`` ``;`` tab or ``|`` from the header), Parquet,
        or a GeoJSON FeatureCollection of Point features whose properties are the columns.
    output
        The Parquet file: ``id VARCHAR, date DATE, time TIME, crime, category VARCHAR,
        lat, lon, x, y DOUBLE, area, place, source_cuadrante VARCHAR``, in file order;
        ``x``/``y`` are metres in :data:`PROJECTED_CRS`. Without an ``id`` column the id is
        the row's position (see :attr:`IncidentsFile.numbered_by`); empty ids stay empty.
    rejects
        CSV (UTF-8) of the rows not kept: position, reason (:data:`REASONS`), then every
        column as published. Written even when empty, so it always matches ``output``.
    preset, mapping
        Where the columns are: a preset of :data:`PRESETS`, a mapping role → column name
        (roles in :data:`ROLES`; ``date``, ``crime``, ``lat``, ``lon`` required), or both
        (the mapping overrides the preset). Names match ignoring case and accents.
    boundary
        A (Multi)Polygon in WGS84 lon/lat: points it does not cover are ``outside_area``.
    categories
        Accepted categories (compared ignoring case, accents and spacing); checked against
        the ``category`` column, or ``crime`` when there is none.
    today
        The last possible date (default: the machine's date).
    connection
        A DuckDB connection to work in; by default a private one with a memory limit.

    Dates are ``YYYY-MM-DD``, ``YYYY/MM/DD``, ``DD/MM/YYYY`` or ``DD-MM-YYYY`` (day first,
    never month first), optionally followed by a time; times ``HH:MM[:SS]``.

    Raises
    ------
    SourceError
        For problems with the whole file, naming the file and the line, column, feature or
        field; nothing is written then.
    """
    path, output, rejects = Path(path), Path(output), Path(rejects)
    if isinstance(categories, str):
        raise TypeError("categories must be a collection of names, not one string")
    spec = column_spec(path, preset, mapping)
    _check_boundary(boundary)
    today = today or date.today()
    output.parent.mkdir(parents=True, exist_ok=True)
    rejects.parent.mkdir(parents=True, exist_ok=True)
    scratch = output.parent / f".{output.name}.{uuid.uuid4().hex[:12]}"
    scratch.mkdir()
    try:
        with _Session(connection, scratch) as session:
            source = _load(path, scratch, session)
            line = 1 if source.format == "csv" else None
            roles = resolve_columns(path, spec, source.columns, geometry=source.geometry, line=line)
            reading = _Reading(path, source, roles, session)
            return reading.run(output, rejects, preset, boundary, categories, today)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _check_boundary(boundary) -> None:
    if boundary is None:
        return
    if not isinstance(boundary, Polygon | MultiPolygon):
        raise TypeError(f"boundary must be a shapely Polygon or MultiPolygon, not {boundary!r}")
    xmin, ymin, xmax, ymax = boundary.bounds
    if max(abs(xmin), abs(xmax)) > 180 or max(abs(ymin), abs(ymax)) > 90:
        raise ValueError("boundary must be in WGS84 longitude/latitude degrees")


# --- parsing, checks and the two outputs -----------------------------------------------


class _Reading:
    """Parse, check and write. Rows are addressed by ``r``, their position in the raw table;
    per-row results computed in Python are arrays in that order, joined back with DuckDB's
    POSITIONAL JOIN (tables keep insertion order: see ``_Session``)."""

    def __init__(self, path: Path, source: _Source, roles: dict[str, int], session: _Session):
        self.path, self.source, self.roles, self.session = path, source, roles, session
        if source.geometry:
            width = len(source.columns)
            self.roles = {**roles, "lon": width - 2, "lat": width - 1}
        self.classified = session.table("classified")

    def text(self, role: str) -> str:
        if role not in self.roles:
            return "NULL::VARCHAR"
        return f"NULLIF(trim(CAST(c{self.roles[role] + 1} AS VARCHAR)), '')"

    def run(self, output, rejects, preset, boundary, categories, today) -> IncidentsFile:
        (rows,) = self.session.one(f"SELECT count(*) FROM {self.source.table}")
        positions = self.source.lines
        if positions is None:
            positions = np.arange(rows, dtype=np.int64) + self.source.first
        self.positions = positions
        lat, lon, state = self._coordinates()
        self._check_coordinates(lat, lon, state)
        ok = state == _OK
        x, y = np.full(rows, np.nan), np.full(rows, np.nan)
        x[ok], y[ok] = Transformer.from_crs("EPSG:4326", PROJECTED_CRS, always_xy=True).transform(
            lon[ok], lat[ok]
        )
        inside = np.ones(rows, dtype=bool)
        if boundary is not None and ok.any():
            shapely.prepare(boundary)
            inside[ok] = shapely.intersects_xy(boundary, lon[ok], lat[ok])
        per_row = pd.DataFrame(
            {
                "r": np.arange(rows, dtype=np.int64),
                "pos": positions,
                "lat": lat,
                "lon": lon,
                "x": x,
                "y": y,
                "state": state,
                "inside": inside,
                "duplicate": self._duplicates(rows),
            }
        )
        self._classify(per_row, self._unknown_categories(categories), today)
        self._write(output, rejects)
        return self._summary(output, rejects, preset)

    def _coordinates(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Latitude and longitude (NaN where not numbers) and each row's coordinate state."""
        missing = ", ".join(_literal(word) for word in _MISSING)
        found = self.session.connection.execute(f"""
            SELECT coalesce(latn, 'NaN'::DOUBLE) AS lat, coalesce(lonn, 'NaN'::DOUBLE) AS lon,
                   CASE WHEN lat_text IS NULL OR lon_text IS NULL
                             OR upper(lat_text) IN ({missing}) OR upper(lon_text) IN ({missing})
                             OR (latn = 0 AND lonn = 0) THEN {_MISSING_STATE}
                        WHEN latn IS NULL OR lonn IS NULL OR NOT isfinite(latn)
                             OR NOT isfinite(lonn) OR abs(latn) > 90 OR abs(lonn) > 180
                             THEN {_INVALID}
                        ELSE {_OK}
                   END::TINYINT AS state
            FROM (
                SELECT *, TRY_CAST(lat_text AS DOUBLE) AS latn,
                       TRY_CAST(lon_text AS DOUBLE) AS lonn
                FROM (SELECT {self.text("lat")} AS lat_text, {self.text("lon")} AS lon_text
                      FROM {self.source.table})
            )
        """).fetchnumpy()
        return (
            np.asarray(found["lat"], dtype=float),
            np.asarray(found["lon"], dtype=float),
            np.asarray(found["state"], dtype=np.int8),
        )

    def _where(self, row: int) -> dict:
        """Where a row is, for a SourceError about its coordinates."""
        position = int(self.positions[row])
        if self.source.geometry:
            return {"feature": position, "field": "geometry"}
        lat = self.roles["lat"]
        # A Parquet row is reported as a line too: SourceError has no other place for it.
        return {"line": position, "column": lat + 1, "field": self.source.columns[lat]}

    def _texts(self, row: int) -> tuple[str, str]:
        return self.session.one(
            f"SELECT {self.text('lat')}, {self.text('lon')} FROM {self.source.table} "
            "WHERE rowid = ?",
            [row],
        )

    def _check_coordinates(self, lat: np.ndarray, lon: np.ndarray, state: np.ndarray) -> None:
        """Refuse a file whose coordinates are mostly not decimal degrees in lat/lon order."""
        given = state != _MISSING_STATE
        numeric = given & np.isfinite(lat) & np.isfinite(lon)
        projected = numeric & ((np.abs(lat) > 180) | (np.abs(lon) > 180))
        mexico_swapped = (lat >= -118) & (lat <= -86) & (lon >= 14) & (lon <= 33)
        swapped = (
            numeric & ~projected & (((np.abs(lat) > 90) & (np.abs(lon) <= 90)) | mexico_swapped)
        )
        lat_name, lon_name = self._coordinate_names()
        if (given.sum() - numeric.sum()) * 2 > given.sum():
            row = int(np.argmax(given & ~numeric))
            lat_text, lon_text = self._texts(row)
            raise SourceError(
                _(
                    "Most coordinates are not decimal numbers (here %(lat_column)s = "
                    "“%(lat)s”, %(lon_column)s = “%(lon)s”). Write them as decimal degrees "
                    "with a decimal point, such as 19.4326 and -99.1332."
                )
                % {"lat_column": lat_name, "lat": lat_text, "lon_column": lon_name,
                   "lon": lon_text},
                file=self.path,
                **self._where(row),
            )  # fmt: skip
        if projected.sum() * 2 > numeric.sum():
            x, y = float(np.median(lon[projected])), float(np.median(lat[projected]))
            raise SourceError(
                _(
                    "The coordinates appear to be in a projected CRS (metres), not longitude "
                    "and latitude in degrees: most rows have values beyond ±180 (median "
                    "%(lon_column)s = %(x).0f, %(lat_column)s = %(y).0f). %(hint)s Convert "
                    "them to WGS84 longitude/latitude (EPSG:4326) before importing."
                )
                % {"lat_column": lat_name, "lon_column": lon_name, "x": x, "y": y,
                   "hint": _projected_hint(x, y)},
                file=self.path,
                **self._where(int(np.argmax(projected))),
            )  # fmt: skip
        if swapped.sum() * 2 > numeric.sum():
            row = int(np.argmax(swapped))
            lat_text, lon_text = self._texts(row)
            message = _(
                "The coordinates appear swapped: most rows have a latitude like %(lat)s and a "
                "longitude like %(lon)s, which read the other way round are a point in Mexico. "
                "Map “lat” to the column with values between 14 and 33 and “lon” to the one "
                "with values between -118 and -86."
            )
            if self.source.geometry:
                message = _(
                    "The coordinates appear swapped: most points are written [%(lon)s, "
                    "%(lat)s], which read the other way round are a point in Mexico. GeoJSON "
                    "positions are [longitude, latitude] (RFC 7946)."
                )
            raise SourceError(
                message % {"lat": lat_text, "lon": lon_text}, file=self.path, **self._where(row)
            )

    def _coordinate_names(self) -> tuple[str, str]:
        if self.source.geometry:
            return _("latitude"), _("longitude")
        return self.source.columns[self.roles["lat"]], self.source.columns[self.roles["lon"]]

    def _duplicates(self, rows: int) -> np.ndarray:
        """True for each row whose id appeared on an earlier row."""
        duplicate = np.zeros(rows, dtype=bool)
        if "id" not in self.roles:
            return duplicate  # ids are positions, unique
        groups = self.session.all(f"""
            SELECT list(r ORDER BY r) FROM (
                SELECT rowid AS r, {self.text("id")} AS id FROM {self.source.table}
            ) WHERE id IS NOT NULL GROUP BY id HAVING count(*) > 1
        """)
        for (group,) in groups:
            duplicate[group[1:]] = True
        return duplicate

    def _unknown_categories(self, categories: Iterable[str] | None) -> str:
        """SQL true for a row whose category is not accepted."""
        if categories is None:
            return "false"
        role = "category" if "category" in self.roles else "crime"
        accepted = {fold(name) for name in categories}
        found = self.session.all(f"SELECT DISTINCT {self.text(role)} FROM {self.source.table}")
        unknown = [value for (value,) in found if value is not None and fold(value) not in accepted]
        listed = f" OR {role} IN ({', '.join(map(_literal, unknown))})" if unknown else ""
        return f"({role} IS NULL{listed})"

    def _classify(self, per_row: pd.DataFrame, unknown: str, today: date) -> None:
        """The typed columns and one reason (or none) per row, in file order."""
        table = _from_frame(self.session, "per_row", per_row)
        day_first = ", ".join(
            f"CAST(try_strptime(regexp_extract(date_text, '^({pattern})(?:[ T]|$)', 1), "
            f"'{fmt}') AS DATE)"
            for pattern, fmt in _DAY_FIRST
        )
        identifier = self.text("id") if "id" in self.roles else "CAST(pos AS VARCHAR)"
        self.session.connection.execute(
            f"""
            CREATE TEMP TABLE {self.classified} AS
            SELECT r, pos, id, d, t, time_text IS NOT NULL AND t IS NULL AS bad_time, crime,
                   category, lat, lon, x, y, area, place, source_cuadrante,
                   CASE WHEN duplicate THEN 'duplicate_id'
                        WHEN state = {_MISSING_STATE} THEN 'no_coordinates'
                        WHEN state = {_INVALID} THEN 'invalid_coordinates'
                        WHEN d IS NULL OR d < ? OR d > ? THEN 'impossible_date'
                        WHEN crime IS NULL THEN 'no_crime'
                        WHEN {unknown} THEN 'unknown_category'
                        WHEN NOT inside THEN 'outside_area'
                   END AS reason
            FROM (
                SELECT *, coalesce(TRY_CAST(date_text AS DATE), {day_first}) AS d,
                       coalesce(TRY_CAST(time_text AS TIME),
                                TRY_CAST(regexp_extract(time_text, '{_TIME}', 1) AS TIME)) AS t
                FROM (
                    SELECT p.*, {identifier} AS id, {self.text("date")} AS date_text,
                           {self.text("time")} AS time_text, {self.text("crime")} AS crime,
                           {self.text("category")} AS category, {self.text("area")} AS area,
                           {self.text("place")} AS place,
                           {self.text("source_cuadrante")} AS source_cuadrante
                    FROM {self.source.table} POSITIONAL JOIN {table} p
                )
            )
            """,
            [EARLIEST_DATE, today],
        )

    def _write(self, output: Path, rejects: Path) -> None:
        names = _unique([self.source.numbered_by, "reason", *self.source.columns])
        values = ", ".join(f"c{i} AS {_identifier(name)}" for i, name in enumerate(names[2:], 1))
        tidy_part = output.with_name(f".{output.name}.{uuid.uuid4().hex[:12]}.part")
        rejects_part = rejects.with_name(f".{rejects.name}.{uuid.uuid4().hex[:12]}.part")
        try:
            self.session.connection.execute(f"""
                COPY (
                    SELECT id, d AS date, t AS time, crime, category, lat, lon, x, y, area,
                           place, source_cuadrante
                    FROM {self.classified} WHERE reason IS NULL ORDER BY r
                ) TO {_literal(tidy_part)} (FORMAT parquet, COMPRESSION zstd)
            """)
            self.session.connection.execute(f"""
                COPY (
                    SELECT pos AS {_identifier(names[0])}, reason AS {_identifier(names[1])},
                           {values}
                    FROM {self.source.table}
                    POSITIONAL JOIN (SELECT r, pos, reason FROM {self.classified})
                    WHERE reason IS NOT NULL ORDER BY r
                ) TO {_literal(rejects_part)} (FORMAT csv, HEADER true, DELIMITER ',')
            """)
            os.replace(rejects_part, rejects)
            os.replace(tidy_part, output)
        finally:
            tidy_part.unlink(missing_ok=True)
            rejects_part.unlink(missing_ok=True)

    def _summary(self, output: Path, rejects: Path, preset: str | None) -> IncidentsFile:
        counts = dict(
            self.session.all(f"SELECT reason, count(*) FROM {self.classified} GROUP BY reason")
        )
        kept = counts.pop(None, 0)
        first, last, unreadable = self.session.one(f"""
            SELECT min(d), max(d), count(*) FILTER (WHERE bad_time)
            FROM {self.classified} WHERE reason IS NULL
        """)
        crimes = self.session.all(f"""
            SELECT crime, count(*) AS n FROM {self.classified} WHERE reason IS NULL
            GROUP BY crime ORDER BY n DESC, crime
        """)
        used = {
            role: self.source.columns[self.roles[role]]
            for role in ROLES
            if role in self.roles and not (self.source.geometry and role in ("lat", "lon"))
        }
        return IncidentsFile(
            path=self.path,
            format=self.source.format,
            preset=preset,
            mapping=used,
            encoding=self.source.encoding,
            rows_read=kept + sum(counts.values()),
            rows_kept=kept,
            rejected={reason: counts.get(reason, 0) for reason in REASONS},
            date_range=(first, last) if first is not None else None,
            crimes=tuple((crime, count) for crime, count in crimes),
            unreadable_times=unreadable,
            numbered_by=self.source.numbered_by,
            output=output,
            rejects=rejects,
        )


def _identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _unique(names: list[str]) -> list[str]:
    """Column names made unique for the rejects CSV (``name``, ``name_2`` …)."""
    seen: dict[str, int] = {}
    unique = []
    for name in names:
        key = name.casefold()
        seen[key] = seen.get(key, 0) + 1
        unique.append(name if seen[key] == 1 else f"{name}_{seen[key]}")
    return unique


def _projected_hint(x: float, y: float) -> str:
    """Which projected CRS the metres look like, to help the user convert them."""
    candidates = []
    for crs, label in (("EPSG:6372", "EPSG:6372 (INEGI Lambert)"), ("EPSG:3857", "EPSG:3857")):
        lon, lat = Transformer.from_crs(crs, "EPSG:4326", always_xy=True).transform(x, y)
        if _MEXICO[0][0] <= lon <= _MEXICO[0][1] and _MEXICO[1][0] <= lat <= _MEXICO[1][1]:
            candidates.append(label)
    if 100_000 <= x <= 900_000 and 1_500_000 <= y <= 3_700_000:
        candidates.append(_("UTM, northern hemisphere, a zone from 11 to 16 (EPSG:32611–32616)"))
    if not candidates:
        return _(
            "Mexican data in metres are usually in EPSG:6372 (INEGI Lambert) or UTM "
            "(EPSG:32611–32616)."
        )
    return _("The values fall in Mexico if read as one of: %(crs)s.") % {
        "crs": "; ".join(candidates)
    }
