"""Private: neighbourhoods of Gi* — window sums on a grid, adjacency of areas."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from enum import StrEnum

import numpy as np
from scipy import sparse


class Neighbourhood(StrEnum):
    """Which cells are a cell's neighbours in Gi* (the cell itself always is)."""

    QUEEN = "queen"
    """The (2·radius + 1)² square around a cell (Moore neighbourhood)."""
    ROOK = "rook"
    """Cells at most ``radius`` steps away along rows and columns, |Δrow| + |Δcol| ≤ radius
    (von Neumann neighbourhood; the four-cell cross for radius 1)."""
    CUSTOM = "custom"
    """An adjacency given by the caller (:func:`gi_star`)."""


def window_sum(a: np.ndarray, kind: Neighbourhood, radius: int) -> np.ndarray:
    """Sum of ``a`` over each cell's window, zero outside the grid."""
    # Sums of width 2h + 1 along the columns for h = 0 .. radius, built one from another.
    rows = [a]
    running = a.copy()
    for h in range(1, radius + 1):
        running[:, h:] += a[:, :-h]
        running[:, :-h] += a[:, h:]
        if kind is Neighbourhood.ROOK or h == radius:
            rows.append(running.copy())
    if kind is Neighbourhood.QUEEN:
        band = rows[-1]
        total = band.copy()
        for d in range(1, radius + 1):
            total[d:] += band[:-d]
            total[:-d] += band[d:]
        return total
    # Rook: the row d steps away contributes its band of half-width radius - |d|.
    total = rows[radius].copy()
    for d in range(1, radius + 1):
        band = rows[radius - d]
        total[d:] += band[:-d]
        total[:-d] += band[d:]
    return total


def adjacency(neighbours: object, n: int) -> sparse.csr_array:
    """Binary n × n adjacency with every unit its own neighbour."""
    if sparse.issparse(neighbours):
        matrix = sparse.csr_array(neighbours)
        if matrix.shape != (n, n):
            raise ValueError(f"The adjacency is {matrix.shape}, not ({n}, {n}).")
        rows, cols = matrix.nonzero()
    else:
        if isinstance(neighbours, Mapping):
            items = list(neighbours.items())
        elif isinstance(neighbours, Sequence) and not isinstance(neighbours, str):
            if len(neighbours) != n:
                raise ValueError(f"Neighbour lists for {len(neighbours)} units, not {n}.")
            items = list(enumerate(neighbours))
        else:
            raise ValueError("Neighbours are a sparse matrix, a sequence or a mapping.")
        rows_list, cols_list = [], []
        for unit, near in items:
            near = np.asarray(list(near), dtype=np.int64)
            rows_list.append(np.full(near.size, int(unit), dtype=np.int64))
            cols_list.append(near)
        rows = np.concatenate(rows_list) if rows_list else np.empty(0, dtype=np.int64)
        cols = np.concatenate(cols_list) if cols_list else np.empty(0, dtype=np.int64)
        if rows.size and (min(rows.min(), cols.min()) < 0 or max(rows.max(), cols.max()) >= n):
            raise ValueError(f"A neighbour index is outside 0..{n - 1}.")
    diagonal = np.arange(n)
    matrix = sparse.csr_array(
        (
            np.ones(rows.size + n),
            (np.concatenate([rows, diagonal]), np.concatenate([cols, diagonal])),
        ),
        shape=(n, n),
    )
    matrix.sum_duplicates()
    matrix.data[:] = 1.0
    return matrix


def check_neighbourhood(value: str, *, grid: bool) -> Neighbourhood:
    try:
        kind = Neighbourhood(value)
    except ValueError:
        kind = None
    if kind is None or (grid and kind is Neighbourhood.CUSTOM):
        raise ValueError(f'A grid neighbourhood is "queen" or "rook", not {value!r}.')
    return kind


def check_radius(radius: int) -> int:
    if isinstance(radius, bool) or int(radius) != radius or radius < 1:
        raise ValueError(f"A window radius is a whole number of cells, 1 or more: {radius}.")
    return int(radius)
