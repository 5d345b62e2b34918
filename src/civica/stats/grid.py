"""A regular grid of square cells over projected points, and the count of points per cell.

Hot spots (:mod:`~civica.stats.hotspots`) and density surfaces (:mod:`~civica.stats.kde`)
start from the same thing: incidents counted in square cells of a fixed size. Coordinates
are projected, in metres (EPSG:6372, INEGI's Lambert conformal conic for Mexico, or the
UTM zone of the city); the caller projects longitude and latitude before building a grid.

Orientation: ``counts[row, col]`` with ``row`` 0 the **southernmost** row (``y`` grows
with the row) and ``col`` 0 the westernmost column, the order of
``libpysal.weights.lat2W`` ids (``row * n_cols + col``). To draw the counts as an image with
north up, flip the rows (``counts[::-1]``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from civica.stats._notes import read_only

__all__ = ["DEFAULT_MAX_CELLS", "Grid"]

DEFAULT_MAX_CELLS = 4_000_000
"""Largest grid :meth:`Grid.build` makes unless told otherwise (2,000 × 2,000 cells: 100 m
cells over a 200 km square; about 32 MB per array of floats)."""


@dataclass(frozen=True, eq=False)
class Grid:
    """Square cells of side ``cell_size`` metres and the points counted in them.

    Build one with :meth:`Grid.build`. Cells are half-open, ``[left, right) × [bottom,
    top)``, except that the last column and the last row also hold the points on the grid's
    east and north edges.

    Attributes
    ----------
    x_min, y_min : float
        South-west corner of the grid (a multiple of ``cell_size`` away from the origin).
    cell_size : float
        Side of a cell, in the units of the coordinates (metres).
    n_rows, n_cols : int
        Rows (south to north) and columns (west to east).
    row, col : numpy.ndarray
        Cell of each point given to :meth:`build`, in input order; -1 for a point with a
        missing coordinate or outside the grid.
    counts : numpy.ndarray
        ``(n_rows, n_cols)`` int64 array: points per cell (row 0 is the south).
    n_outside : int
        Points with both coordinates but outside the grid (only when ``bounds`` was given).
    n_missing : int
        Points with a missing (NaN) coordinate.
    """

    x_min: float
    y_min: float
    cell_size: float
    n_rows: int
    n_cols: int
    row: np.ndarray
    col: np.ndarray
    counts: np.ndarray
    n_outside: int
    n_missing: int

    @classmethod
    def build(
        cls,
        x: object,
        y: object,
        *,
        cell_size: float,
        bounds: tuple[float, float, float, float] | None = None,
        origin: tuple[float, float] | None = None,
        max_cells: int = DEFAULT_MAX_CELLS,
    ) -> Grid:
        """Lay a grid over projected points and count the points in each cell.

        Parameters
        ----------
        x, y : array_like
            Projected coordinates in metres (easting, northing), one pair per point; NaN
            marks a point without coordinates (it is counted in ``n_missing``).
        cell_size : float
            Side of the square cells, in metres.
        bounds : (x_min, y_min, x_max, y_max), optional
            Area to cover, e.g. the municipality's projected bounding box; points outside
            are counted in ``n_outside``. Defaults to the extent of the points. Use the
            same bounds (and origin) for every period that will be compared.
        origin : (x, y), optional
            A point on the cell lattice: cell edges lie at ``origin + k × cell_size``.
            The bounds are widened to the nearest lattice lines. Defaults to (0, 0), so
            two grids with the same cell size always share their cell edges.
        max_cells : int, default 4,000,000
            Refuse, before allocating anything, a grid with more cells than this.

        Returns
        -------
        Grid

        Raises
        ------
        ValueError
            For a non-positive cell size, bounds with no area, no points with coordinates
            and no bounds, coordinate arrays of different lengths, or a grid larger than
            ``max_cells``.

        Examples
        --------
        >>> grid = Grid.build([10.0, 620.0, 640.0], [10.0, 30.0, 990.0], cell_size=500)
        >>> grid.shape, grid.counts.tolist()
        ((2, 2), [[1, 1], [0, 1]])
        """
        size = float(cell_size)
        if not (math.isfinite(size) and size > 0):
            raise ValueError(f"A cell size is a positive number of metres, not {cell_size}.")
        xs, ys = _coordinates(x, y)
        known = ~(np.isnan(xs) | np.isnan(ys))
        if bounds is None:
            if not known.any():
                raise ValueError("No point has coordinates: give the bounds of the grid.")
            left, bottom = float(xs[known].min()), float(ys[known].min())
            right, top = float(xs[known].max()), float(ys[known].max())
        else:
            left, bottom, right, top = (float(v) for v in bounds)
            if not all(math.isfinite(v) for v in (left, bottom, right, top)):
                raise ValueError(f"Bounds are finite numbers, not {bounds}.")
            if right <= left or top <= bottom:
                raise ValueError(
                    f"Bounds are (x_min, y_min, x_max, y_max) with an area, not {bounds}."
                )
        ox, oy = (0.0, 0.0) if origin is None else (float(origin[0]), float(origin[1]))
        x_min = ox + math.floor((left - ox) / size) * size
        y_min = oy + math.floor((bottom - oy) / size) * size
        n_cols = max(1, math.ceil((right - x_min) / size))
        n_rows = max(1, math.ceil((top - y_min) / size))
        if n_rows * n_cols > max_cells:
            raise ValueError(
                f"A grid of {size:g} m cells over {right - left:,.0f} × {top - bottom:,.0f} m "
                f"would have {n_rows:,} × {n_cols:,} = {n_rows * n_cols:,} cells, more than "
                f"the maximum of {max_cells:,}: use larger cells, smaller bounds or a larger "
                "max_cells."
            )
        row, col = _locate(xs, ys, x_min, y_min, size, n_rows, n_cols)
        inside = row >= 0
        flat = row[inside] * n_cols + col[inside]
        counts = np.bincount(flat, minlength=n_rows * n_cols).reshape(n_rows, n_cols)
        return cls(
            x_min=x_min,
            y_min=y_min,
            cell_size=size,
            n_rows=n_rows,
            n_cols=n_cols,
            row=read_only(row),
            col=read_only(col),
            counts=read_only(counts.astype(np.int64)),
            n_outside=int((known & ~inside).sum()),
            n_missing=int((~known).sum()),
        )

    @property
    def shape(self) -> tuple[int, int]:
        """``(n_rows, n_cols)``."""
        return (self.n_rows, self.n_cols)

    @property
    def n_cells(self) -> int:
        return self.n_rows * self.n_cols

    @property
    def cell_area(self) -> float:
        """Area of one cell in square metres."""
        return self.cell_size * self.cell_size

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        """``(x_min, y_min, x_max, y_max)`` of the whole grid."""
        return (
            self.x_min,
            self.y_min,
            self.x_min + self.n_cols * self.cell_size,
            self.y_min + self.n_rows * self.cell_size,
        )

    @property
    def cell_index(self) -> np.ndarray:
        """Flat cell index of each point (``row * n_cols + col``, as ``lat2W``), or -1."""
        return read_only(np.where(self.row >= 0, self.row * self.n_cols + self.col, -1))

    def locate(self, x: object, y: object) -> tuple[np.ndarray, np.ndarray]:
        """Row and column of the cell of each point; -1 outside the grid or when missing."""
        xs, ys = _coordinates(x, y)
        return _locate(xs, ys, self.x_min, self.y_min, self.cell_size, self.n_rows, self.n_cols)

    def count(self, x: object, y: object) -> np.ndarray:
        """Points per cell of this grid for other points (another period, another crime).

        Points outside the grid or without coordinates are left out.
        """
        row, col = self.locate(x, y)
        inside = row >= 0
        flat = row[inside] * self.n_cols + col[inside]
        counts = np.bincount(flat, minlength=self.n_cells).reshape(self.shape)
        return read_only(counts.astype(np.int64))

    def centres(self) -> tuple[np.ndarray, np.ndarray]:
        """Centres of the columns (``n_cols`` eastings) and of the rows (``n_rows`` northings)."""
        half = self.cell_size / 2
        xs = self.x_min + np.arange(self.n_cols) * self.cell_size + half
        ys = self.y_min + np.arange(self.n_rows) * self.cell_size + half
        return read_only(xs), read_only(ys)

    def cell_bounds(self, row: int, col: int) -> tuple[float, float, float, float]:
        """``(x_min, y_min, x_max, y_max)`` of one cell, e.g. for ``shapely.box``."""
        if not (0 <= row < self.n_rows and 0 <= col < self.n_cols):
            raise IndexError(f"No cell ({row}, {col}) in a {self.n_rows} × {self.n_cols} grid.")
        left = self.x_min + col * self.cell_size
        bottom = self.y_min + row * self.cell_size
        return (left, bottom, left + self.cell_size, bottom + self.cell_size)

    def cells(self, indices: np.ndarray | None = None) -> pd.DataFrame:
        """Every cell (or only the flat ``indices``, e.g. a study area's: at 50 m the grid
        over a city holds two million cells) with its bounds and count, in the order asked.

        Columns ``row``, ``col``, ``x_min``, ``y_min``, ``x_max``, ``y_max`` and ``count``;
        the index is the flat cell index ``row * n_cols + col``. Polygons for a GeoJSON or
        GeoPackage file: ``shapely.box(frame.x_min, frame.y_min, frame.x_max, frame.y_max)``.
        """
        every = indices is None
        flat = np.arange(self.n_cells) if every else np.asarray(indices)
        rows, cols = np.divmod(flat, self.n_cols)
        left = self.x_min + cols * self.cell_size
        bottom = self.y_min + rows * self.cell_size
        counts = np.asarray(self.counts).ravel()
        return pd.DataFrame(
            {
                "row": rows,
                "col": cols,
                "x_min": left,
                "y_min": bottom,
                "x_max": left + self.cell_size,
                "y_max": bottom + self.cell_size,
                "count": counts if every else counts[flat],
            },
            index=pd.RangeIndex(self.n_cells, name="cell")
            if every
            else pd.Index(flat, name="cell"),
        )


def _coordinates(x: object, y: object) -> tuple[np.ndarray, np.ndarray]:
    xs = np.asarray(x, dtype=float).ravel()
    ys = np.asarray(y, dtype=float).ravel()
    if xs.shape != ys.shape:
        raise ValueError(f"{xs.size} x coordinates for {ys.size} y coordinates.")
    if np.isinf(xs).any() or np.isinf(ys).any():
        raise ValueError("A coordinate is infinite.")
    return xs, ys


def _locate(
    xs: np.ndarray,
    ys: np.ndarray,
    x_min: float,
    y_min: float,
    size: float,
    n_rows: int,
    n_cols: int,
) -> tuple[np.ndarray, np.ndarray]:
    x_max = x_min + n_cols * size
    y_max = y_min + n_rows * size
    with np.errstate(invalid="ignore"):
        inside = (xs >= x_min) & (xs <= x_max) & (ys >= y_min) & (ys <= y_max)
        col = np.floor((np.where(inside, xs, x_min) - x_min) / size)
        row = np.floor((np.where(inside, ys, y_min) - y_min) / size)
    # The east and north edges belong to the last column and row; rounding can put a point
    # a hair past an edge, never outside the bounds tested above.
    col = np.clip(col, 0, n_cols - 1).astype(np.int64)
    row = np.clip(row, 0, n_rows - 1).astype(np.int64)
    return np.where(inside, row, -1), np.where(inside, col, -1)
