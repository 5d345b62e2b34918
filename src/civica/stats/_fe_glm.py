"""Private engine: Poisson and NB2 log-linear models with unit and period effects.

Iteratively reweighted least squares (Fisher scoring) with the unit intercepts swept out
by weighted within-unit demeaning at every step and the period dummies' blocks of the
normal equations written in closed form, which is the same fit as statsmodels' GLM
with one dummy per unit but costs O(units × periods × columns²) instead of a dense
(units + periods)² system. The NB2 dispersion is found by alternating its maximum
likelihood: the profile likelihood over the dispersion is maximised by Brent's method, each
evaluation an IRLS fit warm-started from the previous one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import optimize, special

MAX_ITERATIONS = 200
TOLERANCE = 1e-11


@dataclass(frozen=True)
class FeFit:
    """The fitted coefficients, their bread and cluster meat, and the fit's dispersion."""

    theta: np.ndarray
    mu: np.ndarray
    bread: np.ndarray  # inverse expected information of theta, unit effects profiled out
    bread_observed: np.ndarray  # inverse observed information, the same way
    meat: np.ndarray  # sum over units of the outer products of their scores
    meat_cr3: np.ndarray | None  # jackknife-type (CR3), when asked
    alpha: float  # NB2 dispersion (0 for Poisson)
    pearson: float  # Pearson chi-square / residual degrees of freedom
    iterations: int
    loglik: float


def _normal(w, x, r=None):
    r"""Normal equations of (period dummies, x) after sweeping out unit means with weights w.

    With :math:`P_{it} = w_{it} / W_i` the demeaned period dummy is
    :math:`1\{t=s\} - P_{is}`, so its block is :math:`\operatorname{diag}(\sum_i w_{is})
    - \sum_i w_{is} w_{ir} / W_i`, and sums against a demeaned column :math:`v` reduce to
    :math:`\sum_i w_{is} \tilde v_{is}`: nothing of size units × periods × periods is built.
    The first period's dummy is left out (its effect is 0).
    """
    wsum = w.sum(1)
    xc = x - (np.einsum("it,itk->ik", w, x) / wsum[:, None])[:, None, :]
    # einsum rather than BLAS: a threaded BLAS on a busy machine is far slower for these
    # short, wide products.
    periods = np.diag(w.sum(0)) - np.einsum("it,is->ts", w / wsum[:, None], w)
    wxc = w[:, :, None] * xc
    cross = wxc.sum(0)
    own = np.einsum("itk,itl->kl", wxc, xc)
    matrix = np.block([[periods[1:, 1:], cross[1:]], [cross[1:].T, own]])
    if r is None:
        return matrix
    rc = r - ((w * r).sum(1) / wsum)[:, None]
    vector = np.concatenate([(w * rc).sum(0)[1:], (wxc * rc[:, :, None]).sum((0, 1))])
    return matrix, vector


def _linear(theta, x):
    """Period effects plus ``x @ beta`` as a (units × periods) array."""
    t = x.shape[1]
    gamma = np.concatenate([[0.0], theta[: t - 1]])
    return gamma[None, :] + x @ theta[t - 1 :]


def _irls(y, offset, x, alpha, theta0=None, tolerance=TOLERANCE):
    """One IRLS fit at fixed ``alpha``; y, offset (n, T), x (n, T, k)."""
    if theta0 is None:
        mu = (y + y.mean(axis=1, keepdims=True)) / 2 + 1e-3
        eta = np.log(mu)
        theta = np.zeros(x.shape[1] - 1 + x.shape[2])
    else:
        theta = theta0
        eta = offset + _linear(theta, x)
        eta = eta + np.log(y.sum(1) / np.exp(eta).sum(1))[:, None]
        mu = np.exp(eta)
    iterations = 0
    for _ in range(MAX_ITERATIONS):
        iterations += 1
        w = mu / (1 + alpha * mu)
        work = eta - offset + (y - mu) / mu
        new = np.linalg.solve(*_normal(w, x, work))
        fitted = _linear(new, x)
        unit = (w * (work - fitted)).sum(1) / w.sum(1)
        eta = offset + fitted + unit[:, None]
        mu = np.exp(eta)
        step = np.max(np.abs(new - theta))
        theta = new
        if step < tolerance * (1 + np.max(np.abs(theta))):
            break
    else:
        raise ArithmeticError("The regression did not converge.")
    return theta, mu, eta, iterations


def _nb_loglik(y, mu, alpha):
    r = 1 / alpha
    return float(
        np.sum(
            special.gammaln(y + r)
            - special.gammaln(r)
            - special.gammaln(y + 1)
            + r * np.log(r / (r + mu))
            + y * np.log(mu / (r + mu))
        )
    )


def _poisson_loglik(y, mu):
    return float(np.sum(y * np.log(np.where(y > 0, mu, 1)) - mu - special.gammaln(y + 1)))


def fit(y, offset, x, *, negbin: bool, cr3: bool = False) -> FeFit:
    """Fit by IRLS; for ``negbin`` maximise the profile likelihood over the dispersion."""
    theta, mu, _, iterations = _irls(y, offset, x, 0.0)
    alpha = 0.0
    if negbin:
        state = {"theta": theta, "iterations": iterations}

        def profile(log_alpha):
            # A looser fit while searching; the final one below is exact.
            fitted = _irls(y, offset, x, np.exp(log_alpha), state["theta"], 1e-7)
            state["theta"], state["iterations"] = fitted[0], state["iterations"] + fitted[3]
            return -_nb_loglik(y, fitted[1], np.exp(log_alpha))

        # Method-of-moments start from the Poisson fit brackets the maximum.
        start = np.log(max(float(np.sum((y - mu) ** 2 - y) / np.sum(mu**2)), 1e-3))
        best = optimize.minimize_scalar(profile, bracket=(start - 0.3, start + 0.3), tol=1e-8)
        alpha = float(np.exp(best.x))
        theta, mu, _, more = _irls(y, offset, x, alpha, state["theta"])
        iterations = state["iterations"] + more
    bread = np.linalg.inv(_normal(mu / (1 + alpha * mu), x))
    # Score of theta for each unit; the unit's own intercept score is zero at the optimum,
    # so the undemeaned regressors give the same sums.
    u = (y - mu) / (1 + alpha * mu)
    scores = np.concatenate([u[:, 1:], np.einsum("itk,it->ik", x, u)], axis=1)
    meat = np.einsum("ip,iq->pq", scores, scores)
    # The sandwich's bread is the observed information (it differs from the expected one
    # for NB2, whose log link is not canonical), as in statsmodels' robust covariances.
    w_obs = mu * (1 + alpha * y) / (1 + alpha * mu) ** 2
    bread_observed = np.linalg.inv(_normal(w_obs, x))
    n, t, k = x.shape
    p = t - 1 + k
    dof = n * t - n - p
    pearson = float(np.sum((y - mu) ** 2 / (mu + alpha * mu**2)) / max(dof, 1))
    loglik = _nb_loglik(y, mu, alpha) if negbin else _poisson_loglik(y, mu)
    meat_cr3 = _meat_cr3(y, mu, alpha, x, bread) if cr3 else None
    return FeFit(
        theta, mu, bread, bread_observed, meat, meat_cr3, alpha, pearson, iterations, loglik
    )


def _meat_cr3(y, mu, alpha, x, bread):
    """The jackknife-type cluster meat (CR3) on the IRLS working scale.

    With :math:`Z_g` the unit's rows of the weighted, within-unit demeaned design and
    :math:`r_g` its weighted working residuals, the unit's score :math:`Z_g' r_g` becomes
    :math:`Z_g' (I - H_{gg})^{-1} r_g` with :math:`H_{gg} = Z_g (Z'Z)^{-1} Z_g'`, which
    approximates leaving the unit out (Bell & McCaffrey 2002; MacKinnon, Nielsen & Webb
    2023). The unit's own effect adds to the full design's leverage only the projection on
    :math:`W_g^{1/2}\\mathbf{1}`, orthogonal to both :math:`r_g` and the demeaned
    :math:`Z_g`, so the demeaned design gives the same adjusted scores.
    """
    n, t, k = x.shape
    w = mu / (1 + alpha * mu)
    design = np.zeros((n, t, t - 1 + k))
    design[:, np.arange(1, t), np.arange(t - 1)] = 1.0
    design[:, :, t - 1 :] = x
    design -= (np.einsum("it,itp->ip", w, design) / w.sum(1)[:, None])[:, None, :]
    root = np.sqrt(w)
    z = design * root[:, :, None]
    residual = root * (y - mu) / mu
    leverage = np.einsum("itp,isp->its", np.einsum("itp,pq->itq", z, bread), z)
    adjusted = np.linalg.solve(np.eye(t)[None] - leverage, residual[:, :, None])[:, :, 0]
    scores = np.einsum("itp,it->ip", z, adjusted)
    return np.einsum("ip,iq->pq", scores, scores) * (n - 1) / n
