"""Kernel density surfaces of incidents on a grid.

A kernel density surface spreads each incident over the cells within ``bandwidth`` metres
of it, more to near cells than to far ones, and adds the spreads up: a smooth picture of
where incidents concentrate. The bandwidth, not the cell size, sets how smooth the surface
is; a bandwidth no larger than a cell gives back the cell counts, which is why the result
carries a warning then.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
from scipy import signal

from civica.stats._notes import Note, read_only
from civica.stats.grid import DEFAULT_MAX_CELLS, Grid

__all__ = ["DensityUnits", "KdeSurface", "Kernel", "kde_surface"]

_GAUSSIAN_SUPPORT = 4.0  # bandwidths: the Gaussian kernel is cut at 4 h (1e-4 of its peak)
_LEAK_NOTE = 0.01


class Kernel(StrEnum):
    """The shape that spreads each incident over nearby cells."""

    QUARTIC = "quartic"
    """Biweight, :math:`\\frac{3}{\\pi h^2}(1 - d^2/h^2)^2` for :math:`d < h`, else 0
    (ArcGIS Kernel Density, CrimeStat)."""
    GAUSSIAN = "gaussian"
    """:math:`\\frac{1}{2\\pi h^2}\\exp(-d^2 / 2h^2)`, cut at :math:`d = 4h`."""


class DensityUnits(StrEnum):
    """What a value of the density surface counts."""

    PER_KM2 = "per_km2"
    """Incidents per square kilometre."""
    PER_CELL = "per_cell"
    """Incidents per cell (the smoothed count)."""


@dataclass(frozen=True, eq=False)
class KdeSurface:
    """A density per cell, shaped like the grid (``density[row, col]``, row 0 south).

    Attributes
    ----------
    density : numpy.ndarray
        ``(n_rows, n_cols)`` density in ``units``.
    units : DensityUnits
    kernel : Kernel
    bandwidth : float
        Metres.
    cell_size : float
        Metres.
    n_points : int
        Points counted (inside the grid, with coordinates).
    n_left_out : int
        Points outside the grid or without coordinates.
    mass_in_grid : float
        Share of the points' kernel mass that falls on the grid (1 when no kernel reaches
        past an edge); ``density.sum() × cell area = mass_in_grid × n_points``.
    warnings : tuple of Note
        ``bandwidth_below_cell`` (the surface is just the counts), ``bandwidth_below_2_cells``
        (a blocky surface), ``mass_outside`` (more than 1% of the mass lost at the edges),
        ``points_left_out``.
    """

    density: np.ndarray
    units: DensityUnits
    kernel: Kernel
    bandwidth: float
    cell_size: float
    n_points: int
    n_left_out: int
    mass_in_grid: float
    warnings: tuple[Note, ...]


def kde_surface(
    x: object,
    y: object,
    *,
    grid: Grid,
    bandwidth: float,
    kernel: str = "quartic",
    units: str = "per_km2",
) -> KdeSurface:
    """Kernel density of points on the cells of a grid.

    Each point is first counted in its cell (moved to the cell's centre); the counts are
    then convolved (FFT) with the kernel sampled at the offsets between cell centres,
    normalised to sum 1. So every point inside the grid adds exactly one incident of mass,
    apart from what falls past the grid's edges.

    Parameters
    ----------
    x, y : array_like
        Projected coordinates of the points, in the grid's metres.
    grid : Grid
        The cells of the surface (:meth:`Grid.build
        <civica.stats.grid.Grid.build>`); widen its bounds by the bandwidth to avoid edge
        losses.
    bandwidth : float
        Kernel radius in metres for ``"quartic"`` (the density is 0 beyond it); the
        standard deviation for ``"gaussian"``.
    kernel : {"quartic", "gaussian"}, default "quartic"
    units : {"per_km2", "per_cell"}, default "per_km2"
        Incidents per square kilometre, or per cell (the smoothed count).

    Returns
    -------
    KdeSurface

    Raises
    ------
    ValueError
        For a bandwidth that is not a positive number, an unknown kernel or unit, or a
        kernel window with more cells than the largest grid (4,000,000).

    Notes
    -----
    Binning moves each point by at most :math:`\\tfrac{\\sqrt2}{2}` cell sizes; against a
    kernel of bandwidth :math:`h \\ge 2c` the error in the density is small, and the
    normalised discrete kernel keeps the total exact. With :math:`h < c` the quartic kernel
    has no weight outside the point's own cell, and the surface is the count per cell
    divided by the cell area: the result then carries a warning, and a softer one for
    :math:`h < 2c`. No bandwidth is chosen automatically: choose one on the scale of the
    places studied (a few hundred metres for street robbery), state it, and compare
    surfaces only at the same bandwidth.

    References
    ----------
    .. [1] Silverman, B. W. (1986). *Density Estimation for Statistics and Data Analysis*,
       §4.2, eq. 4.5 (the bivariate biweight kernel). Chapman & Hall.
    .. [2] Chainey, S., Tompson, L., & Uhlig, S. (2008). The utility of hotspot mapping for
       predicting spatial patterns of crime. *Security Journal* 21, 4–28.
       https://doi.org/10.1057/palgrave.sj.8350066
    .. [3] Wand, M. P., & Jones, M. C. (1995). *Kernel Smoothing*, §2.6 (binned
       approximations). Chapman & Hall.

    Examples
    --------
    >>> grid = Grid.build([0.0], [0.0], cell_size=100, bounds=(-1000, -1000, 1000, 1000))
    >>> surface = kde_surface([0.0], [0.0], grid=grid, bandwidth=300)
    >>> round(float(surface.density.sum() * grid.cell_area / 1e6), 6)
    1.0
    """
    h = float(bandwidth)
    if not (math.isfinite(h) and h > 0):
        raise ValueError(f"A bandwidth is a positive number of metres, not {bandwidth}.")
    kind = _choice(Kernel, kernel, "kernel")
    unit = _choice(DensityUnits, units, "unit")
    counts = np.asarray(grid.count(x, y), dtype=float)
    n_given = np.asarray(x, dtype=float).size
    n_points = int(counts.sum())
    weights = _kernel(kind, h, grid.cell_size)
    if n_points:
        smoothed = signal.fftconvolve(counts, weights, mode="same")
        # FFT round-off leaves tiny negative values where the density is 0.
        smoothed = np.where(smoothed < 1e-12 * n_points, 0.0, smoothed)
    else:
        smoothed = np.zeros(grid.shape)
    mass = float(smoothed.sum() / n_points) if n_points else 1.0
    if unit is DensityUnits.PER_KM2:
        smoothed /= grid.cell_area / 1e6
    return KdeSurface(
        density=read_only(smoothed),
        units=unit,
        kernel=kind,
        bandwidth=h,
        cell_size=grid.cell_size,
        n_points=n_points,
        n_left_out=n_given - n_points,
        mass_in_grid=min(mass, 1.0),
        warnings=_warnings(h, grid.cell_size, mass, n_given - n_points),
    )


def _kernel(kind: Kernel, h: float, cell: float) -> np.ndarray:
    support = h if kind is Kernel.QUARTIC else _GAUSSIAN_SUPPORT * h
    reach = math.floor(support / cell)
    if (2 * reach + 1) ** 2 > DEFAULT_MAX_CELLS:
        raise ValueError(
            f"A {h:g} m bandwidth on {cell:g} m cells needs a kernel of "
            f"{2 * reach + 1:,} × {2 * reach + 1:,} cells: use larger cells."
        )
    offsets = np.arange(-reach, reach + 1) * cell
    d2 = offsets[:, None] ** 2 + offsets[None, :] ** 2
    if kind is Kernel.QUARTIC:
        u2 = d2 / (h * h)
        values = np.where(u2 < 1, 3 / (math.pi * h * h) * (1 - u2) ** 2, 0.0)
    else:
        values = np.exp(-d2 / (2 * h * h)) / (2 * math.pi * h * h)
        values[d2 > support * support] = 0.0
    # The centre weight is never 0, so the normalised kernel always sums to 1.
    return values / values.sum()


def _warnings(h: float, cell: float, mass: float, left_out: int) -> tuple[Note, ...]:
    notes = []
    if h < cell:
        notes.append(
            Note(
                "bandwidth_below_cell",
                f"The bandwidth ({h:g} m) is smaller than the cell size ({cell:g} m): the "
                "surface is little more than the count per cell, not a smoothed density. "
                f"Use a bandwidth of at least {2 * cell:g} m (twice the cell size) or "
                "smaller cells.",
                {"bandwidth": h, "cell": cell, "suggested": 2 * cell},
            )
        )
    elif h < 2 * cell:
        notes.append(
            Note(
                "bandwidth_below_2_cells",
                f"The bandwidth ({h:g} m) is less than twice the cell size ({cell:g} m): "
                "the kernel covers few cells and the surface is blocky.",
                {"bandwidth": h, "cell": cell},
            )
        )
    if mass < 1 - _LEAK_NOTE:
        notes.append(
            Note(
                "mass_outside",
                f"{1 - mass:.1%} of the density falls outside the grid: widen its bounds by "
                "the bandwidth so that places near the edge are not understated.",
                {"percent": (1 - mass) * 100},
            )
        )
    if left_out:
        notes.append(
            Note(
                "points_left_out",
                f"{left_out:,} points are outside the grid or have no coordinates and are "
                "not in the surface.",
                {"n": left_out},
            )
        )
    return tuple(notes)


def _choice(kind: type[StrEnum], value: str, what: str) -> StrEnum:
    try:
        return kind(value)
    except ValueError:
        allowed = ", ".join(f'"{member.value}"' for member in kind)
        raise ValueError(f"A {what} is one of {allowed}, not {value!r}.") from None
