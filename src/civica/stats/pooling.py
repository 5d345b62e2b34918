"""Pooling several evaluations into one program-level estimate (random-effects meta-analysis).

Each result is a ratio (RIRR, IRR) with the standard error of its logarithm. Cities differ,
so their true effects differ too: the pooled estimate is the DerSimonian–Laird random-effects
mean of the log ratios, and its interval uses the Hartung–Knapp–Sidik–Jonkman variance with
Student's *t* on k − 1 degrees of freedom, which keeps close to 95% coverage with the few
results a program has (IntHout, Ioannidis & Borm 2014), where the DerSimonian–Laird normal
interval is too narrow. No Django; deterministic.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import stats

__all__ = ["PooledEffect", "pool_random_effects"]


@dataclass(frozen=True)
class PooledEffect:
    estimate: float  # pooled ratio
    lower: float
    upper: float
    p_value: float
    k: int  # results pooled
    tau2: float  # between-result variance of the log ratios
    i2: float  # share of the variation beyond chance, 0–1
    df: float
    level: float = 0.95

    @property
    def percent_change(self) -> float:
        return (self.estimate - 1) * 100

    @property
    def percent_lower(self) -> float:
        return (self.lower - 1) * 100

    @property
    def percent_upper(self) -> float:
        return (self.upper - 1) * 100


def pool_random_effects(ratios, ses, *, level: float = 0.95) -> PooledEffect:
    """Pool ratios (> 0) with the standard errors of their logs (> 0); at least two."""
    ratios = np.asarray(ratios, dtype=float)
    se = np.asarray(ses, dtype=float)
    if np.any(~(ratios > 0)):
        raise ValueError("every ratio must be positive")
    y = np.log(ratios)
    if y.shape != se.shape or y.ndim != 1:
        raise ValueError("ratios and ses must be one-dimensional and of equal length")
    if len(y) < 2:
        raise ValueError("pooling needs at least two results")
    if not (np.all(np.isfinite(y)) and np.all(np.isfinite(se)) and np.all(se > 0)):
        raise ValueError("every ratio must be positive and every standard error positive")
    k = len(y)
    w = 1 / se**2
    fixed = float(np.sum(w * y) / np.sum(w))
    q = float(np.sum(w * (y - fixed) ** 2))
    c = float(np.sum(w) - np.sum(w**2) / np.sum(w))
    tau2 = max(0.0, (q - (k - 1)) / c) if c > 0 else 0.0
    i2 = max(0.0, (q - (k - 1)) / q) if q > 0 else 0.0
    w_star = 1 / (se**2 + tau2)
    mean = float(np.sum(w_star * y) / np.sum(w_star))
    # Hartung–Knapp: the weighted spread of the results around the mean, on t(k − 1).
    hk_var = float(np.sum(w_star * (y - mean) ** 2) / ((k - 1) * np.sum(w_star)))
    # Never narrower than the random-effects model's own variance (Knapp & Hartung's rule).
    var = max(hk_var, 1 / float(np.sum(w_star)))
    df = k - 1
    crit = float(stats.t.ppf(0.5 + level / 2, df))
    half = crit * math.sqrt(var)
    p = float(2 * stats.t.sf(abs(mean) / math.sqrt(var), df))
    return PooledEffect(
        estimate=math.exp(mean),
        lower=math.exp(mean - half),
        upper=math.exp(mean + half),
        p_value=p,
        k=k,
        tau2=tau2,
        i2=i2,
        df=float(df),
        level=level,
    )
