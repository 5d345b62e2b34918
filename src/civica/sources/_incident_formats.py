# ruff: noqa: S608  (SQL here only interpolates names made by this module; values are bound)
"""Loading an incident file of any supported format (CSV, Parquet, GeoJSON points) into one
DuckDB table, keeping each row's line, row or feature number for messages."""

from __future__ import annotations

import csv
import json
import uuid
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from civica.sources._files import read_bytes
from civica.sources._sesnsp_bytes import _blank_lines, _scan, _transcoded
from civica.sources._sesnsp_reading import _literal, _Session
from civica.sources.errors import SourceError
from civica.sources.errors import message as _

# --- the three formats, loaded into one DuckDB table -------------------------------------


@dataclass
class _Source:
    format: str
    encoding: str | None
    table: str
    columns: list[str]
    """Published column names, in order; the table's columns are ``c1`` … ``cN``."""
    numbered_by: str
    first: int
    """Position of the first row (its rowid is 0)."""
    lines: np.ndarray | None = None
    """Each row's position when it is not ``rowid + first``."""
    geometry: bool = False


def _load(path: Path, scratch: Path, session: _Session) -> _Source:
    if not path.is_file():
        read_bytes(path)  # raises the shared "does not exist" / "not a file" errors
    with path.open("rb") as handle:
        head = handle.read(4096)
    if not head.strip():
        raise SourceError(_("The file is empty."), file=path, line=1)
    if head.startswith(b"PAR1"):
        return _load_parquet(path, session)
    text = head.lstrip(b"\xef\xbb\xbf").lstrip()
    if path.suffix.lower() in (".geojson", ".json") or text.startswith(b"{"):
        return _load_geojson(path, session)
    return _load_csv(path, scratch, session)


def _load_csv(path: Path, scratch: Path, session: _Session) -> _Source:
    plain, scan = _scan(path, scratch / "source.csv")
    encoding = scan.encoding()
    first = scan.head.split(b"\n", 1)[0].rstrip(b"\r")
    if not first.strip():
        raise SourceError(
            _("The first line is empty; it must be the header.")
            if scan.head.strip()
            else _("The file is empty."),
            file=path,
            line=1,
        )
    header = first.decode(encoding, errors="replace").lstrip("\ufeff")
    delimiter = max(",;\t|", key=header.count)
    names = [name.strip() for name in next(csv.reader([header], delimiter=delimiter))]
    if encoding == "cp1252":
        plain = _transcoded(path, plain, scratch / "source-utf8.csv")
    table, errors = session.table("raw"), session.table("csv_errors")
    columns = ", ".join(f"'c{i}': 'VARCHAR'" for i in range(1, len(names) + 1))
    session.connection.execute(f"""
        CREATE TEMP TABLE {table} AS SELECT * FROM read_csv({_literal(plain)},
            columns = {{{columns}}}, header = false, skip = 1, auto_detect = false,
            compression = 'none', delim = {_literal(delimiter)}, quote = '"', escape = '"',
            encoding = '{"latin-1" if encoding == "latin-1" else "utf-8"}',
            ignore_errors = true, store_rejects = true, rejects_table = '{errors}',
            rejects_scan = '{session.table("csv_errors_scan")}')
    """)
    bad = session.one(f"SELECT line, error_type, error_message FROM {errors} ORDER BY line LIMIT 1")
    if bad:
        line, kind, message = bad
        if kind in ("MISSING COLUMNS", "TOO MANY COLUMNS"):
            reason = _("it does not have the %(count)d fields of the header") % {
                "count": len(names)
            }
        else:
            reason = str(message).splitlines()[0]
        raise SourceError(
            _("The line cannot be read as CSV: %(reason)s.") % {"reason": reason},
            file=path,
            line=line,
        )
    (rows,) = session.one(f"SELECT count(*) FROM {table}")
    if rows == 0:
        raise SourceError(_("The file has a header but no data rows."), file=path, line=2)
    lines = None
    if scan.newlines not in (rows, rows + 1):
        lines = _csv_lines(plain, table, len(names), scan.newlines, session)
    return _Source("csv", encoding, table, names, "line", 2, lines)


def _csv_lines(plain: Path, table: str, width: int, newlines: int, session: _Session) -> np.ndarray:
    """Each row's first line when values hold line breaks or lines are blank (DuckDB skips
    blank lines without counting them)."""
    breaks = " + ".join(
        f"coalesce(length(c{i}) - length(replace(c{i}, chr(10), '')), 0)"
        for i in range(1, width + 1)
    )
    found = session.connection.execute(f"""
        SELECT rowid AS r, 2 + rowid + coalesce(sum({breaks}) OVER (
            ORDER BY rowid ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS pos,
            {breaks} AS inner_breaks
        FROM {table} ORDER BY rowid
    """).fetchnumpy()
    pos = found["pos"].astype(np.int64)
    last = int(pos[-1] + found["inner_breaks"][-1])
    if last not in (newlines, newlines + 1):
        blanks = np.asarray(_blank_lines(plain), dtype=np.int64)
        # A row numbered ``pos`` without blanks moves down by the blanks before it.
        pos += np.searchsorted(blanks - np.arange(len(blanks)), pos, side="right")
    return pos


def _load_parquet(path: Path, session: _Session) -> _Source:
    try:
        described = session.all(f"DESCRIBE SELECT * FROM read_parquet({_literal(path)})")
    except duckdb.Error as error:
        raise SourceError(
            _("The file is not a readable Parquet file (%(reason)s).")
            % {"reason": str(error).splitlines()[0]},
            file=path,
        ) from error
    names = [row[0] for row in described]
    table = session.table("raw")
    selected = ", ".join(
        f'"{name.replace(chr(34), chr(34) * 2)}" AS c{i}' for i, name in enumerate(names, 1)
    )
    session.connection.execute(
        f"CREATE TEMP TABLE {table} AS SELECT {selected} FROM read_parquet({_literal(path)})"
    )
    if session.one(f"SELECT count(*) FROM {table}")[0] == 0:
        raise SourceError(_("The file has no rows."), file=path)
    return _Source("parquet", None, table, names, "row", 1)


def _load_geojson(path: Path, session: _Session) -> _Source:
    data = read_bytes(path).removeprefix(b"\xef\xbb\xbf")
    try:
        document = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise SourceError(
            _("The file is not UTF-8, as GeoJSON must be (RFC 7946)."), file=path, line=line
        ) from error
    except json.JSONDecodeError as error:
        raise SourceError(
            _("The file is not valid JSON (%(reason)s).") % {"reason": error.msg},
            file=path,
            line=error.lineno,
            column=error.colno,
        ) from error
    kind = document.get("type") if isinstance(document, dict) else type(document).__name__
    features = document.get("features") if kind == "FeatureCollection" else None
    if not isinstance(features, list):
        raise SourceError(
            _("Expected a GeoJSON FeatureCollection with a “features” list, found “%(found)s”.")
            % {"found": kind},
            file=path,
        )
    if not features:
        raise SourceError(_("The file has no features."), file=path)
    lon, lat, properties = _points(path, features)
    names = list(dict.fromkeys(key for values in properties for key in values))
    columns = {f"c{i}": [values.get(name) for values in properties] for i, name in
               enumerate(names, 1)}  # fmt: skip
    width = len(names)
    columns[f"c{width + 1}"], columns[f"c{width + 2}"] = lon, lat
    frame = pd.DataFrame(columns, dtype=object)
    frame[f"c{width + 1}"] = frame[f"c{width + 1}"].astype("float64")
    frame[f"c{width + 2}"] = frame[f"c{width + 2}"].astype("float64")
    table = _from_frame(session, "raw", frame)
    names += ["geometry_lon", "geometry_lat"]
    return _Source("geojson", "utf-8", table, names, "feature", 1, geometry=True)


def _points(path: Path, features: list) -> tuple[list, list, list[dict]]:
    lon, lat, properties = [], [], []
    for number, feature in enumerate(features, 1):
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            raise SourceError(_("This is not a GeoJSON Feature."), file=path, feature=number)
        geometry, values = feature.get("geometry"), feature.get("properties") or {}
        if not isinstance(values, dict):
            raise SourceError(
                _("The feature's “properties” is not an object."), file=path, feature=number
            )
        position = None
        if geometry is not None:
            kind = geometry.get("type") if isinstance(geometry, dict) else None
            if kind != "Point":
                raise SourceError(
                    _("The geometry is a %(kind)s; incidents must be Point features.")
                    % {"kind": kind},
                    file=path,
                    feature=number,
                    field="geometry",
                )
            position = geometry.get("coordinates")
            if position == []:  # an empty point: no coordinates, rejected as such
                position = None
            elif not _is_position(position):
                raise SourceError(
                    _("The point's coordinates are not a [longitude, latitude] pair."),
                    file=path,
                    feature=number,
                    field="geometry",
                )
        lon.append(None if position is None else position[0])
        lat.append(None if position is None else position[1])
        properties.append({key: _cell(value) for key, value in values.items()})
    return lon, lat, properties


def _is_position(value) -> bool:
    return (
        isinstance(value, list)
        and len(value) >= 2
        and all(isinstance(n, int | float) and not isinstance(n, bool) for n in value[:2])
    )


def _cell(value) -> str | None:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _from_frame(session: _Session, name: str, frame: pd.DataFrame) -> str:
    """A temporary table holding ``frame``, rows in order."""
    table, view = session.table(name), f"frame_{uuid.uuid4().hex[:12]}"
    # DuckDB 2 refuses register() while a fetchone() result is pending; a query read to
    # its end settles it (and works on DuckDB 1, which has no complete()).
    session.connection.execute("SELECT NULL").fetchall()
    session.connection.register(view, frame)
    try:
        session.connection.execute(f"CREATE TEMP TABLE {table} AS SELECT * FROM {view}")
    finally:
        session.connection.unregister(view)
    return table
