"""Reader of a CSV that names municipalities by code.

Boundary files often carry only the CVEGEO, so names come from a table published beside
them. The columns are recognised rather than configured, because the two tables users have
at hand are fixed: CONAPO's (``CVE``, ``Municipio``), the census attribute table shipped
with mxmaps (``region``, ``municipio_name``) and INEGI's Marco Geoestadístico attributes
(``CVEGEO``, ``NOMGEO``).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from civica.sources._files import read_text
from civica.sources.errors import SourceError
from civica.sources.errors import message as _

__all__ = ["KNOWN_COLUMNS", "NameTable", "read_names"]

KNOWN_COLUMNS: tuple[tuple[str, str], ...] = (
    ("CVE", "Municipio"),
    ("region", "municipio_name"),
    ("CVEGEO", "NOMGEO"),
)


@dataclass(frozen=True)
class NameTable:
    path: Path
    code_column: str
    name_column: str
    encoding: str
    names: dict[str, str]
    """CVEGEO (five digits) → name."""


def read_names(path: str | Path, *, code_width: int = 5) -> NameTable:
    """Read a code → name table, recognising its columns from the header."""
    path = Path(path)
    text, encoding = read_text(path)
    records = csv.DictReader(io.StringIO(text, newline=""))
    header = [name.strip() for name in records.fieldnames or []]
    folded = {raw.strip().casefold(): raw for raw in records.fieldnames or []}
    for code_column, name_column in KNOWN_COLUMNS:
        if code_column.casefold() in folded and name_column.casefold() in folded:
            code_key = folded[code_column.casefold()]
            name_key = folded[name_column.casefold()]
            break
    else:
        expected = "; ".join(f"{code} + {name}" for code, name in KNOWN_COLUMNS)
        raise SourceError(
            _("No code and name columns found. Expected one of: %(expected)s; found: %(found)s.")
            % {"expected": expected, "found": ", ".join(header) or _("nothing")},
            file=path,
            line=1,
        )
    names: dict[str, str] = {}
    for record in records:
        line = records.line_num
        code = (record.get(code_key) or "").strip()
        name = (record.get(name_key) or "").strip()
        if not code and not name:
            continue
        if code.isdigit() and len(code) < code_width:
            code = code.zfill(code_width)
        if not (code.isdigit() and len(code) == code_width):
            raise SourceError(
                _("“%(code)s” is not a code of %(width)d digits.")
                % {"code": code, "width": code_width},
                file=path,
                line=line,
                field=code_key,
            )
        if not name:
            raise SourceError(_("The name is empty."), file=path, line=line, field=name_key)
        if code in names and names[code] != name:
            raise SourceError(
                _("The code %(code)s has two names: “%(a)s” and “%(b)s”.")
                % {"code": code, "a": names[code], "b": name},
                file=path,
                line=line,
                field=code_key,
            )
        names[code] = name
    return NameTable(path, code_key, name_key, encoding, names)
