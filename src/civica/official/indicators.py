"""The official statistics' indicator computation: the total of a SESNSP series over a
reporting period, registered in :mod:`civica.indicators` when the app starts
(``OfficialConfig.ready``).

The selectors (and with them pandas, SciPy and DuckDB) are imported when an indicator is
computed, not here: this module is imported by every Django start, ``civica --help`` included.
"""

from __future__ import annotations

import math

from django.utils.translation import gettext as _

from civica.errors import DataQuestionError
from civica.indicators import WAREHOUSE, Result, registry

__all__ = ["sesnsp_period_total", "sesnsp_total"]


@registry.register(
    "sesnsp_total",
    parameters={
        "crime": None,
        "level": ("bien_juridico", "tipo", "subtipo", "modalidad"),
        "measure": ("crimes", "victims"),
    },
    description="Total of an official SESNSP series over the period (nation, state, municipality).",
    reads=(WAREHOUSE, "official", "territory"),
)
def sesnsp_total(context, crime=None, level="subtipo", measure="crimes") -> Result:
    return sesnsp_period_total(context, crime=crime, level=level, measure=measure)


def sesnsp_period_total(context, *, crime, level, measure) -> Result:
    """The sum of the monthly counts in the period; a month not reported yet makes the
    total unavailable (an incomplete sum would read as a fall)."""
    from civica.official import selectors as official
    from civica.warehouse.sesnsp import AreaFilter, CrimeFilter

    area = AreaFilter(state_code=context.state_code, municipality_code=context.municipality_code)
    period = context.period.period
    try:
        counts, cuts, _notes, _read = official._monthly(
            measure=measure,
            area=area,
            crime=CrimeFilter(level, crime),
            first_year=period.start.year,
            last_year=period.end.year,
            cut=None,
            sex=None,
            age_range=None,
        )
    except DataQuestionError as error:
        return Result.missing(_("not available: %(reason)s") % {"reason": error})
    missing = [m for m in period.months if counts.get(m) is None or math.isnan(counts[m])]
    if missing:
        return Result.missing(
            _("not available: months without SESNSP data: %(months)s")
            % {"months": ", ".join(f"{y}-{m:02d}" for y, m in missing)}
        )
    total = float(sum(counts[m] for m in period.months))
    query = (("state", context.state_code),) if context.state_code else ()
    return Result(value=total, parts={"cuts": len(cuts)}, records=("official:overview", query))
