"""When crime happens: the hour × weekday profile and the season of a set of incidents.

Counts in, a frozen :class:`TemporalProfile` out (DOMAIN.md §5: analysis asks *when*, by hour
and weekday and by season). Incidents without a recorded time count in the weekday and month
totals and in ``unknown_hour``, never in an hour. Each margin is tested against an even
spread (Pearson's χ²), so a peak is called a peak only when it is beyond chance. No Django.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats

__all__ = ["TemporalProfile", "temporal_profile"]

WEEKDAYS = 7  # Monday = 0 (ISO weekday − 1)
HOURS = 24
MONTHS = 12


@dataclass(frozen=True)
class TemporalProfile:
    hour_weekday: tuple[tuple[int, ...], ...]  # 7 rows (Monday first) × 24 hours
    weekday: tuple[int, ...]  # every incident with a date, by weekday
    month: tuple[int, ...]  # by calendar month, January first
    unknown_hour: int
    total: int
    peak_weekday: int | None  # index of the busiest weekday × hour cell
    peak_hour: int | None
    hour_p: float | None  # χ² test of an even spread over the 24 hours
    weekday_p: float | None
    month_p: float | None  # over the months, weighted by how many of each the period holds

    def as_dict(self) -> dict:
        return {
            "hour_weekday": [list(row) for row in self.hour_weekday],
            "weekday": list(self.weekday),
            "month": list(self.month),
            "unknown_hour": self.unknown_hour,
            "total": self.total,
            "peak_weekday": self.peak_weekday,
            "peak_hour": self.peak_hour,
            "hour_p": self.hour_p,
            "weekday_p": self.weekday_p,
            "month_p": self.month_p,
        }


def _even(counts: np.ndarray, weights: np.ndarray | None = None) -> float | None:
    """p of Pearson's χ² against counts proportional to ``weights`` (even when None)."""
    total = counts.sum()
    if total < 5:
        return None
    expected = np.ones(len(counts)) if weights is None else weights.astype(float)
    keep = expected > 0
    if keep.sum() < 2:
        return None
    expected = expected[keep] / expected[keep].sum() * total
    return float(stats.chisquare(counts[keep], expected).pvalue)


def temporal_profile(weekdays, hours, months, *, month_exposure=None) -> TemporalProfile:
    """The profile of incidents given as parallel arrays: ``weekdays`` 0–6 (Monday = 0),
    ``hours`` 0–23 or −1 when unknown, ``months`` 1–12. ``month_exposure`` (12 numbers, e.g.
    how many times each calendar month occurs in the period) weights the season test."""
    weekdays = np.asarray(weekdays, dtype=int)
    hours = np.asarray(hours, dtype=int)
    months = np.asarray(months, dtype=int)
    if not (len(weekdays) == len(hours) == len(months)):
        raise ValueError("weekdays, hours and months must have the same length")
    if len(weekdays) and (weekdays.min() < 0 or weekdays.max() >= WEEKDAYS):
        raise ValueError("weekdays must be 0 (Monday) to 6")
    if len(months) and (months.min() < 1 or months.max() > MONTHS):
        raise ValueError("months must be 1 to 12")
    known = (hours >= 0) & (hours < HOURS)
    grid = np.zeros((WEEKDAYS, HOURS), dtype=int)
    np.add.at(grid, (weekdays[known], hours[known]), 1)
    by_weekday = np.bincount(weekdays, minlength=WEEKDAYS)
    by_month = np.bincount(months - 1, minlength=MONTHS) if len(months) else np.zeros(12, int)
    peak = np.unravel_index(int(grid.argmax()), grid.shape) if grid.sum() else (None, None)
    exposure = None if month_exposure is None else np.asarray(month_exposure, dtype=float)
    return TemporalProfile(
        hour_weekday=tuple(tuple(int(v) for v in row) for row in grid),
        weekday=tuple(int(v) for v in by_weekday),
        month=tuple(int(v) for v in by_month),
        unknown_hour=int((~known).sum()),
        total=len(weekdays),
        peak_weekday=None if peak[0] is None else int(peak[0]),
        peak_hour=None if peak[1] is None else int(peak[1]),
        hour_p=_even(grid.sum(axis=0)),
        weekday_p=_even(by_weekday),
        month_p=_even(by_month, exposure),
    )
