"""Private helpers: monthly series and populations in the shapes the public functions accept.

Months are handled internally as integer ordinals (``year * 12 + month - 1``) so that
windows of months are plain integer ranges.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Mapping
from datetime import date, datetime
from numbers import Real
from typing import TYPE_CHECKING

import numpy as np

from civica.stats.periods import Month, Period, PeriodKind, days_in_month

if TYPE_CHECKING:
    import pandas as pd


def _pandas():
    """pandas if something imported it, else None: no pandas object can exist without it, so
    a mapping of plain numbers is read without paying for its import."""
    return sys.modules.get("pandas")


def _is_missing(value: object) -> bool:
    pd = _pandas()
    return value is None or (pd is not None and value is pd.NA)


Population = float | Mapping[int, float]
"""One population for every month, or a mapping of calendar year to mid-year population."""


def ordinal(year: int, month: int) -> int:
    return int(year) * 12 + int(month) - 1


def month_of(value: int) -> Month:
    year, index = divmod(int(value), 12)
    return (year, index + 1)


def to_ordinal(key: object) -> int:
    """The month ordinal of one index key (see :func:`monthly_series` for the forms)."""
    if isinstance(key, Period):
        if key.kind is not PeriodKind.MONTH:
            raise ValueError(f"A monthly series is indexed by months, not {key.label!r}.")
        return ordinal(*key.first_month)
    pd = _pandas()
    if pd is not None and isinstance(key, pd.Period):
        if not key.freqstr.startswith("M"):
            raise ValueError(f"A monthly series is indexed by months, not {key!r}.")
        return ordinal(key.year, key.month)
    if isinstance(key, datetime | date):
        return ordinal(key.year, key.month)
    if isinstance(key, np.datetime64):
        months = int(key.astype("datetime64[M]").astype(np.int64))  # months since 1970-01
        return ordinal(1970, 1) + months
    if isinstance(key, str):
        return to_ordinal(Period.parse(key.strip()))
    if isinstance(key, tuple) and len(key) == 2:
        return ordinal(*Period.month(*key).first_month)
    raise TypeError(
        f"Cannot read {key!r} as a month: use (year, month), 'YYYY-MM', a monthly "
        "civica Period, a monthly pandas Period or a date."
    )


def monthly_series(counts: object, *, what: str = "counts") -> pd.Series:
    """Counts as a float Series indexed by sorted month ordinals; missing months are NaN.

    ``counts`` is a pandas Series or a mapping whose keys are months: ``(year, month)``
    tuples (or a two-level year/month MultiIndex), ``"YYYY-MM"`` labels, monthly
    :class:`~civica.stats.periods.Period` objects, a monthly ``pandas.PeriodIndex`` or dates
    (any day of the month). ``None`` and NaN values are months not reported.
    """
    import pandas as pd

    if isinstance(counts, pd.Series):
        index, values = counts.index, counts.to_numpy(dtype=object)
    elif isinstance(counts, Mapping):
        index, values = list(counts.keys()), np.array(list(counts.values()), dtype=object)
    else:
        raise TypeError(f"The {what} must be a pandas Series or a mapping of month to value.")

    ordinals = _ordinals(index)
    numbers = np.array(
        [np.nan if value is None or value is pd.NA else value for value in values],
        dtype=float,
    )
    if np.isinf(numbers).any():
        raise ValueError(f"The {what} hold an infinite value.")
    if (numbers < 0).any():
        raise ValueError(f"The {what} hold a negative value.")
    series = pd.Series(numbers, index=pd.Index(ordinals, dtype="int64"), name=what)
    if series.index.has_duplicates:
        repeated = month_of(series.index[series.index.duplicated()][0])
        raise ValueError(f"The {what} hold the month {repeated[0]}-{repeated[1]:02d} twice.")
    return series.sort_index()


class MonthlyValues(dict):
    """Month ordinal → value (NaN: not reported), checked and sorted (:func:`monthly_values`)."""


def monthly_values(counts: object, *, what: str = "counts") -> MonthlyValues:
    """What :func:`monthly_series` holds, as a dict of month ordinal to value (NaN: not
    reported), sorted by month; a mapping is read without pandas (the CLI's series and the
    pages' rates need none), with the same checks."""
    if isinstance(counts, MonthlyValues):
        return counts
    pd = _pandas()
    if pd is not None and isinstance(counts, pd.Series):
        series = monthly_series(counts, what=what)
        return MonthlyValues(zip(series.index.tolist(), series.tolist(), strict=True))
    if not isinstance(counts, Mapping):
        raise TypeError(f"The {what} must be a pandas Series or a mapping of month to value.")
    ordinals = [to_ordinal(key) for key in counts]
    numbers = np.array(
        [np.nan if _is_missing(value) else value for value in counts.values()], dtype=float
    )
    if np.isinf(numbers).any():
        raise ValueError(f"The {what} hold an infinite value.")
    if (numbers < 0).any():
        raise ValueError(f"The {what} hold a negative value.")
    values = dict(zip(ordinals, numbers.tolist(), strict=True))
    if len(values) < len(ordinals):
        seen: set[int] = set()
        repeated = month_of(next(o for o in ordinals if o in seen or seen.add(o)))
        raise ValueError(f"The {what} hold the month {repeated[0]}-{repeated[1]:02d} twice.")
    return MonthlyValues(sorted(values.items()))


def _ordinals(index: object) -> np.ndarray:
    pd = _pandas()
    if pd is None:
        return np.array([to_ordinal(key) for key in index], dtype=np.int64)
    if isinstance(index, pd.PeriodIndex):
        if not index.freqstr.startswith("M"):
            raise ValueError(f"A monthly series is indexed by months, not {index.freqstr!r}.")
        return np.asarray(index.year * 12 + index.month - 1, dtype=np.int64)
    if isinstance(index, pd.DatetimeIndex):
        return np.asarray(index.year * 12 + index.month - 1, dtype=np.int64)
    if isinstance(index, pd.MultiIndex):
        if index.nlevels != 2:
            raise ValueError("A MultiIndex of months has two levels: year and month.")
        return np.array([to_ordinal(tuple(key)) for key in index], dtype=np.int64)
    return np.array([to_ordinal(key) for key in index], dtype=np.int64)


def population_by_month(population: Population, ordinals: np.ndarray) -> np.ndarray:
    """The population for each month ordinal; NaN where it is missing or zero."""
    ordinals = np.asarray(ordinals, dtype=np.int64)
    if isinstance(population, Mapping):
        years = ordinals // 12
        values = np.array(
            [_population_value(population.get(int(year))) for year in years], dtype=float
        )
    else:
        values = np.full(ordinals.shape, _population_value(population), dtype=float)
    return values


def _population_value(value: object) -> float:
    if _is_missing(value):
        return math.nan
    if not isinstance(value, Real) or isinstance(value, bool):
        raise TypeError(f"A population is a number, not {value!r}.")
    value = float(value)
    if value < 0:
        raise ValueError(f"A population cannot be negative ({value}).")
    return math.nan if value == 0 else value


def person_years(population: Population, ordinals: np.ndarray, *, by_days: bool = False) -> float:
    """Person-time in years over the given months.

    Each month counts as 1/12 of a year, or as ``days / 365`` with ``by_days``. NaN when the
    population of any of the months is missing or zero, or when there are no months.
    """
    ordinals = np.asarray(ordinals, dtype=np.int64)
    if ordinals.size == 0:
        return math.nan
    pops = population_by_month(population, ordinals)
    # Summing before dividing keeps whole years exact (12 × 1/12 is not 1 in floating point).
    if by_days:
        days = np.array([_days(value) for value in ordinals], dtype=float)
        return float(np.sum(pops * days) / 365.0)
    return float(np.sum(pops) / 12.0)


def _days(value: int) -> int:
    return days_in_month(*month_of(value))
