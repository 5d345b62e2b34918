"""Candidate pairs of the Knox test: validation of inputs and the pairs close in space.

Only pairs closer than the largest distance edge can fall in a reported cell, so they are
found once, with a KD-tree, and every permutation reuses them. Events are renumbered in the
tree's leaf order, which keeps spatial neighbours at nearby indices and makes the gathers of
the permutation loop cache-friendly.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

#: Peak bytes held per candidate pair while the pairs are built (the tree query's int64
#: pairs and their copy, the int32 indices, band and ordering arrays).
BYTES_PER_PAIR = 48

#: Rows of a distance-band segment are padded to a multiple of this; see ``_knox_count``.
GROUP = 255

_DISTANCE_CHUNK = 1 << 20


@dataclass(frozen=True)
class CandidatePairs:
    """Pairs of events closer than the largest distance edge, grouped by distance band.

    ``first`` and ``second`` index events in tree order (``order[k]`` is the input position
    of the event at tree position ``k``). The pairs of distance band ``d`` are
    ``first[segments[d]:segments[d + 1]]``: ``counts[d]`` real pairs, then padding up to
    a multiple of :data:`GROUP` with the sentinel pair ``(n, n + 1)``.
    """

    first: np.ndarray
    second: np.ndarray
    segments: np.ndarray
    counts: np.ndarray
    order: np.ndarray

    @property
    def n_pairs(self) -> int:
        return int(self.counts.sum())

    def real(self, band: int) -> tuple[np.ndarray, np.ndarray]:
        """The real (unpadded) pairs of distance band ``band``."""
        start = int(self.segments[band])
        stop = start + int(self.counts[band])
        return self.first[start:stop], self.second[start:stop]


def as_events(x: object, y: object, t: object) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Coordinates and times as finite 1-D float arrays of one length, at least two events."""
    arrays = []
    for name, value in (("x", x), ("y", y), ("t", t)):
        array = np.asarray(value)
        if array.dtype == object:
            array = _objects_as_floats(array, name)
        if array.dtype.kind in "mM":
            raise ValueError(
                f"{name} holds dates or durations; pass numbers of days, for example "
                "(dates - epoch) / numpy.timedelta64(1, 'D')."
            )
        if array.dtype.kind not in "biuf":
            raise ValueError(f"{name} must be numbers, not values of type {array.dtype}.")
        if array.ndim != 1:
            raise ValueError(f"{name} must be one-dimensional, not of shape {array.shape}.")
        arrays.append(array.astype(float, copy=False))
    sizes = {name: array.size for name, array in zip("xyt", arrays, strict=True)}
    if len(set(sizes.values())) != 1:
        raise ValueError(f"x, y and t must have the same length, not {sizes}.")
    if arrays[0].size < 2:
        raise ValueError(f"The Knox test needs at least 2 events, not {arrays[0].size}.")
    for name, array in zip("xyt", arrays, strict=True):
        bad = ~np.isfinite(array)
        if bad.any():
            raise ValueError(
                f"{name} has {int(bad.sum())} values that are not finite (NaN or infinite), "
                f"the first at position {int(np.flatnonzero(bad)[0])}; drop those events first."
            )
    return arrays[0], arrays[1], arrays[2]


def _objects_as_floats(array: np.ndarray, name: str) -> np.ndarray:
    """Numbers from an object array (a nullable pandas column); None and NA become NaN."""
    try:
        flat = [np.nan if v is None or v is pd.NA else v for v in array.ravel()]
        return np.array(flat, dtype=float).reshape(array.shape)
    except (TypeError, ValueError):
        raise ValueError(
            f"{name} must be numbers, not values like {array.ravel()[:3]!r}."
        ) from None


def as_edges(value: object, *, name: str, unit: str) -> np.ndarray:
    """Band edges: finite, starting at 0, strictly increasing, at least one band."""
    try:
        edges = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be numbers ({unit}), not {value!r}.") from None
    if edges.ndim != 1 or edges.size < 2:
        raise ValueError(
            f"{name} must list at least two edges (one band), starting at 0, not {value!r}."
        )
    if not np.isfinite(edges).all():
        raise ValueError(f"{name} must be finite numbers ({unit}), not {value!r}.")
    if edges[0] != 0:
        raise ValueError(f"{name} must start at 0, not at {edges[0]:g} {unit}.")
    steps = np.diff(edges)
    if (steps <= 0).any():
        k = int(np.flatnonzero(steps <= 0)[0])
        raise ValueError(
            f"{name} must be strictly increasing: {edges[k]:g} is followed by "
            f"{edges[k + 1]:g} {unit}."
        )
    return edges


def candidate_pairs(
    x: np.ndarray, y: np.ndarray, edges: np.ndarray, *, max_memory: float
) -> CandidatePairs:
    """Pairs of events closer than ``edges[-1]``, each with its distance band.

    Raises ``ValueError`` before building them when ``BYTES_PER_PAIR`` per pair would go
    over ``max_memory``.
    """
    n = x.size
    tree = cKDTree(np.column_stack((x, y)))
    limit = float(edges[-1])
    # The tree's own distance arithmetic may differ from ``hypot`` in the last bit; query a
    # hair wider and keep pairs by the distance computed here, the one the bands use.
    radius = limit * (1.0 + 1e-9)
    estimated = _pairs_upper_bound(x, y, radius)
    if estimated * BYTES_PER_PAIR > max_memory:
        estimated = (int(tree.count_neighbors(tree, radius)) - n) // 2
    needed = estimated * BYTES_PER_PAIR
    if needed > max_memory:
        raise ValueError(
            f"{estimated:,} pairs of events are closer than {limit:g} m; building them "
            f"needs about {needed / 2**30:.1f} GiB, over the budget of "
            f"{max_memory / 2**30:.1f} GiB. Use a smaller largest distance band or a "
            "shorter period (fewer events), or raise max_memory."
        )

    order = tree.indices.astype(np.int64)
    rank = np.empty(n, dtype=np.int32)
    rank[order] = np.arange(n, dtype=np.int32)
    found = tree.query_pairs(radius, output_type="ndarray")
    first = rank[found[:, 0]]
    second = rank[found[:, 1]]
    del found

    xs = x[order]
    ys = y[order]
    band = np.empty(first.size, dtype=np.int16)
    for start in range(0, first.size, _DISTANCE_CHUNK):
        a = first[start : start + _DISTANCE_CHUNK]
        b = second[start : start + _DISTANCE_CHUNK]
        distance = np.hypot(xs[a] - xs[b], ys[a] - ys[b])
        band[start : start + a.size] = np.searchsorted(edges, distance, side="right") - 1
    n_bands = edges.size - 1
    keep = band < n_bands
    if not keep.all():
        first, second, band = first[keep], second[keep], band[keep]
    return _grouped(first, second, band, order, n_bands, n)


def _pairs_upper_bound(x: np.ndarray, y: np.ndarray, radius: float) -> int:
    """A cheap bound on the pairs closer than ``radius``: pairs in the same or adjacent cells.

    On a grid of ``radius``-wide cells every pair closer than ``radius`` lies in one cell or
    two neighbouring ones. Counting those takes a sort of the events' cells, where the exact
    count (a dual-tree traversal) costs about as much as finding the pairs.
    """
    columns = np.floor((x - x.min()) / radius).astype(np.int64)
    rows = np.floor((y - y.min()) / radius).astype(np.int64) + 1
    stride = int(rows.max()) + 2
    if (int(columns.max()) + 2) * stride >= 2**62:
        return x.size * (x.size - 1) // 2
    cells, counts = np.unique(columns * stride + rows, return_counts=True)
    bound = int((counts * (counts - 1) // 2).sum())
    for step in (1, stride - 1, stride, stride + 1):
        found = np.searchsorted(cells, cells + step)
        found = np.minimum(found, cells.size - 1)
        hit = cells[found] == cells + step
        bound += int((counts[hit] * counts[found[hit]]).sum())
    return bound


def _grouped(
    first: np.ndarray,
    second: np.ndarray,
    band: np.ndarray,
    order: np.ndarray,
    n_bands: int,
    n: int,
) -> CandidatePairs:
    counts = np.bincount(band, minlength=n_bands).astype(np.int64)
    padded = -(-counts // GROUP) * GROUP
    segments = np.concatenate([[0], np.cumsum(padded)]).astype(np.int64)
    by_band = np.argsort(band, kind="stable")
    starts = np.concatenate([[0], np.cumsum(counts)])
    out_first = np.full(segments[-1], n, dtype=np.int32)
    out_second = np.full(segments[-1], n + 1, dtype=np.int32)
    for d in range(n_bands):
        chosen = by_band[starts[d] : starts[d + 1]]
        out_first[segments[d] : segments[d] + counts[d]] = first[chosen]
        out_second[segments[d] : segments[d] + counts[d]] = second[chosen]
    return CandidatePairs(
        first=out_first,
        second=out_second,
        segments=segments,
        counts=counts,
        order=order,
    )
