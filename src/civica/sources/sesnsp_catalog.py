"""The official SESNSP crime catalogues, and category names matched against them.

SESNSP files name each crime by four levels (bien jurídico afectado, tipo, subtipo,
modalidad). The names are the keys of every series, yet published files spell them with
trailing or doubled spaces and with accents and capitals that change between releases.
Matching a name against the catalogue of the file's methodology, with case, accents and
spacing folded, turns each spelling into the one official name, or proves the name is not a
crime of that catalogue at all.

The catalogues are package data (``data/sesnsp_categories_*.csv``), one row per modality,
in SESNSP's own order: 98 modalities for the 2015 methodology (2015–2025) and 114 for the
RNID catalogue that replaced it in January 2026. They were taken once from SESNSP's state
files (``IDEFC_NM`` for 2015, the first 2026 RNID release) and are facts of the catalogue,
not of any one file.
"""

from __future__ import annotations

import csv
import functools
import io
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from civica.sources.errors import SourceError
from civica.sources.errors import message as _
from civica.sources.inegi_states import normalise_name

__all__ = [
    "CATALOGUE_FILES",
    "LEVELS",
    "METHODOLOGIES",
    "Catalogue",
    "Crime",
    "Spellings",
    "catalogue",
    "fold",
    "is_pseudo_municipality",
    "match_crimes",
    "tidy",
]

LEVELS = ("bien_juridico", "tipo", "subtipo", "modalidad")
METHODOLOGIES = ("2015", "rnid2026")
CATALOGUE_FILES = {
    "2015": "sesnsp_categories_2015.csv",
    "rnid2026": "sesnsp_categories_rnid2026.csv",
}

Crime = tuple[str, str, str, str]
"""``(bien_juridico, tipo, subtipo, modalidad)`` as the catalogue writes them."""


def fold(name: str) -> str:
    """The comparison key of a name: case, accents, dots and spacing folded.

    It is the territory catalogue's rule, so a name compares the same way wherever the
    platform meets it.
    """
    return normalise_name(name)


@dataclass(frozen=True)
class Catalogue:
    """The modalities of one methodology, with the lookups that match names against them."""

    methodology: str
    crimes: tuple[Crime, ...]
    index: Mapping[tuple[str, ...], int] = field(repr=False)
    """Folded names of a modality → its position in :attr:`crimes`."""
    prefixes: tuple[frozenset[tuple[str, ...]], ...] = field(repr=False)
    """Folded first 1, 2, 3 and 4 levels of every modality, to tell which level is unknown."""

    @classmethod
    def from_crimes(cls, methodology: str, crimes: tuple[Crime, ...]) -> Catalogue:
        index = {tuple(fold(name) for name in crime): order for order, crime in enumerate(crimes)}
        if len(index) != len(crimes):
            raise ValueError(f"two modalities of the {methodology} catalogue fold alike")
        prefixes = tuple(frozenset(key[: depth + 1] for key in index) for depth in range(4))
        return cls(methodology, crimes, index, prefixes)

    def order(self, names: tuple[str, ...]) -> int | None:
        """Position of the modality ``names`` spell in the catalogue, or ``None``."""
        return self.index.get(tuple(fold(name or "") for name in names))

    def unknown_level(self, names: tuple[str, ...]) -> int:
        """Index (0–3) of the first level that leaves the catalogue, to name it in an error."""
        key = tuple(fold(name or "") for name in names)
        for depth in range(4):
            if key[: depth + 1] not in self.prefixes[depth]:
                return depth
        return 3


@functools.cache
def catalogue(methodology: str) -> Catalogue:
    """The catalogue of ``"2015"`` or ``"rnid2026"``, read once from the package data."""
    text = (
        resources.files("civica.sources")
        .joinpath("data", CATALOGUE_FILES[methodology])
        .read_text(encoding="utf-8")
    )
    rows = list(csv.reader(io.StringIO(text, newline="")))
    if tuple(rows[0]) != LEVELS:
        raise ValueError(f"unexpected header in {CATALOGUE_FILES[methodology]}: {rows[0]}")
    return Catalogue.from_crimes(methodology, tuple(tuple(row) for row in rows[1:]))


def tidy(text: str) -> str:
    """A name without leading, trailing or doubled spaces (tabs and NBSP count as spaces)."""
    return " ".join(text.split())


class Spellings:
    """Each spelling turned into the official one, with the rows it touched, for the report."""

    def __init__(self):
        self._rows: Counter[tuple[str, str, str]] = Counter()

    def note(self, column: str, original: str, official: str, rows: int) -> None:
        if original != official:
            self._rows[(column, original, official)] += rows

    def report(self) -> tuple[tuple[str, str, str, int], ...]:
        """``(column, original, official, rows)`` in the order they were first met."""
        return tuple((*key, rows) for key, rows in self._rows.items())


def match_crimes(
    crimes: Catalogue,
    found: Iterable[tuple[tuple[str, ...], int, int]],
    *,
    columns: tuple[tuple[int, str], ...],
    spellings: Spellings,
    path: Path,
    line: Callable[[int], int],
) -> list[tuple[int, Crime]]:
    """The catalogue position and official names of each spelling found in a file.

    ``found`` holds ``(names, rows, first row)`` per distinct spelling; ``columns`` the
    file's ``(position, name)`` of the four levels, and ``line`` turns a row into a file
    line, both for the error that names an unknown category.
    """
    matched = []
    for names, rows, first in found:
        order = crimes.order(names)
        if order is None:
            raise _unknown_crime(crimes, names, columns, path, line(first))
        official = crimes.crimes[order]
        for (_position, column), original, name in zip(columns, names, official, strict=True):
            spellings.note(column, original, name, rows)
        matched.append((order, official))
    return matched


def _unknown_crime(crimes: Catalogue, names, columns, path: Path, line: int) -> SourceError:
    depth = crimes.unknown_level(names)
    position, column = columns[depth]
    return SourceError(
        _(
            "Unknown crime category: %(column)s “%(name)s” (under %(within)s) is not in the "
            "SESNSP %(methodology)s catalogue, even ignoring case, accents and spaces."
        )
        % {
            "column": column,
            "name": names[depth],
            "within": " › ".join(names[:depth]) or _("the catalogue"),
            "methodology": crimes.methodology,
        },
        file=path,
        line=line,
        column=position,
        field=column,
    )


_PSEUDO_NAMES = frozenset({"otros municipios", "no especificado", "municipio no especificado"})


def is_pseudo_municipality(code: str, name: str) -> bool:
    """Whether a municipal row is one of SESNSP's catch-alls rather than an INEGI municipality.

    SESNSP codes them ``XX998``/``XX999`` or names them "Otros municipios" / "No
    especificado"; they are kept, because state totals include them.
    """
    return code[-3:] in ("998", "999") or fold(name) in _PSEUDO_NAMES
