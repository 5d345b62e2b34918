"""Hot spots over time: new, persistent, intensifying, diminishing, sporadic, historical.

Given the Gi* hot spots of the same cells in consecutive periods (months, quarters,
years), each cell gets one label describing its history, after the categories of Esri's
Emerging Hot Spot Analysis, simplified. The trend of a persistent hot spot is the
Mann–Kendall test on its Gi* z-scores over the periods.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
from scipy import stats

from civica.stats._notes import Note, read_only
from civica.stats.hotspots import HotSpots

__all__ = [
    "EmergingHotSpots",
    "HotSpotTrend",
    "MannKendall",
    "emerging_hot_spots",
    "hot_spot_trends",
    "mann_kendall",
]

_RECOMMENDED_PERIODS = 10


class HotSpotTrend(StrEnum):
    """The history of a cell's hot spots over the periods (see :func:`hot_spot_trends`)."""

    NEW = "new"
    """Hot in the last period and in no earlier one."""
    INTENSIFYING = "intensifying"
    """Persistent, and its z-score rises over the periods (Mann–Kendall, significant)."""
    PERSISTENT = "persistent"
    """Hot in at least 90% of the periods, the last included, with no significant trend."""
    DIMINISHING = "diminishing"
    """Persistent, and its z-score falls over the periods (Mann–Kendall, significant)."""
    SPORADIC = "sporadic"
    """Hot in the last period and in some earlier ones, but not persistent."""
    HISTORICAL = "historical"
    """Hot in some earlier period, not in the last one."""
    NONE = "none"
    """Never hot (or outside the study area)."""


@dataclass(frozen=True, eq=False)
class MannKendall:
    """Mann–Kendall trend test of series along the first axis, one result per series.

    ``s`` is the statistic, ``variance`` its variance under no trend (corrected for ties),
    ``z`` the normal score with continuity correction and ``p`` its two-sided p-value.
    A series with a NaN gives NaN throughout.
    """

    s: np.ndarray
    variance: np.ndarray
    z: np.ndarray
    p: np.ndarray


@dataclass(frozen=True, eq=False)
class EmergingHotSpots:
    """A trend label per cell, with the figures behind it, shaped like one period's cells.

    Attributes
    ----------
    category : numpy.ndarray
        :class:`HotSpotTrend` values as strings (``"new"``, ``"persistent"``, …).
    hot_periods : numpy.ndarray
        In how many periods the cell was a hot spot.
    trend : MannKendall
        The Mann–Kendall test of each cell's z-scores over the periods.
    periods : int
    persistent_share : float
    trend_alpha : float
    notes : tuple of Note
        ``few_periods`` when there are fewer than 10 periods, and ``no_trend_possible``
        when there are too few for any trend to be significant at ``trend_alpha``.
    """

    category: np.ndarray
    hot_periods: np.ndarray
    trend: MannKendall
    periods: int
    persistent_share: float
    trend_alpha: float
    notes: tuple[Note, ...]

    def counts(self) -> dict[str, int]:
        """How many cells fall in each category, in the order of :class:`HotSpotTrend`."""
        return {kind.value: int(np.sum(self.category == kind.value)) for kind in HotSpotTrend}


def mann_kendall(series: object, *, continuity: bool = True) -> MannKendall:
    """Mann–Kendall test for a monotonic trend, vectorised over many series.

    .. math::

        S = \\sum_{k < j} \\operatorname{sign}(x_j - x_k), \\qquad
        \\operatorname{Var}(S) = \\frac{T(T-1)(2T+5) - \\sum_g t_g(t_g-1)(2t_g+5)}{18},

    with :math:`t_g` the size of each group of tied values, and
    :math:`Z = (S - \\operatorname{sign}(S)) / \\sqrt{\\operatorname{Var}(S)}` (continuity
    correction; :math:`Z = S / \\sqrt{\\operatorname{Var}(S)}` without it). When the
    variance is 0 (fewer than two periods, or all values tied), Z is 0 and p is 1.

    Parameters
    ----------
    series : array_like
        Time along the first axis, ``(T, ...)``; any further axes are independent series.
    continuity : bool, default True

    Returns
    -------
    MannKendall
        Arrays shaped like one time slice.

    Notes
    -----
    Without the continuity correction, Z equals the normal score of Kendall's tau between
    time and the values with scipy's asymptotic variance; the tests compare both.

    References
    ----------
    .. [1] Mann, H. B. (1945). Nonparametric tests against trend. *Econometrica* 13(3),
       245–259.
    .. [2] Kendall, M. G. (1975). *Rank Correlation Methods* (4th ed.). Griffin.
    .. [3] Hipel, K. W., & McLeod, A. I. (1994). *Time Series Modelling of Water Resources
       and Environmental Systems*, §23.3. Elsevier.

    Examples
    --------
    >>> result = mann_kendall([1.0, 2.0, 3.0, 4.0, 5.0])
    >>> float(result.s), float(result.variance), round(float(result.p), 4)
    (10.0, 16.666666666666668, 0.0275)
    """
    x = np.asarray(series, dtype=float)
    if x.ndim == 0:
        raise ValueError("A Mann–Kendall test needs a series, not a single value.")
    t = x.shape[0]
    s = np.zeros(x.shape[1:])
    tie_terms = np.zeros(x.shape[1:])
    for k in range(t):
        s += np.sign(x[k + 1 :] - x[k]).sum(axis=0)
        # Each value of a tie group of size m adds (m - 1)(2m + 5): m values make the
        # group's m(m - 1)(2m + 5).
        m = (x == x[k]).sum(axis=0)
        tie_terms += (m - 1) * (2 * m + 5)
    variance = (t * (t - 1) * (2 * t + 5) - tie_terms) / 18.0
    shift = np.sign(s) if continuity else 0.0
    with np.errstate(invalid="ignore", divide="ignore"):
        z = np.where(variance > 0, (s - shift) / np.sqrt(variance), 0.0)
    p = np.where(variance > 0, 2 * stats.norm.sf(np.abs(z)), 1.0)
    missing = np.isnan(x).any(axis=0)
    s, variance, z, p = (np.where(missing, np.nan, a) for a in (s, variance, z, p))
    return MannKendall(
        s=read_only(np.asarray(s, dtype=float)),
        variance=read_only(np.asarray(variance, dtype=float)),
        z=read_only(np.asarray(z, dtype=float)),
        p=read_only(np.asarray(p, dtype=float)),
    )


def hot_spot_trends(
    hot: object,
    z: object,
    *,
    persistent_share: float = 0.9,
    trend_alpha: float = 0.05,
) -> EmergingHotSpots:
    """Label each cell by its history of hot spots over consecutive periods.

    Parameters
    ----------
    hot : bool array_like, ``(T, ...)``
        Whether each cell was a significant hot spot in each period, oldest first.
    z : array_like, ``(T, ...)``
        The cells' Gi* z-scores in each period (for the trend); NaN outside the study area.
    persistent_share : float, default 0.9
        Share of the periods a persistent hot spot must be hot in (rounded up to whole
        periods: 9 of 10, 11 of 12).
    trend_alpha : float, default 0.05
        Level of the Mann–Kendall test that makes a persistent hot spot intensifying or
        diminishing.

    Returns
    -------
    EmergingHotSpots

    Notes
    -----
    The labels, checked in this order, for a cell hot in the last period:
    **new** when it was hot in no earlier period; **intensifying** / **diminishing** when
    it was hot in at least ``persistent_share`` of the periods and its z-scores rise / fall
    with Mann–Kendall p < ``trend_alpha``; **persistent** when hot that often with no
    significant trend; **sporadic** otherwise. A cell not hot in the last period is
    **historical** if it was hot before, **none** if never.

    This simplifies Esri's Emerging Hot Spot Analysis [1]_: its *consecutive* (an
    unbroken run of recent hot periods) and *oscillating* (hot now, cold before) patterns
    fall under sporadic here; its *historical* requires 90% of earlier periods hot, here
    any earlier period; cold-spot patterns are not labelled (run this on ``-z`` and the
    cold masks for them). Esri asks for at least 10 periods, and so does a note here.

    References
    ----------
    .. [1] Esri. How Emerging Hot Spot Analysis works. ArcGIS Pro documentation, Space
       Time Pattern Mining toolbox (definitions of new, consecutive, intensifying,
       persistent, diminishing, sporadic, oscillating and historical hot spots).
    .. [2] Mann, H. B. (1945). Nonparametric tests against trend. *Econometrica* 13(3),
       245–259.

    Examples
    --------
    >>> hot = [[False, True], [False, True], [True, True]]
    >>> z = [[0.1, 2.0], [0.3, 2.5], [2.2, 2.4]]
    >>> hot_spot_trends(hot, z).category.tolist()
    ['new', 'persistent']
    """
    hot_array = np.asarray(hot)
    if hot_array.dtype != bool:
        raise ValueError("Hot spots over periods are a boolean array, time first.")
    z_array = np.asarray(z, dtype=float)
    if z_array.shape != hot_array.shape:
        raise ValueError(f"z-scores of shape {z_array.shape} for hot spots {hot_array.shape}.")
    if hot_array.ndim == 0 or hot_array.shape[0] < 2:
        raise ValueError("Trends of hot spots need at least 2 periods.")
    share = float(persistent_share)
    if not 0.0 < share <= 1.0:
        raise ValueError(f"A persistent share is in (0, 1], not {persistent_share}.")
    trend_alpha = float(trend_alpha)
    if not 0.0 < trend_alpha < 1.0:
        raise ValueError(f"A significance level is between 0 and 1, not {trend_alpha}.")
    t = hot_array.shape[0]
    trend = mann_kendall(z_array)
    hot_periods = hot_array.sum(axis=0)
    last = hot_array[-1]
    before = hot_array[:-1].any(axis=0)
    often = hot_periods >= math.ceil(share * t - 1e-9)
    significant = np.nan_to_num(trend.p, nan=1.0) < trend_alpha
    rising = significant & (np.nan_to_num(trend.s) > 0)
    falling = significant & (np.nan_to_num(trend.s) < 0)
    category = np.select(
        [
            last & ~before,
            last & often & rising,
            last & often & falling,
            last & often,
            last,
            before,
        ],
        [
            HotSpotTrend.NEW.value,
            HotSpotTrend.INTENSIFYING.value,
            HotSpotTrend.DIMINISHING.value,
            HotSpotTrend.PERSISTENT.value,
            HotSpotTrend.SPORADIC.value,
            HotSpotTrend.HISTORICAL.value,
        ],
        default=HotSpotTrend.NONE.value,
    )
    return EmergingHotSpots(
        category=read_only(np.asarray(category, dtype="<U12")),
        hot_periods=read_only(np.asarray(hot_periods, dtype=np.int64)),
        trend=trend,
        periods=t,
        persistent_share=share,
        trend_alpha=trend_alpha,
        notes=_notes(t, trend_alpha),
    )


def emerging_hot_spots(
    periods: Sequence[HotSpots],
    *,
    persistent_share: float = 0.9,
    trend_alpha: float = 0.05,
) -> EmergingHotSpots:
    """:func:`hot_spot_trends` from the Gi* results of consecutive periods, oldest first.

    A cell is hot in a period when it is a significant hot spot there
    (:attr:`HotSpots.hot <civica.stats.hotspots.HotSpots.hot>`: after the false discovery
    rate correction when the results were computed with it). All periods must be on the
    same cells (same grid or the same areas in the same order).

    References
    ----------
    .. [1] Esri. How Emerging Hot Spot Analysis works. ArcGIS Pro documentation.
    .. [2] Mann, H. B. (1945). Nonparametric tests against trend. *Econometrica* 13(3),
       245–259.
    """
    results = list(periods)
    shapes = {np.shape(result.z) for result in results}
    if len(shapes) > 1:
        raise ValueError(f"The periods are on different cells: shapes {sorted(shapes)}.")
    hot = np.stack([np.asarray(result.hot) for result in results]) if results else np.array([])
    z = np.stack([np.asarray(result.z) for result in results]) if results else np.array([])
    return hot_spot_trends(
        hot.astype(bool), z, persistent_share=persistent_share, trend_alpha=trend_alpha
    )


def _notes(t: int, alpha: float) -> tuple[Note, ...]:
    notes = []
    pairs = t * (t - 1) / 2
    variance = t * (t - 1) * (2 * t + 5) / 18
    smallest_p = 2 * stats.norm.sf((pairs - 1) / math.sqrt(variance))
    if smallest_p >= alpha:
        notes.append(
            Note(
                "no_trend_possible",
                f"With {t} periods no Mann–Kendall trend can be significant at {alpha:g} "
                f"(the smallest possible p-value is {smallest_p:.2g}): no hot spot can be "
                "intensifying or diminishing.",
                {"periods": t, "alpha": alpha, "p": float(smallest_p)},
            )
        )
    if t < _RECOMMENDED_PERIODS:
        notes.append(
            Note(
                "few_periods",
                f"Only {t} periods: trends of hot spots are fragile with fewer than "
                f"{_RECOMMENDED_PERIODS}.",
                {"periods": t, "recommended": _RECOMMENDED_PERIODS},
            )
        )
    return tuple(notes)
