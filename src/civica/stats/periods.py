"""Calendar periods that crime statistics are counted over.

Official crime counts are monthly (SESNSP publishes one column per month), so every period
here is a whole number of months: a month, a calendar quarter, a calendar year, a US federal
fiscal year (1 October – 30 September, named after the year it ends in: FY2023 runs from
October 2022 to September 2023) or a custom range of months.

Each period has one stable text label, and :meth:`Period.parse` reads it back:

==============  =====================  ==========================
kind            label                  months
==============  =====================  ==========================
month           ``2023-05``            May 2023
quarter         ``2023-Q2``            April – June 2023
year            ``2023``               January – December 2023
fiscal_year     ``FY2023``             October 2022 – September 2023
custom          ``2022-11/2023-04``    November 2022 – April 2023
==============  =====================  ==========================

A month is written as a ``(year, month)`` tuple throughout :mod:`civica.stats`.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

__all__ = ["Month", "Period", "PeriodKind", "days_in_month", "months_in", "period_of"]

Month = tuple[int, int]
"""A calendar month as ``(year, month)``, month 1–12."""

_FISCAL_YEAR_FIRST_MONTH = 10  # 31 U.S.C. § 1102: the fiscal year begins on October 1.

_MONTH_LABEL = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER_LABEL = re.compile(r"^(\d{4})-Q([1-4])$")
_YEAR_LABEL = re.compile(r"^(\d{4})$")
_FISCAL_LABEL = re.compile(r"^FY(\d{4})$")
_CUSTOM_LABEL = re.compile(r"^(\d{4})-(\d{2})/(\d{4})-(\d{2})$")


class PeriodKind(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"
    FISCAL_YEAR = "fiscal_year"
    CUSTOM = "custom"


def days_in_month(year: int, month: int) -> int:
    """Number of days in a calendar month (Gregorian calendar, leap years included).

    Examples
    --------
    >>> days_in_month(2024, 2), days_in_month(2023, 2), days_in_month(2023, 1)
    (29, 28, 31)
    """
    _check_month(year, month)
    return calendar.monthrange(year, month)[1]


@dataclass(frozen=True, order=True)
class Period:
    """A whole number of consecutive calendar months.

    Build one with :meth:`month`, :meth:`quarter`, :meth:`calendar_year`,
    :meth:`fiscal_year`, :meth:`custom`, :meth:`parse` or :func:`period_of`; the fields are
    checked for consistency with ``kind``. Periods sort by start, then end, then kind.

    Attributes
    ----------
    start : datetime.date
        First day of the first month.
    end : datetime.date
        Last day of the last month (inclusive).
    kind : PeriodKind

    References
    ----------
    .. [1] 31 U.S.C. § 1102, "Fiscal year": the fiscal year of the Treasury begins on
       October 1 of each year and ends on September 30 of the following year.
    .. [2] ISO 8601-1:2019, calendar dates with reduced precision (``2023-05``) and time
       intervals written ``start/end``.
    """

    start: date
    end: date
    kind: PeriodKind

    def __post_init__(self) -> None:
        kind = PeriodKind(self.kind)
        object.__setattr__(self, "kind", kind)
        if self.start.day != 1:
            raise ValueError(f"A period starts on the first day of a month, not {self.start}.")
        if self.end.day != days_in_month(self.end.year, self.end.month):
            raise ValueError(f"A period ends on the last day of a month, not {self.end}.")
        if self.end < self.start:
            raise ValueError(f"A period cannot end ({self.end}) before it starts ({self.start}).")
        first, last = (self.start.year, self.start.month), (self.end.year, self.end.month)
        expected = _months_of_kind(kind, first)
        if expected is not None and expected != (first, last):
            raise ValueError(f"{first}–{last} is not a {kind.value} period.")

    # Constructors ------------------------------------------------------------------------

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        """The calendar month ``year-month``."""
        return cls._from_months(PeriodKind.MONTH, (year, month), (year, month))

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        """Calendar quarter 1–4 of ``year`` (Q1 = January – March)."""
        if quarter not in (1, 2, 3, 4):
            raise ValueError(f"A quarter is 1–4, not {quarter!r}.")
        first = 3 * (quarter - 1) + 1
        return cls._from_months(PeriodKind.QUARTER, (year, first), (year, first + 2))

    @classmethod
    def calendar_year(cls, year: int) -> Period:
        """January – December of ``year``."""
        return cls._from_months(PeriodKind.YEAR, (year, 1), (year, 12))

    @classmethod
    def fiscal_year(cls, fiscal_year: int) -> Period:
        """US federal fiscal year ``fiscal_year``: October of the year before – September."""
        return cls._from_months(
            PeriodKind.FISCAL_YEAR,
            (fiscal_year - 1, _FISCAL_YEAR_FIRST_MONTH),
            (fiscal_year, _FISCAL_YEAR_FIRST_MONTH - 1),
        )

    @classmethod
    def custom(cls, first: Month, last: Month) -> Period:
        """The months from ``first`` to ``last`` inclusive, both ``(year, month)``."""
        return cls._from_months(PeriodKind.CUSTOM, tuple(first), tuple(last))

    @classmethod
    def parse(cls, label: str) -> Period:
        """Read a label written by :attr:`label` (``2023-05``, ``2023-Q2``, ``2023``,
        ``FY2023`` or ``2022-11/2023-04``).

        Raises
        ------
        ValueError
            When the text is not exactly one of those forms.
        """
        if not isinstance(label, str):
            raise TypeError(f"A period label is text, not {type(label).__name__}.")
        if match := _MONTH_LABEL.match(label):
            return cls.month(int(match[1]), int(match[2]))
        if match := _QUARTER_LABEL.match(label):
            return cls.quarter(int(match[1]), int(match[2]))
        if match := _YEAR_LABEL.match(label):
            return cls.calendar_year(int(match[1]))
        if match := _FISCAL_LABEL.match(label):
            return cls.fiscal_year(int(match[1]))
        if match := _CUSTOM_LABEL.match(label):
            first = (int(match[1]), int(match[2]))
            last = (int(match[3]), int(match[4]))
            return cls.custom(first, last)
        raise ValueError(
            f"{label!r} is not a period label "
            "(expected 2023-05, 2023-Q2, 2023, FY2023 or 2022-11/2023-04)."
        )

    @classmethod
    def _from_months(cls, kind: PeriodKind, first: Month, last: Month) -> Period:
        _check_month(*first)
        _check_month(*last)
        first = (int(first[0]), int(first[1]))
        last = (int(last[0]), int(last[1]))
        end = date(last[0], last[1], days_in_month(*last))
        return cls(start=date(first[0], first[1], 1), end=end, kind=kind)

    # Derived values ----------------------------------------------------------------------

    @property
    def first_month(self) -> Month:
        return (self.start.year, self.start.month)

    @property
    def last_month(self) -> Month:
        return (self.end.year, self.end.month)

    @property
    def n_months(self) -> int:
        return (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1

    @property
    def n_days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def months(self) -> tuple[Month, ...]:
        """The months of the period in order, as ``(year, month)``."""
        year, month = self.first_month
        out = []
        for _ in range(self.n_months):
            out.append((year, month))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return tuple(out)

    @property
    def label(self) -> str:
        """The stable text form, read back by :meth:`parse`."""
        year, month = self.first_month
        if self.kind is PeriodKind.MONTH:
            return f"{year:04d}-{month:02d}"
        if self.kind is PeriodKind.QUARTER:
            return f"{year:04d}-Q{(month - 1) // 3 + 1}"
        if self.kind is PeriodKind.YEAR:
            return f"{year:04d}"
        if self.kind is PeriodKind.FISCAL_YEAR:
            return f"FY{self.end.year:04d}"
        last_year, last_month = self.last_month
        return f"{year:04d}-{month:02d}/{last_year:04d}-{last_month:02d}"

    def __contains__(self, month: object) -> bool:
        if not (isinstance(month, tuple) and len(month) == 2):
            return False
        key = month[0] * 12 + month[1]
        return self.start.year * 12 + self.start.month <= key <= self.end.year * 12 + self.end.month

    def __str__(self) -> str:
        return self.label

    def __repr__(self) -> str:
        return f"Period.parse({self.label!r})"


def period_of(year: int, month: int, kind: PeriodKind | str) -> Period:
    """The period of ``kind`` that holds the month ``year-month``.

    Parameters
    ----------
    year, month : int
    kind : PeriodKind or str
        ``"month"``, ``"quarter"``, ``"year"`` or ``"fiscal_year"``. A custom range is not
        determined by one month, so ``"custom"`` raises ``ValueError``.

    Examples
    --------
    >>> period_of(2022, 10, "fiscal_year").label
    'FY2023'
    >>> period_of(2023, 5, "quarter").label
    '2023-Q2'
    """
    kind = PeriodKind(kind)
    _check_month(year, month)
    if kind is PeriodKind.MONTH:
        return Period.month(year, month)
    if kind is PeriodKind.QUARTER:
        return Period.quarter(year, (month - 1) // 3 + 1)
    if kind is PeriodKind.YEAR:
        return Period.calendar_year(year)
    if kind is PeriodKind.FISCAL_YEAR:
        return Period.fiscal_year(year + 1 if month >= _FISCAL_YEAR_FIRST_MONTH else year)
    raise ValueError("A custom period is not determined by one month; use Period.custom().")


def months_in(period: Period) -> list[Month]:
    """The months of ``period`` in order, as ``(year, month)`` tuples."""
    return list(period.months)


def _months_of_kind(kind: PeriodKind, first: Month) -> tuple[Month, Month] | None:
    """First and last month a period of ``kind`` starting at ``first`` must have, or ``None``
    when the kind does not fix them (custom) or cannot start there."""
    year, month = first
    if kind is PeriodKind.MONTH:
        return first, first
    if kind is PeriodKind.QUARTER:
        return first, (year, month + 2) if month in (1, 4, 7, 10) else (0, 0)
    if kind is PeriodKind.YEAR:
        return first, (year, 12) if month == 1 else (0, 0)
    if kind is PeriodKind.FISCAL_YEAR:
        ok = month == _FISCAL_YEAR_FIRST_MONTH
        return first, (year + 1, _FISCAL_YEAR_FIRST_MONTH - 1) if ok else (0, 0)
    return None


def _check_month(year: int, month: int) -> None:
    if isinstance(year, bool) or isinstance(month, bool):
        raise TypeError("A year and a month are integers, not booleans.")
    if int(year) != year or int(month) != month:
        raise ValueError(f"A year and a month are whole numbers, not {year!r}, {month!r}.")
    if not 1 <= month <= 12:
        raise ValueError(f"A month is 1–12, not {month!r}.")
    if not 1 <= year <= 9999:
        raise ValueError(f"A year is 1–9999, not {year!r}.")
