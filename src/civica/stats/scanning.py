"""Scanning for problems (SARA's first step): which places keep standing out, and which
crimes are rising in a place. Arrays in, frozen dataclasses out; no Django.

* :func:`persistent_hot_spots` — Getis–Ord Gi* (:func:`civica.stats.gi_star`, FDR-adjusted)
  in each of several periods; a unit is a *persistent* hot spot when it is a significant hot
  spot in at least ``min_periods`` of them (a one-off peak is not a problem to take on).
* :func:`rising_counts` — a unit's recent count against its own baseline: an exact
  conditional test (given their sum, the recent count is binomial with the recent share of
  the time), Benjamini–Hochberg across every unit and crime tested.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats

from civica.stats.hotspots import gi_star
from civica.stats.multiple_testing import benjamini_hochberg

__all__ = ["PersistentHotSpots", "RisingCounts", "persistent_hot_spots", "rising_counts"]


@dataclass(frozen=True)
class PersistentHotSpots:
    z: np.ndarray  # units × periods Gi* z-scores
    hot: np.ndarray  # units × periods: significant hot spot after FDR
    hot_periods: np.ndarray  # per unit: periods in which it was hot
    persistent: np.ndarray  # per unit: hot in at least ``min_periods``
    min_periods: int


def persistent_hot_spots(
    counts, neighbours, *, min_periods: int, alpha: float = 0.05
) -> PersistentHotSpots:
    """``counts`` units × periods; ``neighbours`` as :func:`civica.stats.gi_star` takes them."""
    counts = np.asarray(counts, dtype=float)
    if counts.ndim != 2:
        raise ValueError("counts must be units × periods")
    if not 1 <= min_periods <= counts.shape[1]:
        raise ValueError("min_periods must be between 1 and the number of periods")
    z = np.zeros_like(counts)
    hot = np.zeros(counts.shape, dtype=bool)
    for period in range(counts.shape[1]):
        column = counts[:, period]
        if column.sum() == 0 or np.all(column == column[0]):
            continue  # no variation: no hot spot
        result = gi_star(column, neighbours, fdr=True, alpha=alpha)
        z[:, period] = np.asarray(result.z, dtype=float)
        hot[:, period] = np.asarray(result.significant, dtype=bool) & (z[:, period] > 0)
    hot_periods = hot.sum(axis=1)
    return PersistentHotSpots(z, hot, hot_periods, hot_periods >= min_periods, min_periods)


@dataclass(frozen=True)
class RisingCounts:
    ratio: np.ndarray  # recent rate over baseline rate (inf when the baseline is 0)
    p: np.ndarray  # one-sided exact conditional p
    q: np.ndarray  # Benjamini–Hochberg
    rising: np.ndarray  # q < alpha, ratio ≥ min_ratio and recent ≥ min_count


def rising_counts(
    recent,
    baseline,
    *,
    recent_share: float,
    alpha: float = 0.05,
    min_ratio: float = 1.25,
    min_count: int = 10,
) -> RisingCounts:
    """``recent`` and ``baseline`` counts of the same units; ``recent_share`` the recent
    window's share of the total time (e.g. 0.25 for one year after three)."""
    recent = np.asarray(recent, dtype=float)
    baseline = np.asarray(baseline, dtype=float)
    if recent.shape != baseline.shape:
        raise ValueError("recent and baseline must have the same shape")
    if not 0 < recent_share < 1:
        raise ValueError("recent_share must be between 0 and 1")
    total = recent + baseline
    # P(X ≥ recent | total) with X ~ Binomial(total, share): sf(recent − 1).
    p = np.where(total > 0, stats.binom.sf(recent - 1, total, recent_share), 1.0)
    q = benjamini_hochberg(p).q if len(p) else p
    expected_ratio = recent_share / (1 - recent_share)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(baseline > 0, recent / (baseline * expected_ratio), np.inf)
    rising = (q < alpha) & (ratio >= min_ratio) & (recent >= min_count)
    return RisingCounts(ratio, p, np.asarray(q, dtype=float), rising)
