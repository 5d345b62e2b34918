"""The kinds of SESNSP file, their columns, and what reading one returns."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


def gettext_noop(message: str) -> str:
    """Mark ``message`` for makemessages without touching Django settings at import."""
    return message


MONTHS = (
    "Enero", "Febrero", "Marzo", "Abril", "Mayo", "Junio", "Julio", "Agosto", "Septiembre",
    "Octubre", "Noviembre", "Diciembre",
)  # fmt: skip
FIRST_RNID_YEAR = 2026
MEMORY_LIMIT = "700MB"
"""DuckDB's memory limit when the reader opens its own connection; sorts spill to disk
beyond it. At 512 MB the national file's sort spilled (~0.4 s more CPU, and the disk); at
700 MB the whole command peaks at ~0.8 GB, under the 1 GB the ingest may take."""


@dataclass(frozen=True)
class Kind:
    """One published layout: its header, in order, with the role of each column."""

    name: str
    measure: str
    level: str
    label: str
    columns: tuple[tuple[str, str], ...]
    """``(role, published name)`` per column; roles are the SQL names while reading."""

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(name for _role, name in self.columns)

    @property
    def roles(self) -> tuple[str, ...]:
        return tuple(role for role, _name in self.columns)

    def position(self, role: str) -> int:
        """1-based column of ``role`` in the file."""
        return self.roles.index(role) + 1


_AREA = (("year", "Año"), ("state", "Clave_Ent"), ("state_name", "Entidad"))
_CRIME = (
    ("bien_juridico", "Bien jurídico afectado"),
    ("tipo", "Tipo de delito"),
    ("subtipo", "Subtipo de delito"),
    ("modalidad", "Modalidad"),
)
_MONTH_ROLES = tuple(f"m{number:02d}" for number in range(1, 13))
_MONTH_COLUMNS = tuple(zip(_MONTH_ROLES, MONTHS, strict=True))
KINDS = {
    kind.name: kind
    for kind in (
        Kind(
            "municipal",
            "crimes",
            "municipal",
            gettext_noop("municipal incidence (IDM_NM, Municipal-Delitos)"),
            (
                *_AREA,
                ("municipality", "Cve. Municipio"),
                ("municipality_name", "Municipio"),
                *_CRIME,
                *_MONTH_COLUMNS,
            ),
        ),
        Kind(
            "state",
            "crimes",
            "state",
            gettext_noop("state incidence (IDEFC_NM)"),
            (*_AREA, *_CRIME, *_MONTH_COLUMNS),
        ),
        Kind(
            "victims",
            "victims",
            "state",
            gettext_noop("state victims (IDVFC_NM)"),
            (*_AREA, *_CRIME, ("sex", "Sexo"), ("age_range", "Rango de edad"), *_MONTH_COLUMNS),
        ),
    )
}


@dataclass(frozen=True)
class SesnspFile:
    """What was read from one SESNSP file, and where its tidy Parquet was written."""

    path: Path
    kind: str
    """``"municipal"``, ``"state"`` or ``"victims"``."""
    measure: str
    """``"crimes"`` or ``"victims"``."""
    level: str
    """``"municipal"`` or ``"state"``."""
    methodology: str
    """``"2015"`` (years up to 2025) or ``"rnid2026"`` (years from 2026)."""
    cut: str | None
    """Publication cut ``"YYYY-MM"``, or ``None`` when neither given nor in the file name."""
    encoding: str
    """``"utf-8"``, ``"latin-1"``, or ``"cp1252"`` when bytes 0x80–0x9F occur."""
    rows: int
    """Wide data rows (area × crime × year [× sex × age])."""
    long_rows: int
    """Rows of the tidy file: ``rows`` × 12 months."""
    years: tuple[int, ...]
    last_month_reported: tuple[int, int] | None
    """``(year, month)`` of the latest non-empty cell; ``None`` if every cell is empty."""
    normalized: tuple[tuple[str, str, str, int], ...]
    """``(column, original, normalised, rows)`` for every name spelt unlike the catalogue."""
    pseudo_municipalities: tuple[str, ...]
    """``"code name"`` of the rows that are not INEGI municipalities (kept as published)."""
    output: Path
    source_sha256: str = ""
    """SHA-256 of the file as given, computed while its bytes were scanned."""
