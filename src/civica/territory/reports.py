"""What an import did: counts and the items a person should look at, as readable lines."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext, ngettext_lazy

__all__ = ["ImportReport"]


@dataclass(frozen=True)
class ImportReport:
    """What an import did, in counts, plus the items a person should look at."""

    subject: str
    """``"states"``, ``"municipalities"``, ``"population"`` or ``"sectors"``."""
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    layer: str = ""
    repaired: tuple[str, ...] = ()
    """Invalid polygons rebuilt on request: ``"829 (O-3.5.10): Self-intersection[…]"``."""
    without_boundary: tuple[str, ...] = ()
    """Municipalities (``"02007 San Felipe"``) with no polygon after the import."""
    created_areas: tuple[str, ...] = ()
    """States and municipalities the population import had to create."""
    missing_from_file: tuple[str, ...] = ()
    """Sectors of the layer that the file no longer has."""
    located_by_overlap: tuple[str, ...] = ()
    """Polygons whose representative point is outside every municipality (see sectors)."""

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged

    def lines(self) -> list[str]:
        """The summary a person reads after an import, one finding per line."""
        counts = {"created": self.created, "updated": self.updated, "unchanged": self.unchanged}
        lines = [
            _heading(self.subject, self.total, self.layer)
            + ": "
            + _("%(created)d created, %(updated)d updated, %(unchanged)d unchanged") % counts
        ]
        notes = (
            (self.repaired, _REPAIRED),
            (self.created_areas, _CREATED_AREAS),
            (
                self.without_boundary,
                _WITHOUT_POPULATION_BOUNDARY if self.subject == "population" else _WITHOUT_BOUNDARY,
            ),
            (self.located_by_overlap, _BY_OVERLAP),
            (self.missing_from_file, _REMOVED if self.removed else _KEPT),
        )
        for items, message in notes:
            if items:
                lines.append(message % {"n": len(items), "items": _listing(items)})
        return lines


_REPAIRED = ngettext_lazy(
    "%(n)d invalid polygon was repaired: %(items)s",
    "%(n)d invalid polygons were repaired: %(items)s",
    "n",
)
_CREATED_AREAS = ngettext_lazy(
    "%(n)d area was created from the population table: %(items)s",
    "%(n)d areas were created from the population table: %(items)s",
    "n",
)
_WITHOUT_POPULATION_BOUNDARY = ngettext_lazy(
    "%(n)d municipality has population but no boundary: %(items)s",
    "%(n)d municipalities have population but no boundary: %(items)s",
    "n",
)
_WITHOUT_BOUNDARY = ngettext_lazy(
    "%(n)d municipality has no boundary: %(items)s",
    "%(n)d municipalities have no boundary: %(items)s",
    "n",
)
_BY_OVERLAP = ngettext_lazy(
    "%(n)d polygon lies partly outside the municipal boundaries and went to the "
    "municipality it overlaps most: %(items)s",
    "%(n)d polygons lie partly outside the municipal boundaries and went to the "
    "municipality they overlap most: %(items)s",
    "n",
)
_REMOVED = ngettext_lazy(
    "%(n)d sector missing from the file was removed: %(items)s",
    "%(n)d sectors missing from the file were removed: %(items)s",
    "n",
)
_KEPT = ngettext_lazy(
    "%(n)d sector is missing from the file and was kept (remove it with --remove-missing): "
    "%(items)s",
    "%(n)d sectors are missing from the file and were kept (remove them with "
    "--remove-missing): %(items)s",
    "n",
)


def _heading(subject: str, n: int, layer: str) -> str:
    if subject == "states":
        return ngettext("%(n)d state", "%(n)d states", n) % {"n": n}
    if subject == "municipalities":
        return ngettext("%(n)d municipality", "%(n)d municipalities", n) % {"n": n}
    if subject == "population":
        return ngettext("%(n)d population estimate", "%(n)d population estimates", n) % {"n": n}
    return ngettext(
        "%(n)d sector in layer “%(layer)s”", "%(n)d sectors in layer “%(layer)s”", n
    ) % {"n": n, "layer": layer}


def _listing(items: tuple[str, ...], limit: int = 20) -> str:
    shown = ", ".join(items[:limit])
    if len(items) > limit:
        shown += " " + _("and %(n)d more") % {"n": len(items) - limit}
    return shown
