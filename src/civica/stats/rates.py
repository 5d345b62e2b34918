"""Crime rates per 100,000 inhabitants, annualised, over months and longer periods.

Two annualisation rules exist in Mexican crime reporting and give different figures for
the same month, so every result says which one it used (:class:`Annualisation`):

* ``DAYS`` — count ÷ days in the month × 365 ÷ population × 100,000: a 31-day January and
  a 28-day February are put on the same daily footing. This is the rule for monthly rates.
* ``MONTHS`` — count × 12 ÷ number of months ÷ population × 100,000: every month weighs
  one twelfth of a year, so a complete calendar (or fiscal) year gives exactly the plain
  annual rate count ÷ population × 100,000. This is the rule for periods longer than a
  month. (It is what "30-day months", count ÷ 30 × 30 × 12, amounts to.)

A month that has not been reported is missing (``None``/NaN), never zero: SESNSP leaves
months not yet published empty. Totals and rates over a period with missing months are
returned with ``complete=False`` and the list of missing months.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from civica.stats._arrays import as_float_arrays, check_level, finish
from civica.stats._monthly import Population, month_of, monthly_values, ordinal, person_years
from civica.stats.intervals import PER_100K, rate_interval
from civica.stats.periods import Month, Period

__all__ = [
    "Annualisation",
    "Completeness",
    "PeriodRate",
    "PeriodTotal",
    "annualised_monthly_rate",
    "period_rate",
    "period_total",
    "rate_per_100k",
]


class Annualisation(StrEnum):
    DAYS = "days"
    """count ÷ days counted × 365 ÷ population × 100,000."""
    MONTHS = "months"
    """count × 12 ÷ months counted ÷ population × 100,000."""

    @property
    def formula(self) -> str:
        if self is Annualisation.DAYS:
            return "count ÷ days in the months counted × 365 ÷ population × 100,000"
        return "count × 12 ÷ months counted ÷ population × 100,000"


def rate_per_100k(count: object, population: object) -> float | np.ndarray:
    """Plain rate: count ÷ population × 100,000, element-wise.

    Parameters
    ----------
    count : float or array_like
        Counts; NaN or ``None`` is missing and gives NaN.
    population : float or array_like
        Population; missing (NaN/``None``) or 0 gives NaN, never infinity.

    Returns
    -------
    float or numpy.ndarray
        A float for scalar input, otherwise a read-only array of the broadcast shape.

    Raises
    ------
    ValueError
        For a negative population.

    References
    ----------
    .. [1] SESNSP, *Incidencia delictiva del fuero común*, and CONAPO, *Proyecciones de la
       población de México y de las entidades federativas 2020–2070*: rates use CONAPO's
       mid-year population of the same year.

    Examples
    --------
    >>> rate_per_100k(25, 50_000)
    50.0
    >>> rate_per_100k([25, 3], [50_000, 0]).tolist()
    [50.0, nan]
    """
    (counts, pops), scalar = as_float_arrays(count, population)
    if (pops[~np.isnan(pops)] < 0).any():
        raise ValueError("A population cannot be negative.")
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(pops > 0, counts / pops * PER_100K, np.nan)
    return finish(rate, scalar)


def annualised_monthly_rate(
    count: object,
    population: object,
    year: object,
    month: object,
    *,
    rule: Annualisation | str = Annualisation.DAYS,
) -> float | np.ndarray:
    """Annualised rate per 100,000 for one month's count, element-wise.

    With the default ``rule="days"``::

        rate = count ÷ days in month × 365 ÷ population × 100,000

    so 31 crimes in a January in a population of 100,000 is 365.0. With ``rule="months"``
    the count is multiplied by 12 instead (372.0 for the same January).

    Parameters
    ----------
    count : float or array_like
        The month's count; NaN/``None`` (not reported) gives NaN.
    population : float or array_like
        Mid-year population of the month's year; missing or 0 gives NaN.
    year, month : int or array_like
        The calendar month of each count.
    rule : Annualisation or str, default "days"

    Returns
    -------
    float or numpy.ndarray

    References
    ----------
    .. [1] Valle-Jones, D. elcri.men — Crime in Mexico, https://elcri.men/en/ : monthly
       rates annualised by the number of days in the month (its municipal charts state
       "30 day months" instead, i.e. ``rule="months"``).

    Examples
    --------
    >>> annualised_monthly_rate(31, 100_000, 2023, 1)
    365.0
    >>> annualised_monthly_rate(28, 100_000, 2023, 2)
    365.0
    """
    rule = Annualisation(rule)
    (counts, pops, years, months), scalar = as_float_arrays(count, population, year, month)
    if np.isnan(years).any() or np.isnan(months).any():
        raise ValueError("Every count needs its year and month.")
    if rule is Annualisation.DAYS:
        days = _days_in_month(years.astype(np.int64), months.astype(np.int64))
        factor = 365.0 / days
    else:
        factor = np.full(counts.shape, 12.0)
    plain = rate_per_100k(counts * factor, pops)
    return finish(np.asarray(plain), scalar)


def _days_in_month(years: np.ndarray, months: np.ndarray) -> np.ndarray:
    if ((months < 1) | (months > 12)).any():
        raise ValueError("A month is 1–12.")
    first = (years - 1970) * 12 + (months - 1)
    starts = first.astype("datetime64[M]").astype("datetime64[D]")
    ends = (first + 1).astype("datetime64[M]").astype("datetime64[D]")
    return (ends - starts).astype(np.int64).astype(float)


@dataclass(frozen=True)
class Completeness:
    """Which months of a period are reported in a monthly series and which are missing."""

    period: Period
    reported: tuple[Month, ...]
    missing: tuple[Month, ...]

    @property
    def complete(self) -> bool:
        return not self.missing

    @property
    def n_reported(self) -> int:
        return len(self.reported)

    @property
    def n_missing(self) -> int:
        return len(self.missing)

    @classmethod
    def of(cls, period: Period, counts: object) -> Completeness:
        """Completeness of ``period`` in ``counts`` (a monthly Series or mapping).

        A month absent from ``counts`` or holding NaN/``None`` is missing; 0 is reported.
        """
        return cls._from_series(period, monthly_values(counts))

    @classmethod
    def _from_series(cls, period: Period, series: dict[int, float]) -> Completeness:
        wanted = [ordinal(*month) for month in period.months]
        known = [not math.isnan(series.get(o, math.nan)) for o in wanted]
        return cls(
            period=period,
            reported=tuple(month_of(o) for o, k in zip(wanted, known, strict=True) if k),
            missing=tuple(month_of(o) for o, k in zip(wanted, known, strict=True) if not k),
        )


class _Completed:
    """``complete`` and ``missing`` of a result that carries its ``completeness``."""

    completeness: Completeness

    @property
    def complete(self) -> bool:
        return self.completeness.complete

    @property
    def missing(self) -> tuple[Month, ...]:
        return self.completeness.missing


@dataclass(frozen=True)
class PeriodTotal(_Completed):
    """Sum of the reported months of a period; NaN when none is reported."""

    period: Period
    total: float
    completeness: Completeness


@dataclass(frozen=True)
class PeriodRate(_Completed):
    """Annualised rate per 100,000 over a period, with its exact Poisson interval.

    ``total`` and ``rate`` cover only ``completeness.reported``; when ``complete`` is false
    the rate is annualised over the months reported (an incomplete year is not divided by
    12 months), and the missing months are listed.
    """

    period: Period
    total: float
    person_years: float
    rate: float
    lower: float
    upper: float
    level: float
    rule: Annualisation
    completeness: Completeness

    @property
    def months_counted(self) -> int:
        return self.completeness.n_reported

    @property
    def formula(self) -> str:
        """The annualisation rule in words, for a page's footnote."""
        return self.rule.formula


def period_total(counts: object, period: Period) -> PeriodTotal:
    """Total count over ``period``, with which months were reported.

    Parameters
    ----------
    counts : pandas.Series or mapping
        Monthly counts keyed by month: ``(year, month)``, ``"YYYY-MM"``, a monthly
        :class:`~civica.stats.periods.Period`, a monthly ``pandas.Period`` or a date. A month
        absent or NaN/``None`` is missing; 0 is a reported zero.
    period : Period

    Returns
    -------
    PeriodTotal
        ``total`` sums the reported months only; ``complete`` is false and ``missing``
        lists the months absent, so an incomplete total is never mistaken for a complete
        one. With no month reported the total is NaN, not 0.

    Examples
    --------
    >>> t = period_total({(2023, 1): 5, (2023, 2): None, (2023, 3): 0}, Period.quarter(2023, 1))
    >>> t.total, t.complete, t.missing
    (5.0, False, ((2023, 2),))
    """
    series = monthly_values(counts)
    completeness = Completeness._from_series(period, series)
    return PeriodTotal(
        period=period, total=_sum_reported(series, completeness), completeness=completeness
    )


def period_rate(
    counts: object,
    population: Population,
    period: Period,
    *,
    rule: Annualisation | str | None = None,
    level: float = 0.95,
) -> PeriodRate:
    """Annualised rate per 100,000 over a period, with its exact Poisson interval.

    The rate is the total of the reported months divided by the person-years they
    represent, times 100,000. Person-years follow ``rule``:

    * ``"months"`` (default for periods of more than one month): each month is 1/12 of a
      year, so ``rate = total × 12 ÷ months ÷ population × 100,000``; a complete calendar
      year gives the plain annual rate;
    * ``"days"`` (default for a single month): each month is ``days / 365`` of a year, so a
      single month gives :func:`annualised_monthly_rate`.

    Parameters
    ----------
    counts : pandas.Series or mapping
        Monthly counts (see :func:`period_total`); missing months are NaN/``None`` or absent.
    population : float or mapping of int to float
        Population at risk: one number, or mid-year population by calendar year (a fiscal
        year then uses each month's own year). Missing or zero gives a NaN rate.
    period : Period
    rule : Annualisation or str, optional
        Override the default rule described above.
    level : float, default 0.95
        Level of the exact (Garwood) interval of the rate.

    Returns
    -------
    PeriodRate
        ``rule`` records the rule used; ``complete``/``missing`` the months behind it. An
        incomplete period is annualised over the months reported: for crimes with a strong
        season this is biased, which is why ``complete`` must be shown with it.

    Raises
    ------
    ValueError
        For fractional or negative counts (the interval needs whole numbers of events).

    References
    ----------
    .. [1] Valle-Jones, D. elcri.men — Crime in Mexico, https://elcri.men/en/ (annualised
       monthly rates).
    .. [2] Garwood, F. (1936). Fiducial limits for the Poisson distribution. *Biometrika*
       28(3/4), 437–442.

    Examples
    --------
    >>> counts = {(2023, m): 10 for m in range(1, 13)}
    >>> r = period_rate(counts, 100_000, Period.calendar_year(2023))
    >>> r.rate, r.rule.value, r.complete
    (120.0, 'months', True)
    """
    level = check_level(level)
    chosen = Annualisation(rule) if rule is not None else _default_rule(period)
    series = monthly_values(counts)
    completeness = Completeness._from_series(period, series)
    total = _sum_reported(series, completeness)
    reported = np.array([ordinal(*month) for month in completeness.reported], dtype=np.int64)
    exposure = person_years(population, reported, by_days=chosen is Annualisation.DAYS)
    if math.isnan(total) or math.isnan(exposure):
        rate = lower = upper = math.nan
    else:
        interval = rate_interval(total, exposure, years=1.0, level=level)
        rate, lower, upper = interval.rate, interval.lower, interval.upper
    return PeriodRate(
        period=period,
        total=total,
        person_years=exposure,
        rate=rate,
        lower=lower,
        upper=upper,
        level=level,
        rule=chosen,
        completeness=completeness,
    )


def _default_rule(period: Period) -> Annualisation:
    return Annualisation.DAYS if period.n_months == 1 else Annualisation.MONTHS


def _sum_reported(series: dict[int, float], completeness: Completeness) -> float:
    if not completeness.reported:
        return math.nan
    wanted = [ordinal(*month) for month in completeness.reported]
    return float(np.array([series[o] for o in wanted]).sum())
