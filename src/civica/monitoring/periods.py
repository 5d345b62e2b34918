"""Reporting periods as a program names them, and their DHIS2 period identifiers.

Labels read here: ``FY2023`` (US fiscal year, October 2022 – September 2023), ``FY2023Q1``
(first quarter of that fiscal year: October – December 2022), ``2023Q1`` or ``2023-Q1``
(calendar quarter), ``2023`` (calendar year), ``2023-05`` (month) and ``2022-11/2023-04``
(custom range of months). Months and fiscal years come from :mod:`civica.stats.periods`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from civica.stats.periods import Period, PeriodKind

__all__ = ["ReportingPeriod", "dhis2_period", "dhis2_period_note", "parse_period"]

_FISCAL_QUARTER = re.compile(r"^FY(\d{4})Q([1-4])$")
_COMPACT_QUARTER = re.compile(r"^(\d{4})Q([1-4])$")


@dataclass(frozen=True)
class ReportingPeriod:
    """A period with the label the user wrote (normalised) and its months."""

    label: str
    period: Period
    fiscal_quarter: bool = False

    @property
    def start(self) -> date:
        return self.period.start

    @property
    def end(self) -> date:
        return self.period.end

    def elapsed_fraction(self, today: date) -> float:
        """Share of the period's days passed by ``today`` (0 before it, 1 after it)."""
        if today < self.start:
            return 0.0
        if today >= self.end:
            return 1.0
        return ((today - self.start).days + 1) / self.period.n_days


def parse_period(label: str) -> ReportingPeriod:
    """Read a period label; raises ``ValueError`` naming the accepted forms."""
    text = (label or "").strip().upper()
    if match := _FISCAL_QUARTER.match(text):
        fiscal_year, quarter = int(match[1]), int(match[2])
        # Q1 of FY2023 is October – December 2022.
        months = [(fiscal_year - 1, 10 + 3 * (quarter - 1) + i) for i in range(3)]
        months = [(y + (m - 1) // 12, (m - 1) % 12 + 1) for y, m in months]
        return ReportingPeriod(text, Period.custom(months[0], months[-1]), fiscal_quarter=True)
    if match := _COMPACT_QUARTER.match(text):
        text = f"{match[1]}-Q{match[2]}"
    try:
        period = Period.parse(text)
    except (ValueError, TypeError):
        raise ValueError(
            _(
                "“%(label)s” is not a period; write FY2023, FY2023Q1, 2023Q1, 2023, 2023-05 "
                "or 2022-11/2023-04."
            )
            % {"label": label}
        ) from None
    return ReportingPeriod(period.label.replace("-Q", "Q"), period)


def dhis2_period(period: ReportingPeriod) -> str:
    """The DHIS2 period identifier: ``2022Oct`` for FY2023 (DHIS2's financial year starting
    in October, named after the year it starts in), ``2023Q1``, ``2023``, ``202305``.

    A fiscal quarter is the calendar quarter with the same months (FY2023Q1 → ``2022Q4``).
    Custom ranges have no DHIS2 period type and raise ``ValueError``.
    """
    p = period.period
    if period.fiscal_quarter:
        return f"{p.start.year}Q{(p.start.month - 1) // 3 + 1}"
    if p.kind is PeriodKind.FISCAL_YEAR:
        return f"{p.start.year}Oct"
    if p.kind is PeriodKind.QUARTER:
        return f"{p.start.year}Q{(p.start.month - 1) // 3 + 1}"
    if p.kind is PeriodKind.YEAR:
        return str(p.start.year)
    if p.kind is PeriodKind.MONTH:
        return f"{p.start.year}{p.start.month:02d}"
    raise ValueError(
        _("%(label)s has no DHIS2 period type; export a fiscal year, quarter, year or month.")
        % {"label": period.label}
    )


def dhis2_period_note(period: ReportingPeriod) -> str:
    """What an export must say when the DHIS2 period is not the one asked for: DHIS2 has
    financial years (``2022Oct``) but no fiscal-quarter period type, so a fiscal quarter goes
    out as the calendar quarter of the same three months. "" when nothing was translated."""
    if not period.fiscal_quarter:
        return ""
    return _(
        "%(label)s is exported as the DHIS2 calendar quarter %(dhis2)s (%(start)s to %(end)s, "
        "the same months): DHIS2 has no fiscal-quarter period type."
    ) % {
        "label": period.label,
        "dhis2": dhis2_period(period),
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
    }
