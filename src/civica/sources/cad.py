"""Reader of CAD / 9-1-1 call records (one row per call), with DuckDB (no Django).

A file is read with a **preset** (the documented layout below) or a **column map**
(``{"folio": "FOLIO_LLAMADA", "received": "FH_RECEPCION", …}``) for any other export. Every
cell is checked before anything is written; the first problem refuses the file with its
line, column and field. The result is one Parquet file of calls with the intervals in
seconds, ready for the warehouse.

Preset ``civica`` (header names, case-insensitive)::

    folio, recibida, capturada, despachada, arribo, codigo_cnie, version_cnie, prioridad,
    procedente, sector, cuadrante, resultado, iph, longitud, latitud

``recibida`` … ``arribo`` are date-times (``YYYY-MM-DD HH:MM:SS``, ``YYYY-MM-DDTHH:MM:SS`` or
``DD/MM/YYYY HH:MM[:SS]``); only ``folio`` and ``recibida`` are required. ``procedente`` is
``si``/``no``/``1``/``0`` (a non-genuine call is recorded but never dispatched, CNIE v3).
``codigo_cnie`` has 3 to 5 digits (v3.0 of June 2024: five, type-subtype-incident).
``sector`` and ``cuadrante`` are the ones the CAD assigned; ``longitud`` and ``latitud``
(WGS84 degrees, optional) let the app place the call in the territory's polygons instead
(``police/calls.py``; ``sector_from`` says which was used). ``iph`` links the call to its police
report (Informe Policial Homologado).

Intervals: capture = captured − received, dispatch = dispatched − captured, arrival = arrived
− dispatched (seconds); a negative interval refuses the file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from civica.sources.errors import SourceError
from civica.sources.errors import message as _

__all__ = ["FIELDS", "PRESETS", "CadFile", "parse_map", "read_cad"]

FIELDS = (
    "folio",
    "received",
    "captured",
    "dispatched",
    "arrived",
    "cnie_code",
    "cnie_version",
    "priority",
    "genuine",
    "sector",
    "cuadrante",
    "outcome",
    "report",
    "longitude",
    "latitude",
)
REQUIRED = ("folio", "received")
TIMES = ("received", "captured", "dispatched", "arrived")
PRESETS = {
    "civica": {
        "folio": "folio",
        "received": "recibida",
        "captured": "capturada",
        "dispatched": "despachada",
        "arrived": "arribo",
        "cnie_code": "codigo_cnie",
        "cnie_version": "version_cnie",
        "priority": "prioridad",
        "genuine": "procedente",
        "sector": "sector",
        "cuadrante": "cuadrante",
        "outcome": "resultado",
        "report": "iph",
        "longitude": "longitud",
        "latitude": "latitud",
    }
}
_TRUE = ("si", "sí", "1", "true", "verdadero", "procedente", "s")
_FALSE = ("no", "0", "false", "falso", "improcedente", "n")


@dataclass(frozen=True)
class CadFile:
    path: Path
    rows: int
    first: str
    last: str
    mapping: dict[str, str]


def parse_map(text: str) -> dict[str, str]:
    """``field=column,field=column`` → mapping (fields from ``FIELDS``)."""
    mapping = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        field, _sep, column = item.partition("=")
        field, column = field.strip(), column.strip()
        if field not in FIELDS or not column:
            raise SourceError(
                _("“%(item)s” is not field=column with a field among: %(fields)s.")
                % {"item": item, "fields": ", ".join(FIELDS)}
            )
        mapping[field] = column
    return mapping


def _literal(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _timestamp(column: str) -> str:
    value = f"NULLIF(TRIM({column}), '')"
    return (
        f"COALESCE(TRY_CAST({value} AS TIMESTAMP), "
        f"TRY_STRPTIME({value}, '%d/%m/%Y %H:%M:%S'), TRY_STRPTIME({value}, '%d/%m/%Y %H:%M'))"
    )


COORDINATES = ("longitude", "latitude")


def _kind(field: str) -> str:
    if field in TIMES:
        return "TIMESTAMP"
    if field in COORDINATES:
        return "DOUBLE"
    return "BOOLEAN" if field == "genuine" else "VARCHAR"


# Seconds between the steps of a call, and the keys calls are grouped by.
INTERVALS = (
    "date_diff('second', received, captured)::INTEGER AS capture_s, "
    "date_diff('second', captured, dispatched)::INTEGER AS dispatch_s, "
    "date_diff('second', dispatched, arrived)::INTEGER AS arrival_s"
)
KEYS = (
    "hour(received)::UTINYINT AS hour, isodow(received)::UTINYINT AS weekday, "
    "strftime(received, '%Y-%m') AS month"
)


def read_cad(
    path: Path, *, output: Path, municipality_code: str, mapping: dict[str, str] | None = None
) -> CadFile:
    """Check every row of a CAD export and write the calls to ``output`` (Parquet)."""
    path = Path(path)
    if not path.is_file():
        raise SourceError(_("The file does not exist."), file=path)
    if not (len(municipality_code) == 5 and municipality_code.isdigit()):
        raise SourceError(
            _("“%(value)s” is not a CVEGEO (five digits).") % {"value": municipality_code}
        )
    mapping = dict(mapping or PRESETS["civica"])
    with duckdb.connect() as db:
        db.execute("SET threads TO 2")
        try:
            db.execute(
                "CREATE TABLE raw AS SELECT row_number() OVER () + 1 AS line, * FROM read_csv("  # noqa: S608
                f"{_literal(path)}, all_varchar = true, header = true, sample_size = -1)"
            )
        except duckdb.Error as error:
            raise SourceError(
                _("The file cannot be read as CSV: %(reason)s") % {"reason": str(error)[:300]},
                file=path,
            ) from None
        header = [row[0] for row in db.execute("DESCRIBE raw").fetchall()][1:]
        by_name = {name.strip().lower(): name for name in header}
        columns: dict[str, str] = {}
        for field, wanted in mapping.items():
            found = by_name.get(wanted.strip().lower())
            if found is None:
                if field in REQUIRED:
                    raise SourceError(
                        _("The column “%(column)s” (%(field)s) is not in the header.")
                        % {"column": wanted, "field": field},
                        file=path,
                        line=1,
                    )
                continue
            columns[field] = found
        for field in REQUIRED:
            if field not in columns:
                raise SourceError(
                    _("The column for %(field)s is missing.") % {"field": field},
                    file=path,
                    line=1,
                )

        def quoted(field: str) -> str:
            return '"' + columns[field].replace('"', '""') + '"'

        def value(field: str, kind: str) -> str:
            if field not in columns:
                return f"NULL::{kind}"
            if kind == "TIMESTAMP":
                return _timestamp(quoted(field))
            if kind == "BOOLEAN":
                true = ", ".join(f"'{v}'" for v in _TRUE)
                return (
                    f"CASE WHEN NULLIF(TRIM({quoted(field)}), '') IS NULL THEN NULL "
                    f"ELSE lower(TRIM({quoted(field)})) IN ({true}) END"
                )
            if kind == "DOUBLE":
                return f"TRY_CAST(NULLIF(TRIM({quoted(field)}), '') AS DOUBLE)"
            return f"NULLIF(TRIM({quoted(field)}), '')"

        # Parse every cell once; the checks below compare the parsed value with the text.
        texts = ", ".join(
            f"NULLIF(TRIM({quoted(f)}), '') AS {f}_text" for f in FIELDS if f in columns
        )
        db.execute(
            "CREATE TABLE calls AS SELECT line, "  # noqa: S608 (names from the header, quoted)
            + ", ".join(f"{value(f, _kind(f))} AS {f}" for f in FIELDS)
            + f", {texts} FROM raw"
        )
        db.execute("DROP TABLE raw")

        def fail(field: str, where: str, template) -> None:
            row = db.execute(
                f"SELECT line, {field}_text FROM calls WHERE {where} ORDER BY line LIMIT 1"  # noqa: S608
            ).fetchone()
            if row:
                raise SourceError(
                    template % {"value": row[1] or ""},
                    file=path,
                    line=int(row[0]),
                    column=header.index(columns[field]) + 1,
                    field=columns[field],
                )

        fail("folio", "folio IS NULL", _("Every call needs its folio."))
        fail("received", "received_text IS NULL", _("Every call needs the time it was received."))
        for field in TIMES:
            if field in columns:
                fail(
                    field,
                    f"{field}_text IS NOT NULL AND {field} IS NULL",
                    _("“%(value)s” is not a date and time (YYYY-MM-DD HH:MM:SS)."),
                )
        if "cnie_code" in columns:
            fail(
                "cnie_code",
                "cnie_code IS NOT NULL AND NOT regexp_full_match(cnie_code, '\\d{3,5}')",
                _("“%(value)s” is not a CNIE code (3 to 5 digits)."),
            )
        if "genuine" in columns:
            allowed = ", ".join(f"'{v}'" for v in (*_TRUE, *_FALSE))
            fail(
                "genuine",
                f"genuine_text IS NOT NULL AND lower(genuine_text) NOT IN ({allowed})",
                _("“%(value)s” is not yes or no (si/no, 1/0)."),
            )
        bounds = {"longitude": 180, "latitude": 90}
        for field, limit in bounds.items():
            if field in columns:
                fail(
                    field,
                    f"{field}_text IS NOT NULL AND ({field} IS NULL OR abs({field}) > {limit})",
                    _("“%(value)s” is not a longitude or latitude in degrees (WGS84)."),
                )
        duplicate = db.execute(
            "SELECT list(line ORDER BY line)[2] AS second, folio FROM calls "
            "GROUP BY folio HAVING count(*) > 1 ORDER BY second LIMIT 1"
        ).fetchone()
        if duplicate:
            raise SourceError(
                _("The folio “%(value)s” appears twice.") % {"value": duplicate[1]},
                file=path,
                line=int(duplicate[0]),
                column=header.index(columns["folio"]) + 1,
                field=columns["folio"],
            )
        pairs = (("received", "captured"), ("captured", "dispatched"), ("dispatched", "arrived"))
        for earlier, later in pairs:
            if earlier in columns and later in columns:
                row = db.execute(
                    f"SELECT line FROM calls WHERE {later} < {earlier} ORDER BY line LIMIT 1"  # noqa: S608
                ).fetchone()
                if row:
                    raise SourceError(
                        _("%(later)s is before %(earlier)s.")
                        % {"later": columns[later], "earlier": columns[earlier]},
                        file=path,
                        line=int(row[0]),
                        column=header.index(columns[later]) + 1,
                        field=columns[later],
                    )
        rows, first, last = db.execute(
            "SELECT count(*), min(received)::VARCHAR, max(received)::VARCHAR FROM calls"
        ).fetchone()
        if not rows:
            raise SourceError(_("The file has a header but no data lines."), file=path, line=2)
        temporary = output.with_name(f".{output.name}")
        # The intervals and the grouping keys are written once here, so that the
        # percentiles by sector, hour and month read stored columns (warehouse/calls.py).
        db.execute(
            "COPY (SELECT folio, received, captured, dispatched, arrived, "  # noqa: S608
            f"{INTERVALS}, {KEYS}, "
            "cnie_code, cnie_version, priority, genuine, sector, cuadrante, outcome, report, "
            "longitude, latitude, "
            "CASE WHEN sector IS NOT NULL THEN 'cad' END AS sector_from, "
            "CASE WHEN cuadrante IS NOT NULL THEN 'cad' END AS cuadrante_from, "
            f"'{municipality_code}' AS municipality_code FROM calls) "
            f"TO {_literal(temporary)} (FORMAT parquet, COMPRESSION zstd)"
        )
    temporary.replace(output)
    return CadFile(path=path, rows=int(rows), first=first, last=last, mapping=columns)
