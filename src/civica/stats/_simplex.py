"""Private solver: least squares over the probability simplex, exact, by one NNLS.

The synthetic control weights solve

.. math::

    \\min_w \\lVert b - A w \\rVert^2 \\quad\\text{s.t.}\\quad w \\ge 0,\\ \\mathbf 1^\\top w = 1,

with ``A`` the donors' pre-period paths (months × donors) and ``b`` the treated unit's.
On the simplex :math:`b = b\\,\\mathbf 1^\\top w`, so the problem is the point of minimum norm
in the convex hull of the columns of :math:`C = A - b\\mathbf 1^\\top` (Wolfe 1976). That
point comes out of a single non-negative least-squares problem with no penalty constant:

.. math::

    u^* = \\arg\\min_{u \\ge 0} \\lVert C u \\rVert^2 + \\lambda^2 (1 - \\mathbf 1^\\top u)^2,
    \\qquad w^* = u^* / \\mathbf 1^\\top u^*.

For a fixed total :math:`s = \\mathbf 1^\\top u > 0` the objective is
:math:`s^2 \\lVert C w \\rVert^2 + \\lambda^2 (1 - s)^2` with :math:`w = u / s` on the simplex,
so its minimiser in ``w`` does not depend on ``s`` or on :math:`\\lambda`; the optimal
``s`` is :math:`\\lambda^2 / (\\lambda^2 + d^2) > 0` with ``d`` the minimum distance. Any
:math:`\\lambda > 0` gives the exact answer; it is set to the typical column norm of ``C`` only
for numerical conditioning. Lawson & Hanson's active-set NNLS, written out here for this
short, wide system (SciPy's ``nnls`` is the fallback), keeps at most ``months + 1`` donors
free, so a fit costs a few passes over the ``months × donors`` matrix: milliseconds for
thousands of donors, where a generic QP on the ``donors × donors`` Hessian grows with the
cube of the donor count.

References
----------
.. [1] Wolfe, P. (1976). Finding the nearest point in a polytope. Mathematical Programming
   11, 128–149.
.. [2] Lawson, C. L. & Hanson, R. J. (1974). Solving Least Squares Problems, ch. 23.
   Prentice-Hall.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import nnls

KKT_TOLERANCE = 1e-7
"""Largest relative breach of the optimality conditions a fit may show (:func:`kkt_violation`)."""


@dataclass(frozen=True)
class SimplexFit:
    """Weights on the simplex, the residual sum of squares, and the optimality certificate."""

    weights: np.ndarray
    sse: float
    kkt_violation: float


def simplex_least_squares(a: np.ndarray, b: np.ndarray) -> SimplexFit:
    """Exact ``argmin ||b - a w||²`` over ``w >= 0, sum(w) = 1`` (``a``: rows × columns).

    Raises ``ArithmeticError`` when the answer fails its optimality check, which would mean
    the data are so badly scaled that floating point cannot resolve them: no weights are
    returned rather than weights that only look optimal.
    """
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    rows, columns = a.shape
    if columns == 1:
        weights = np.ones(1)
        return SimplexFit(weights, float(((a[:, 0] - b) ** 2).sum()), 0.0)
    c = a - b[:, None]
    scale = float(np.sqrt((c * c).sum() / columns))
    if scale == 0.0:
        # Every donor path equals the treated one: any weights fit exactly; equal ones are
        # the symmetric choice.
        return SimplexFit(np.full(columns, 1.0 / columns), 0.0, 0.0)
    system = np.empty((rows + 1, columns))
    system[:rows] = c / scale
    system[rows] = 1.0
    target = np.zeros(rows + 1)
    target[rows] = 1.0
    u = _active_set(system, target)
    if u is None:
        # The own loop did not settle (a near-degenerate problem): SciPy's NNLS solves the
        # same system, more slowly but with its own safeguards.
        u, _ = nnls(system, target, maxiter=max(50 * (rows + 1), 3 * columns))
    total = u.sum()
    if not total > 0:
        raise ArithmeticError("The weight solver returned no weights; the data are degenerate.")
    weights = u / total
    weights[weights < 1e-14] = 0.0
    weights /= weights.sum()
    violation = kkt_violation(a, b, weights)
    if violation > KKT_TOLERANCE:
        raise ArithmeticError(
            f"The synthetic control weights failed their optimality check (relative KKT "
            f"violation {violation:.2e}); rescale the outcomes (e.g. rates instead of "
            f"counts in the millions) and try again."
        )
    residual = a @ weights - b
    return SimplexFit(weights, float(residual @ residual), violation)


def _active_set(e: np.ndarray, f: np.ndarray) -> np.ndarray | None:
    """Lawson & Hanson's NNLS (1974, ch. 23, algorithm NNLS) for ``min ||e u - f||, u >= 0``.

    Written out because ``e`` is short and very wide (months + 1 rows, thousands of
    columns): each step costs one product with ``e`` and a least-squares solve on the at most
    ``rows`` free columns, never a ``columns × columns`` matrix. Returns None when it does
    not settle within its iteration cap.
    """
    rows, columns = e.shape
    u = np.zeros(columns)
    free = np.zeros(columns, dtype=bool)
    # A column enters only when its gradient is clearly positive; entries of e are O(1)
    # after scaling, so this bound sits just above rounding noise.
    tolerance = 1e-10 * rows
    residual = f.copy()
    for _ in range(4 * (rows + 1) + 20):
        gradient = e.T @ residual
        gradient[free] = -np.inf
        entering = int(np.argmax(gradient))
        if gradient[entering] <= tolerance:
            return u
        free[entering] = True
        for _ in range(3 * (rows + 1)):
            index = np.flatnonzero(free)
            z = np.linalg.lstsq(e[:, index], f, rcond=None)[0]
            if (z > 0).all():
                u[:] = 0.0
                u[index] = z
                break
            # Step from u towards z until the first free variable reaches zero; it leaves.
            current = u[index]
            blocking = z <= 0
            alpha = np.min(current[blocking] / (current[blocking] - z[blocking]))
            current = current + alpha * (z - current)
            current[blocking & (current <= 1e-15)] = 0.0
            current[current < 0] = 0.0
            u[index] = current
            free[index[current <= 0.0]] = False
        else:
            return None
        residual = f - e @ u
    return None


def kkt_violation(a: np.ndarray, b: np.ndarray, weights: np.ndarray) -> float:
    """How far ``weights`` are from satisfying the optimality (KKT) conditions, relative.

    With :math:`C = A - b\\mathbf 1^\\top`, gradient :math:`g = 2C^\\top C w` and
    :math:`\\mu = w^\\top g`, a point of the simplex is optimal exactly when
    :math:`g_j \\ge \\mu` for every donor and :math:`g_j = \\mu` where :math:`w_j > 0`
    (the multiplier of the sum constraint is :math:`\\mu`; those of ``w >= 0`` are
    :math:`g_j - \\mu`). The figure returned is the largest breach of either condition,
    divided by the squared norm of the largest donor difference column, so it is free of the
    units of the outcome. Also checks feasibility (non-negative, summing to one).
    """
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    weights = np.asarray(weights, dtype=float)
    c = a - b[:, None]
    norm = float((c * c).sum(axis=0).max())
    feasibility = max(float(-weights.min()), abs(float(weights.sum()) - 1.0))
    if norm == 0.0:
        return feasibility
    gradient = 2.0 * (c.T @ (c @ weights))
    mu = float(weights @ gradient)
    dual = max(0.0, mu - float(gradient.min()))
    support = weights > 0
    complementary = float(np.abs(gradient[support] - mu).max()) if support.any() else 0.0
    return max(feasibility, max(dual, complementary) / (2.0 * norm))
