"""The study area of a grid analysis: the municipalities in scope, not the points' rectangle.

Hot spots compare each cell with the mean of the study area. Over the rectangle that holds
the points, much of that rectangle can lie outside the city (47% of the cells in one
example): empty cells that are not places where incidents could be recorded pull the mean
down and make ordinary cells look hot. The study area is therefore the municipalities the
layer covers within the user's scope (one municipality when the selection names it), as
the cells that overlap them; the rectangle of the points is used only when a municipality
has no boundary, and the result says so.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from civica.incidents.selectors import Selection, layer_municipalities
from civica.stats import Grid
from civica.territory.assign import project_geometries
from civica.territory.geometry import from_geojson_text
from civica.territory.models import Municipality

__all__ = ["StudyArea", "overlapping", "study_area"]


@dataclass(frozen=True, eq=False)
class StudyArea:
    """A grid over the study area and the cells that belong to it.

    ``mask`` is True for the cells that overlap the municipalities (None: every cell of the
    grid, when the area fell back to the points' rectangle); ``notes`` say how the area was
    drawn when it is not the municipalities, and how many incidents lie outside it.
    """

    grid: Grid
    mask: np.ndarray | None
    municipalities: tuple[str, ...]
    notes: tuple[str, ...]

    @property
    def cells(self) -> np.ndarray:
        """Flat indices (``row * n_cols + col``) of the cells in the study area."""
        if self.mask is None:
            return np.arange(self.grid.n_cells)
        return np.flatnonzero(self.mask.ravel())

    def count(self, x, y) -> np.ndarray:
        """Counts on this grid with NaN outside the study area (what Gi* takes)."""
        counts = self.grid.count(x, y).astype(float)
        if self.mask is not None:
            counts[~self.mask] = np.nan
        return counts

    def outside(self, x, y) -> int:
        """Incidents that fall outside the study area's cells."""
        row, col = self.grid.locate(x, y)
        inside = row >= 0
        if self.mask is not None:
            inside[inside] = self.mask[row[inside], col[inside]]
        return int((~inside).sum())


def overlapping(union, grid: Grid) -> np.ndarray:
    """The cells of ``grid`` that hold land of ``union``: that overlap it, not only share an
    edge or a corner with its boundary (``intersects`` and not ``touches``, of each cell's
    square), as a boolean array of the grid's shape.

    Only the cells near the boundary are tested as squares. The boundary is cut into pieces
    of at most half a cell, so a piece lies within the 3 × 3 cells around the cell of its
    first vertex; every other cell is wholly inside or wholly outside, like every cell joined
    to it by edges without crossing the boundary: one centre per such region decides. (Every
    cell's square at 50 m over a city took seconds: a million squares.)
    """
    from scipy import ndimage

    size = grid.cell_size
    vertices = shapely.get_coordinates(shapely.segmentize(shapely.boundary(union), size / 2))
    row = np.floor((vertices[:, 1] - grid.y_min) / size).astype(np.int64)
    col = np.floor((vertices[:, 0] - grid.x_min) / size).astype(np.int64)
    near = np.zeros(grid.shape, dtype=bool)
    near[np.clip(row, 0, grid.n_rows - 1), np.clip(col, 0, grid.n_cols - 1)] = True
    near = ndimage.binary_dilation(near, structure=np.ones((3, 3), dtype=bool))
    mask = np.zeros(grid.shape, dtype=bool)
    rows, cols = np.nonzero(near)
    left, bottom = grid.x_min + cols * size, grid.y_min + rows * size
    boxes = shapely.box(left, bottom, left + size, bottom + size)
    shapely.prepare(union)
    # A cell that only shares an edge or a corner with the boundary holds no land of it.
    mask[rows, cols] = shapely.intersects(union, boxes) & ~shapely.touches(union, boxes)
    regions, n = ndimage.label(~near)
    if n:
        labels, first = np.unique(regions.ravel(), return_index=True)
        first = first[labels > 0]
        r, c = np.divmod(first, grid.n_cols)
        inside = np.zeros(n + 1, dtype=bool)
        inside[labels[labels > 0]] = shapely.contains_xy(
            union, grid.x_min + (c + 0.5) * size, grid.y_min + (r + 0.5) * size
        )
        mask[~near] = inside[regions[~near]]
    return mask


def study_area(user, selection: Selection, x, y, *, cell_size: float) -> StudyArea:
    """The grid of ``cell_size`` metres over the selection's municipalities, with its mask.

    ``x`` and ``y`` are the incidents' projected coordinates (EPSG:6372). Every incident of
    the layer in scope is in one of these municipalities, unless it was placed in none (then
    it is outside the study area and a note counts it).
    """
    codes = layer_municipalities(user, selection)
    rows = dict(
        Municipality.objects.filter(cvegeo__in=codes)
        .with_boundary()
        .values_list("cvegeo", "geometry")
    )
    missing = sorted(set(codes) - set(rows))
    if not codes or missing:
        grid = Grid.build(x, y, cell_size=cell_size)
        note = (
            _(
                "The study area is the rectangle around the incidents, because municipalities "
                "%(codes)s have no boundary: import them (civica territory import-municipalities) "
                "so empty land outside the city does not make ordinary cells look hot."
            )
            % {"codes": ", ".join(missing)}
            if missing
            else _(
                "The study area is the rectangle around the incidents, because they were "
                "placed in no municipality."
            )
        )
        return StudyArea(grid, None, tuple(codes), (note,))
    shapes = project_geometries([from_geojson_text(rows[code]) for code in codes])
    union = shapely.union_all(shapes)
    grid = Grid.build(x, y, cell_size=cell_size, bounds=union.bounds)
    mask = overlapping(union, grid)
    area = StudyArea(grid, mask, tuple(codes), ())
    outside = area.outside(x, y)
    if outside:
        area = StudyArea(
            grid,
            mask,
            tuple(codes),
            (
                ngettext(
                    "%(n)d incident lies outside the municipalities of the study area and is "
                    "left out.",
                    "%(n)d incidents lie outside the municipalities of the study area and are "
                    "left out.",
                    outside,
                )
                % {"n": outside},
            ),
        )
    return area
