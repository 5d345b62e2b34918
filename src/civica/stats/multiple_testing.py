"""Multiple testing: the Benjamini–Hochberg false discovery rate.

A hot-spot map tests every cell of a grid. With 10,000 cells and a 5% level, about 500
cells would look significant by chance alone if nothing were going on; controlling the
false discovery rate keeps the expected share of false hot spots among those reported at
most ``alpha``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["FdrResult", "benjamini_hochberg"]


@dataclass(frozen=True)
class FdrResult:
    """Which hypotheses the Benjamini–Hochberg procedure rejects, with adjusted p-values.

    ``reject`` and ``q`` have the shape of the p-values given; missing (NaN) p-values are
    never rejected, have NaN ``q`` and do not count among the ``tests``.
    """

    reject: np.ndarray
    q: np.ndarray
    alpha: float
    tests: int


def benjamini_hochberg(p: object, alpha: float = 0.05) -> FdrResult:
    """Benjamini–Hochberg step-up procedure controlling the false discovery rate.

    With the :math:`m` p-values sorted, :math:`p_{(1)} \\le \\dots \\le p_{(m)}`, the
    hypotheses with the :math:`k` smallest p-values are rejected, where :math:`k` is the
    largest :math:`i` with :math:`p_{(i)} \\le i\\,\\alpha / m`. The adjusted p-values
    (q-values) are

    .. math::

        q_{(i)} = \\min\\Bigl(1,\\; \\min_{j \\ge i} \\frac{m\\,p_{(j)}}{j}\\Bigr),

    so a hypothesis is rejected at level ``alpha`` exactly when its ``q <= alpha``, and the
    sets rejected at 0.10, 0.05 and 0.01 are read from the same ``q``.

    Parameters
    ----------
    p : array_like
        p-values in [0, 1], any shape. NaN marks a missing test (a cell outside the study
        area): it is left out of :math:`m` and never rejected.
    alpha : float, default 0.05
        The false discovery rate to control, in (0, 1).

    Returns
    -------
    FdrResult

    Raises
    ------
    ValueError
        For a p-value outside [0, 1] or an ``alpha`` outside (0, 1).

    Notes
    -----
    The procedure controls the false discovery rate for independent tests and under
    positive regression dependence [2]_, which is the usual situation of Gi* z-scores of
    neighbouring cells (their windows overlap, so they are positively correlated). The
    results equal statsmodels' ``multipletests(p, alpha, method="fdr_bh")``; the tests
    compare both.

    References
    ----------
    .. [1] Benjamini, Y., & Hochberg, Y. (1995). Controlling the false discovery rate: a
       practical and powerful approach to multiple testing. *Journal of the Royal
       Statistical Society, Series B* 57(1), 289–300.
       https://doi.org/10.1111/j.2517-6161.1995.tb02031.x
    .. [2] Benjamini, Y., & Yekutieli, D. (2001). The control of the false discovery rate in
       multiple testing under dependency. *Annals of Statistics* 29(4), 1165–1188.
       https://doi.org/10.1214/aos/1013699998
    .. [3] Caldas de Castro, M., & Singer, B. H. (2006). Controlling the false discovery
       rate: a new application to account for multiple and dependent tests in local
       statistics of spatial association. *Geographical Analysis* 38(2), 180–208.
       https://doi.org/10.1111/j.0016-7363.2006.00682.x

    Examples
    --------
    >>> result = benjamini_hochberg([0.01, 0.02, 0.03, 0.20])
    >>> result.reject.tolist()
    [True, True, True, False]
    >>> [round(q, 4) for q in result.q.tolist()]
    [0.04, 0.04, 0.04, 0.2]
    """
    alpha = float(alpha)
    if not 0.0 < alpha < 1.0:
        raise ValueError(f"A false discovery rate is between 0 and 1, not {alpha}.")
    values = np.asarray(p, dtype=float)
    flat = values.ravel()
    known = ~np.isnan(flat)
    tested = flat[known]
    if ((tested < 0) | (tested > 1)).any():
        raise ValueError("A p-value is between 0 and 1.")
    q_tested = _bh_adjust(tested)
    q = np.full(flat.shape, np.nan)
    q[known] = q_tested
    reject = np.zeros(flat.shape, dtype=bool)
    reject[known] = q_tested <= alpha
    return FdrResult(
        reject=_read_only(reject.reshape(values.shape)),
        q=_read_only(q.reshape(values.shape)),
        alpha=alpha,
        tests=int(tested.size),
    )


def _bh_adjust(p: np.ndarray) -> np.ndarray:
    """Benjamini–Hochberg adjusted p-values of a 1-D array without NaN."""
    m = p.size
    if m == 0:
        return p.copy()
    order = np.argsort(p, kind="stable")
    scaled = p[order] * m / np.arange(1, m + 1)
    # The step-up: each q is the smallest scaled value at or after its rank.
    adjusted = np.minimum.accumulate(scaled[::-1])[::-1]
    q = np.empty(m)
    q[order] = np.minimum(adjusted, 1.0)
    return q


def _read_only(array: np.ndarray) -> np.ndarray:
    array.flags.writeable = False
    return array
