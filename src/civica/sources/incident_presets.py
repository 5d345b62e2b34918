"""Which column of an incident file plays which role: the presets for known publishers and
the rules that turn a preset or a mapping into the columns of one file.

A role is what the reader needs to know about a column (``date``, ``crime``, ``lat`` …); a
preset lists, for each role, the column names a publisher has used for it, the first one
present winning, so one preset reads the editions of a file that renamed a column.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from civica.sources.errors import Joined, SourceError
from civica.sources.errors import message as _
from civica.sources.sesnsp_catalog import fold

__all__ = ["PRESETS", "REQUIRED_ROLES", "ROLES", "Preset", "column_spec", "resolve_columns"]

ROLES = (
    "id",
    "date",
    "time",
    "crime",
    "category",
    "lat",
    "lon",
    "area",
    "place",
    "source_cuadrante",
)
REQUIRED_ROLES = ("date", "crime", "lat", "lon")
COORDINATE_ROLES = ("lat", "lon")


@dataclass(frozen=True)
class Preset:
    """The columns of one publisher's incident file."""

    name: str
    description: str
    columns: Mapping[str, tuple[str, ...]]
    """Role → accepted column names, in order of preference."""


PRESETS: dict[str, Preset] = {
    preset.name: preset
    for preset in (
        Preset(
            "cdmx-ssp",
            "CDMX Secretaría de Seguridad Pública incident points as published by "
            "hoyodecrimen.com (crime_lat_long_2013-2016.csv): cuadrante, crime, date, hour, "
            "year, month, lat, long, id.",
            {
                "id": ("id",),
                "date": ("date",),
                "time": ("hour",),
                "crime": ("crime",),
                "lat": ("lat",),
                "lon": ("long",),
                "source_cuadrante": ("cuadrante",),
            },
        ),
        Preset(
            "cdmx-fgj",
            "CDMX prosecutor's office (FGJ) open data, carpetas de investigación: "
            "fecha_hechos, hora_hechos, delito, categoria_delito, latitud, longitud, "
            "alcaldia_hechos, colonia_hechos (and the singular names of later editions).",
            {
                "id": ("id", "folio"),
                "date": ("fecha_hechos", "fecha_hecho"),
                "time": ("hora_hechos", "hora_hecho"),
                "crime": ("delito",),
                "category": ("categoria_delito", "categoria"),
                "lat": ("latitud",),
                "lon": ("longitud",),
                "area": ("alcaldia_hechos", "alcaldia_hecho"),
                "place": ("colonia_hechos", "colonia_hecho"),
            },
        ),
    )
}


@dataclass(frozen=True)
class _Spec:
    columns: dict[str, tuple[str, ...]]
    explicit: frozenset[str]
    """Roles the caller named in ``mapping``: their column must exist even if optional."""


def column_spec(path: Path, preset: str | None, mapping: Mapping[str, str] | None) -> _Spec:
    """The accepted column names per role: the preset's, overridden by ``mapping``."""
    if preset is None and not mapping:
        raise SourceError(
            _("Choose a preset (%(presets)s) or give a mapping of roles to columns.")
            % {"presets": ", ".join(PRESETS)},
            file=path,
            field="preset",
        )
    columns: dict[str, tuple[str, ...]] = {}
    if preset is not None:
        if preset not in PRESETS:
            raise SourceError(
                _("There is no preset “%(preset)s”. Presets: %(presets)s.")
                % {"preset": preset, "presets": ", ".join(PRESETS)},
                file=path,
                field="preset",
            )
        columns.update(PRESETS[preset].columns)
    for role, column in (mapping or {}).items():
        if role not in ROLES:
            raise SourceError(
                _("“%(role)s” is not a role of an incident file. Roles: %(roles)s.")
                % {"role": role, "roles": ", ".join(ROLES)},
                file=path,
                field=role,
            )
        if not isinstance(column, str) or not column.strip():
            raise SourceError(
                _("The role “%(role)s” must name a column.") % {"role": role},
                file=path,
                field=role,
            )
        columns[role] = (column,)
    return _Spec(columns, frozenset(mapping or ()))


def resolve_columns(
    path: Path,
    spec: _Spec,
    found: Sequence[str],
    *,
    geometry: bool,
    line: int | None,
) -> dict[str, int]:
    """Role → 0-based position in ``found`` (the file's columns).

    Names match exactly, else ignoring case, accents and spacing. With ``geometry`` (a
    GeoJSON file) coordinates come from each feature's point, so ``lat`` and ``lon`` are
    neither required nor read from the properties.
    """
    exact = {name: position for position, name in reversed(list(enumerate(found)))}
    folded = {fold(name): position for position, name in reversed(list(enumerate(found)))}
    positions: dict[str, int] = {}
    missing: list[tuple[str, tuple[str, ...]]] = []
    for role in ROLES:
        if role not in spec.columns or (geometry and role in COORDINATE_ROLES):
            if role in REQUIRED_ROLES and not (geometry and role in COORDINATE_ROLES):
                missing.append((role, ()))
            continue
        names = spec.columns[role]
        position = next((exact[name] for name in names if name in exact), None)
        if position is None:
            position = next((folded[fold(n)] for n in names if fold(n) in folded), None)
        if position is not None:
            positions[role] = position
        elif role in REQUIRED_ROLES or role in spec.explicit:
            missing.append((role, names))
    if missing:
        expected = Joined(
            "; ",
            (
                Joined("", (f"{role}: ", " | ".join(names) if names else _("(no column given)")))
                for role, names in missing
            ),
        )
        raise SourceError(
            _(
                "Columns are missing. Expected (role: column): %(expected)s. "
                "The file's columns are: %(found)s."
            )
            % {"expected": expected, "found": ", ".join(found) or _("(none)")},
            file=path,
            line=line,
            field=next((names[0] for _role, names in missing if names), missing[0][0]),
        )
    return positions
