"""Hot spots: the Getis–Ord Gi* statistic on a grid of counts or on areas such as sectors.

Gi* compares the sum of the values in a unit's neighbourhood, the unit itself included,
with what that sum would be if the values were spread at random over the study area. A
large positive z-score is a hot spot (high values next to high values), a large negative
one a cold spot. With thousands of cells, some would pass any fixed threshold by chance,
so significance is corrected with the Benjamini–Hochberg false discovery rate by default.

The results follow ArcGIS's Hot Spot Analysis output: a z-score, a p-value and a confidence
bin (``Gi_Bin``) per unit, +3/+2/+1 for a hot spot at 99/95/90% confidence, -3/-2/-1 for a
cold spot, 0 otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from civica.stats._conditional import check_budget, exceedances
from civica.stats._notes import Note, read_only
from civica.stats._windows import (
    Neighbourhood,
    adjacency,
    check_neighbourhood,
    check_radius,
    window_sum,
)
from civica.stats.multiple_testing import benjamini_hochberg

__all__ = [
    "DEFAULT_MAX_DRAWS",
    "HotSpots",
    "Neighbourhood",
    "gi_star",
    "gi_star_grid",
]

DEFAULT_MAX_DRAWS = 1_000_000_000
"""Largest permutation job (units × permutations × neighbours) run without being asked:
about 30 seconds and 200 MB on the benchmark machine (100,000 cells × 99 permutations ×
8 neighbours take under 2 s). A background job may pass a larger ``max_draws``."""

_CONFIDENCE_LEVELS = (0.10, 0.05, 0.01)


@dataclass(frozen=True, eq=False)
class HotSpots:
    """Gi* z-scores, p-values and hot/cold classes, shaped like the values given.

    Units outside the study area (NaN values or outside ``mask``) have NaN ``z``, ``p``,
    ``p_sim`` and ``q``, are not significant and have class 0.

    Attributes
    ----------
    z : numpy.ndarray
        Analytic Gi* z-score (Ord & Getis 1995). 0 where it is undefined (see ``notes``).
    p : numpy.ndarray
        Two-sided p-value of ``z`` under the standard normal.
    p_sim : numpy.ndarray or None
        Pseudo p-value from conditional permutations (when ``permutations > 0``).
    q : numpy.ndarray or None
        Benjamini–Hochberg adjusted p-value of the p-value used (``p_sim`` when there are
        permutations, else ``p``); None when ``correction == "none"``.
    significant : numpy.ndarray
        Boolean: the p-value used, adjusted when ``correction`` says so, is at most
        ``alpha``.
    classes : numpy.ndarray
        int8 confidence bin: ``sign(z)`` × (number of the levels 0.10, 0.05, 0.01 that the
        adjusted p-value meets), as ArcGIS's ``Gi_Bin``.
    alpha : float
    correction : str
        ``"benjamini_hochberg"`` or ``"none"``.
    inference : str
        ``"analytic"`` or ``"permutation"``.
    permutations : int
    seed : int or None
    neighbourhood : Neighbourhood
    radius : int or None
        Window radius for a grid, None for :func:`gi_star`.
    tests : int
        Units in the study area (the number of tests corrected for).
    notes : tuple of Note
        Remarks about the result for the reader (undefined z-scores, sparse counts, a
        permutation floor that no cell can pass after correction).
    """

    z: np.ndarray
    p: np.ndarray
    p_sim: np.ndarray | None
    q: np.ndarray | None
    significant: np.ndarray
    classes: np.ndarray
    alpha: float
    correction: str
    inference: str
    permutations: int
    seed: int | None
    neighbourhood: Neighbourhood
    radius: int | None
    tests: int
    notes: tuple[Note, ...]

    @property
    def hot(self) -> np.ndarray:
        """Significant hot spots: ``significant`` and ``z > 0``."""
        return self.significant & (np.nan_to_num(self.z) > 0)

    @property
    def cold(self) -> np.ndarray:
        """Significant cold spots: ``significant`` and ``z < 0``."""
        return self.significant & (np.nan_to_num(self.z) < 0)

    def to_frame(self) -> pd.DataFrame:
        """One row per unit (a grid in flat order ``row * n_cols + col``)."""
        columns = {"z": self.z, "p": self.p, "p_sim": self.p_sim, "q": self.q}
        frame = pd.DataFrame(
            {name: np.ravel(v) for name, v in columns.items() if v is not None},
            index=pd.RangeIndex(np.size(self.z), name="unit"),
        )
        frame["significant"] = np.ravel(self.significant)
        frame["gi_bin"] = np.ravel(self.classes)
        return frame


def gi_star_grid(
    counts: object,
    *,
    neighbourhood: str = "queen",
    radius: int = 1,
    mask: object = None,
    fdr: bool = True,
    alpha: float = 0.05,
    permutations: int = 0,
    seed: int | None = None,
    max_draws: int = DEFAULT_MAX_DRAWS,
    progress=None,
) -> HotSpots:
    """Getis–Ord Gi* hot spots on a grid of counts, with binary window weights.

    For cell :math:`i` with binary weights :math:`w_{ij}` (1 inside its window, itself
    included, 0 elsewhere), :math:`W_i = \\sum_j w_{ij}` cells in its window that are in the
    study area, :math:`n` cells in the study area, mean :math:`\\bar x` and
    :math:`S = \\sqrt{\\sum_j x_j^2 / n - \\bar x^2}`:

    .. math::

        z_i = \\frac{\\sum_j w_{ij} x_j - \\bar x\\, W_i}
                   {S \\sqrt{\\bigl(n W_i - W_i^2\\bigr) / (n - 1)}}

    (Ord & Getis 1995, eq. 14, with :math:`\\sum_j w_{ij}^2 = W_i` for binary weights).
    Windows are cut at the edges of the grid and of the mask: no wrapping, and
    :math:`W_i` counts the neighbours a cell actually has.

    Parameters
    ----------
    counts : 2-D array_like
        Values per cell, e.g. :attr:`Grid.counts <civica.stats.grid.Grid.counts>`. NaN
        marks a cell outside the study area.
    neighbourhood : {"queen", "rook"}, default "queen"
        The (2·radius + 1)² square, or the cells within ``radius`` steps along rows and
        columns (the cross of four for radius 1).
    radius : int, default 1
    mask : 2-D bool array_like, optional
        True for the cells in the study area (e.g. cells that touch the municipality);
        cells outside take no part, neither as units nor as neighbours.
    fdr : bool, default True
        Correct for multiple testing with Benjamini–Hochberg.
    alpha : float, default 0.05
        Level of ``significant`` (after correction when ``fdr``).
    permutations : int, default 0
        Conditional permutations for pseudo p-values (see Notes); 0 for analytic only.
    seed : int, optional
        Required with permutations.
    max_draws : int, default 1,000,000,000
        Refuse a permutation job with more random draws (cells × permutations ×
        neighbours) than this.
    progress : callable, optional
        ``progress(done, total)`` with the cells whose permutations are done, after each
        block of cells (a background job shows "cell 3,000 of 12,000").

    Returns
    -------
    HotSpots

    Raises
    ------
    ValueError
        For values that are not a 2-D array of finite numbers or NaN, a mask of another
        shape, fewer than two cells in the study area, a bad neighbourhood, radius,
        alpha or permutation count, a missing seed, or a permutation job over
        ``max_draws``.

    Notes
    -----
    Window sums are shifted-slice sums (no cumulative sums, so no cancellation; exact for
    counts), O(cells × radius) time and a few arrays of the grid's size in memory.

    Where the z-score is undefined it is set to 0 with p = 1 and a note: when every cell
    has the same value (S = 0), and for a cell whose window covers the whole study area
    (:math:`W_i = n`), whose sum is then the fixed total.

    With ``permutations = P``, cell :math:`i` keeps its value and its :math:`W_i - 1`
    neighbours get values drawn without replacement from the other :math:`n - 1` cells
    (conditional randomisation, Anselin 1995; PySAL's ``crand``), independently for each
    cell. The pseudo p-value is :math:`(c + 1) / (P + 1)`, :math:`c` the permutations with
    :math:`|z_{perm}| \\ge |z_{obs}|` (two-sided). It then replaces ``p`` for
    ``significant``, ``q`` and ``classes``; the smallest possible value is
    :math:`1 / (P + 1)`, so a correction over many cells can leave nothing significant
    (a note says so).

    References
    ----------
    .. [1] Ord, J. K., & Getis, A. (1995). Local spatial autocorrelation statistics:
       distributional issues and an application. *Geographical Analysis* 27(4), 286–306.
       https://doi.org/10.1111/j.1538-4632.1995.tb00912.x
    .. [2] Getis, A., & Ord, J. K. (1992). The analysis of spatial association by use of
       distance statistics. *Geographical Analysis* 24(3), 189–206.
    .. [3] Anselin, L. (1995). Local indicators of spatial association — LISA.
       *Geographical Analysis* 27(2), 93–115.
    .. [4] Benjamini, Y., & Hochberg, Y. (1995). Controlling the false discovery rate.
       *Journal of the Royal Statistical Society, Series B* 57(1), 289–300.
    .. [5] Esri. How Hot Spot Analysis (Getis-Ord Gi*) works. ArcGIS Pro documentation
       (``Gi_Bin`` confidence bins; FDR correction).

    Examples
    --------
    >>> counts = [[0, 0, 0, 0], [0, 9, 9, 0], [0, 9, 9, 0], [0, 0, 0, 0]]
    >>> result = gi_star_grid(counts, fdr=False)
    >>> round(float(result.z[1, 1]), 4), int(result.classes[1, 1])
    (1.972, 2)
    """
    values = np.array(counts, dtype=float)
    if values.ndim != 2:
        raise ValueError(f"Counts on a grid are a 2-D array, not {values.ndim}-D.")
    kind = check_neighbourhood(neighbourhood, grid=True)
    radius = check_radius(radius)
    valid = ~np.isnan(values)
    if mask is not None:
        study = np.asarray(mask)
        if study.shape != values.shape or study.dtype != bool:
            raise ValueError(f"The mask is a boolean array of shape {values.shape}.")
        valid &= study
    if np.isinf(values[valid]).any():
        raise ValueError("A value on the grid is infinite.")
    x = np.where(valid, values, 0.0)
    local = window_sum(x, kind, radius)[valid]
    weights = window_sum(valid.astype(float), kind, radius)[valid]
    return _gi_star(
        values[valid],
        local,
        weights,
        valid,
        kind=kind,
        radius=radius,
        fdr=fdr,
        alpha=alpha,
        permutations=permutations,
        seed=seed,
        max_draws=max_draws,
        progress=progress,
    )


def gi_star(
    values: object,
    neighbours: object,
    *,
    fdr: bool = True,
    alpha: float = 0.05,
    permutations: int = 0,
    seed: int | None = None,
    max_draws: int = DEFAULT_MAX_DRAWS,
    progress=None,
) -> HotSpots:
    """Getis–Ord Gi* hot spots on areas (police sectors, cuadrantes) with binary adjacency.

    The same statistic as :func:`gi_star_grid`, with the neighbours of each area given
    explicitly. Every area is its own neighbour (the "star"); any nonzero weight counts
    as 1 (binary weights, like esda's ``transform="B"``).

    Parameters
    ----------
    values : 1-D array_like
        Value per area (a count or a rate); NaN leaves an area out of the study.
    neighbours : scipy sparse matrix, sequence or mapping
        ``n × n`` sparse adjacency (e.g. ``libpysal`` ``W.sparse``); or, for each area
        ``i`` in order, the indices of its neighbours (``[[1, 3], [0], ...]``); or a
        mapping ``{i: [j, ...]}`` with areas absent from it having no neighbours. The area
        itself may be listed or not; repeated indices count once. An area with no
        neighbour but itself is a valid, isolated unit.
    fdr, alpha, permutations, seed, max_draws
        As in :func:`gi_star_grid`.

    Returns
    -------
    HotSpots
        Arrays of the length of ``values``; ``neighbourhood`` is ``"custom"`` and
        ``radius`` None.

    References
    ----------
    .. [1] Ord, J. K., & Getis, A. (1995). Local spatial autocorrelation statistics:
       distributional issues and an application. *Geographical Analysis* 27(4), 286–306.
    .. [2] Anselin, L. (1995). Local indicators of spatial association — LISA.
       *Geographical Analysis* 27(2), 93–115.

    Examples
    --------
    >>> result = gi_star([10, 8, 1, 0, 1], [[1], [0, 2], [1, 3], [2, 4], [3]], fdr=False)
    >>> [round(float(z), 3) for z in result.z]
    [1.969, 1.378, -0.591, -1.969, -1.378]
    """
    x_all = np.array(values, dtype=float)
    if x_all.ndim != 1:
        raise ValueError(f"Values of areas are a 1-D array, not {x_all.ndim}-D.")
    valid = ~np.isnan(x_all)
    if np.isinf(x_all[valid]).any():
        raise ValueError("A value is infinite.")
    matrix = adjacency(neighbours, x_all.size)[valid][:, valid]
    x = x_all[valid]
    return _gi_star(
        x,
        matrix @ x,
        np.asarray(matrix.sum(axis=1), dtype=float).ravel(),
        valid,
        kind=Neighbourhood.CUSTOM,
        radius=None,
        fdr=fdr,
        alpha=alpha,
        permutations=permutations,
        seed=seed,
        max_draws=max_draws,
        progress=progress,
    )


def _gi_star(
    x: np.ndarray,
    local: np.ndarray,
    weights: np.ndarray,
    valid: np.ndarray,
    *,
    kind: Neighbourhood,
    radius: int | None,
    fdr: bool,
    alpha: float,
    permutations: int,
    seed: int | None,
    max_draws: int,
    progress=None,
) -> HotSpots:
    """z, p and classes from local sums ``local`` over ``weights`` units (self included)."""
    alpha = float(alpha)
    if not 0.0 < alpha < 1.0:
        raise ValueError(f"A significance level is between 0 and 1, not {alpha}.")
    permutations = int(permutations)
    if permutations < 0:
        raise ValueError(f"A number of permutations is 0 or more, not {permutations}.")
    n = x.size
    if n < 2:
        raise ValueError(f"Gi* needs at least 2 units in the study area, not {n}.")
    if permutations:
        check_budget(n, permutations, int(weights.max() - 1), max_draws, seed)
    notes: list[Note] = []
    mean = x.mean()
    constant = x.max() == x.min()
    spread = 0.0 if constant else float(np.sqrt(np.mean((x - mean) ** 2)))
    centre = mean * weights
    deviation = local - centre
    scale = spread * np.sqrt(np.maximum(n * weights - weights**2, 0.0) / (n - 1))
    defined = scale > 0
    z = np.zeros(n)
    z[defined] = deviation[defined] / scale[defined]
    p = np.where(defined, 2 * stats.norm.sf(np.abs(z)), 1.0)
    if constant:
        notes.append(Note("constant", "Every unit has the same value: all z-scores are 0.", {}))
    elif not defined.all():
        notes.append(
            Note(
                "whole_window",
                f"{int((~defined).sum()):,} units have a neighbourhood covering the whole "
                "study area, so their z-score is undefined and set to 0.",
                {"n": int((~defined).sum())},
            )
        )
    if np.all(x == np.floor(x)) and mean < 1:
        notes.append(
            Note(
                "sparse_counts",
                f"The mean count per unit is {mean:.2f}: with sparse, skewed counts the "
                "normal approximation is rough; prefer permutation p-values or larger cells.",
                {"mean": float(mean)},
            )
        )
    p_sim = None
    if permutations:
        rng = np.random.default_rng(seed)
        others = (weights - 1).astype(np.int64)
        extreme = exceedances(
            x, others, deviation, centre, permutations=permutations, rng=rng, progress=progress
        )
        p_sim = (extreme + 1) / (permutations + 1)
    used = p if p_sim is None else p_sim
    q = None
    decision = used
    if fdr:
        q = benjamini_hochberg(used, alpha).q
        decision = q
        if p_sim is not None and 1 / (permutations + 1) > alpha / n:
            notes.append(
                Note(
                    "permutation_floor",
                    f"With {permutations:,} permutations the smallest pseudo p-value is "
                    f"{1 / (permutations + 1):.2g}; after the false discovery rate "
                    f"correction over {n:,} units few or no units can be significant. Use "
                    "more permutations or the analytic p-values.",
                    {"permutations": permutations, "p": 1 / (permutations + 1), "n": n},
                )
            )
    classes = np.zeros(n, dtype=np.int8)
    for level in _CONFIDENCE_LEVELS:
        classes += (decision <= level).astype(np.int8)
    classes *= np.sign(z).astype(np.int8)

    def spread_out(array: np.ndarray | None, fill: float) -> np.ndarray | None:
        if array is None:
            return None
        out = np.full(valid.shape, fill, dtype=np.result_type(array, type(fill)))
        out[valid] = array
        return read_only(out)

    return HotSpots(
        z=spread_out(z, np.nan),
        p=spread_out(p, np.nan),
        p_sim=spread_out(p_sim, np.nan),
        q=spread_out(q, np.nan),
        significant=spread_out(decision <= alpha, False),
        classes=spread_out(classes, np.int8(0)),
        alpha=alpha,
        correction="benjamini_hochberg" if fdr else "none",
        inference="permutation" if permutations else "analytic",
        permutations=permutations,
        seed=None if seed is None else int(seed),
        neighbourhood=kind,
        radius=radius,
        tests=n,
        notes=tuple(notes),
    )
