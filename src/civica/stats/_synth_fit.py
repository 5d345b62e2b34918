"""Private: one synthetic control fit on checked arrays, shared by the fit and its placebos."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from civica.stats._simplex import simplex_least_squares


@dataclass(frozen=True)
class ArrayFit:
    """Weights over the donor rows given, the synthetic path and the fit summaries."""

    weights: np.ndarray
    synthetic: np.ndarray
    gaps: np.ndarray
    pre_rmspe: float
    post_rmspe: float
    kkt_violation: float


def fit_arrays(
    treated: np.ndarray, donors: np.ndarray, n_pre: int, row_scale: np.ndarray | None
) -> ArrayFit:
    """Fit ``treated`` (months) on ``donors`` (donors × months) over the first ``n_pre`` months.

    ``row_scale`` holds the square roots of the month weights (the diagonal of V), or None
    for equal weights. The reported RMSPEs are always unweighted.
    """
    a = donors[:, :n_pre].T
    b = treated[:n_pre]
    if row_scale is not None:
        a = a * row_scale[:, None]
        b = b * row_scale
    solution = simplex_least_squares(a, b)
    synthetic = solution.weights @ donors
    gaps = treated - synthetic
    pre = gaps[:n_pre]
    post = gaps[n_pre:]
    return ArrayFit(
        weights=solution.weights,
        synthetic=synthetic,
        gaps=gaps,
        pre_rmspe=float(np.sqrt(np.mean(pre * pre))),
        post_rmspe=float(np.sqrt(np.mean(post * post))) if post.size else float("nan"),
        kkt_violation=solution.kkt_violation,
    )


def rmspe_ratio(post_rmspe: float, pre_rmspe: float) -> float:
    """Post/pre RMSPE; infinite when the pre-period fit is exact (Abadie et al. 2010 §4)."""
    if pre_rmspe > 0.0:
        return post_rmspe / pre_rmspe
    return 0.0 if post_rmspe == 0.0 else float("inf")


def placebo_chunk(
    values: np.ndarray, rows: list[int], n_pre: int, row_scale: np.ndarray | None
) -> list[tuple[int, np.ndarray, float, float] | tuple[int, None, float, float]]:
    """Placebo-in-space fits of the donor rows ``rows`` (row 0, the treated unit, excluded).

    Each placebo takes the real donors other than itself as its pool. A donor whose series
    does not vary before the start has no path to match, so it is returned with ``None``
    gaps (skipped), never with a ratio that looks valid.
    """
    pool = values[1:]
    out: list = []
    for row in rows:
        series = values[row]
        if np.ptp(series[:n_pre]) == 0.0:
            out.append((row, None, float("nan"), float("nan")))
            continue
        others = np.delete(pool, row - 1, axis=0)
        fit = fit_arrays(series, others, n_pre, row_scale)
        out.append((row, fit.gaps, fit.pre_rmspe, fit.post_rmspe))
    return out
