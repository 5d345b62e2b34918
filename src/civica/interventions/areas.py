"""The places an evaluation compares: target, comparison and the buffer ring around the target.

Geometry is worked in EPSG:6372 (metres), the CRS the incident layers store ``x``/``y`` in, so
a buffer of 500 m is 500 m on the ground. A shared border between two sectors is not an
overlap; anything larger than :data:`OVERLAP_M2` is.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civica.interventions.errors import EvaluationError
from civica.territory.assign import project_geometries
from civica.territory.geometry import from_geojson_text
from civica.territory.models import Sector

OVERLAP_M2 = 100.0
"""Intersections smaller than this (slivers from simplified boundaries) are not overlaps."""


@dataclass(frozen=True)
class Area:
    """A set of sectors (or cuadrantes) as one projected shape.

    Incidents are counted by their coordinates, not by the sector ids placed at ingest, so an
    area of any sector layer works with any incident layer of the same place.
    """

    names: tuple[str, ...]
    shape: shapely.Geometry | None  # projected union, None when there are no sectors
    parts: tuple[shapely.Geometry, ...] = ()  # each sector's projected shape, as ``names``

    @property
    def size(self) -> int:
        return len(self.names)

    def contains(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        return _inside(self.shape, x, y)

    def part_masks(self, x: np.ndarray, y: np.ndarray) -> list[np.ndarray]:
        """One mask per sector, in the order of ``names``."""
        return [_inside(part, x, y) for part in self.parts]


def area_of(sectors: list[Sector]) -> Area:
    sectors = sorted(
        (s for s in sectors if from_geojson_text(s.geometry) is not None), key=lambda s: s.name
    )
    projected = project_geometries([from_geojson_text(s.geometry) for s in sectors])
    return Area(
        names=tuple(s.name for s in sectors),
        shape=shapely.union_all(projected) if len(projected) else None,
        parts=tuple(projected),
    )


def buffer_ring(target: Area, metres: int) -> shapely.Geometry:
    """The ring of ``metres`` around the target, without the target itself."""
    return shapely.difference(shapely.buffer(target.shape, metres), target.shape)


def check_apart(target: Area, comparison: Area, ring: shapely.Geometry | None) -> None:
    """Refuse comparison areas that overlap the target or the buffer ring.

    An overlapping comparison area would count the same incidents on both sides of the ratio
    (or count displaced crime as the counterfactual), biasing the effect toward zero.
    """
    if comparison.shape is None or target.shape is None:
        return
    shared = shapely.intersection(comparison.shape, target.shape).area
    if shared > OVERLAP_M2:
        raise EvaluationError(
            _(
                "The comparison sectors overlap the target sectors by %(km2).2f km²; choose "
                "comparison sectors that do not cover the target area."
            )
            % {"km2": shared / 1e6}
        )
    if ring is not None:
        shared = shapely.intersection(comparison.shape, ring).area
        if shared > OVERLAP_M2:
            raise EvaluationError(
                _(
                    "The comparison sectors overlap the buffer ring around the target by "
                    "%(km2).2f km²: displaced crime would be counted as the comparison. Choose "
                    "comparison sectors farther away or make the buffer narrower."
                )
                % {"km2": shared / 1e6}
            )


ADJACENT_M = 1.0
"""Comparison sectors closer than this to the target share a border with it."""


def comparison_problems(
    target: Area, comparison: Area, buffer_metres: int | None
) -> list[tuple[str, tuple[str, ...]]]:
    """Which comparison sectors break which spatial rule, as ``(rule, sector names)``.

    Rules: ``overlaps_target`` (they would count the target's incidents on both sides),
    ``overlaps_buffer`` (displaced crime would be counted as the counterfactual) and, without a
    buffer, ``adjacent_to_target`` (bordering sectors receive displaced crime or share the
    benefit, so the comparison would move with the target).
    """
    if target.shape is None or not comparison.size:
        return []
    ring = buffer_ring(target, buffer_metres) if buffer_metres else None
    found: dict[str, list[str]] = {}
    for name, part in zip(comparison.names, comparison.parts, strict=True):
        if shapely.intersection(part, target.shape).area > OVERLAP_M2:
            found.setdefault("overlaps_target", []).append(name)
        elif ring is not None and shapely.intersection(part, ring).area > OVERLAP_M2:
            found.setdefault("overlaps_buffer", []).append(name)
        elif ring is None and shapely.distance(part, target.shape) < ADJACENT_M:
            found.setdefault("adjacent_to_target", []).append(name)
    return [(rule, tuple(names)) for rule, names in found.items()]


def _inside(shape: shapely.Geometry | None, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    inside = np.zeros(len(x), dtype=bool)
    if shape is None:
        return inside
    ok = ~(np.isnan(x) | np.isnan(y))
    shapely.prepare(shape)
    inside[ok] = shapely.contains_xy(shape, x[ok], y[ok])
    return inside


def in_ring(ring: shapely.Geometry, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    return _inside(ring, x, y)


_RULE_MESSAGES = {
    "overlaps_target": gettext_lazy(
        "These comparison sectors overlap the target sectors: %(sectors)s. Choose comparison "
        "sectors that do not cover the target area."
    ),
    "overlaps_buffer": gettext_lazy(
        "These comparison sectors overlap the %(metres)s m buffer ring around the target, so "
        "displaced crime would be counted as the comparison: %(sectors)s. Choose sectors "
        "farther away or a narrower buffer."
    ),
    "adjacent_to_target": gettext_lazy(
        "These comparison sectors border the target sectors: %(sectors)s. Crime displaced from "
        "the target (or its benefits) would move them too. Choose sectors that do not touch "
        "the target, or set a buffer to measure displacement there."
    ),
}


def comparison_rule_errors(targets, comparison, buffer_metres) -> list[tuple[str, ValidationError]]:
    """The spatial rules of a design with comparison sectors, as model-form errors that name
    the sectors breaking each rule (checked when the design is saved, not at evaluation)."""
    targets = list(targets)
    ids = {s.pk for s in targets}
    # A comparison sector that is a target is the model's rule (said once, there).
    others = [s for s in comparison if s.pk not in ids]
    problems = comparison_problems(area_of(targets), area_of(others), buffer_metres)
    return [
        (
            "comparison_sectors",
            ValidationError(
                _RULE_MESSAGES[rule],
                code=f"comparison_{rule}",
                params={"sectors": ", ".join(names), "metres": buffer_metres},
            ),
        )
        for rule, names in problems
    ]
