"""Pieces of the one-sentence results every evaluation method words, in Spanish or English.

"Robo a transeúnte fell 23% (95% CI 9% to 35%) in the 3 target sectors of Cuauhtémoc relative
to 12 comparison sectors, 2015 vs 2014; no significant displacement to the 500 m buffer."
A fall or rise is only claimed when the whole interval is on one side of zero; otherwise the
sentence says the change cannot be told apart from no change.
"""

from __future__ import annotations

import datetime as dt
import math

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from civica.stats.evaluation import RelativeIncidenceRateRatio
from civica.tables import number_text, signed_number_text

Z_95 = 1.959963984540054


def crime_label(name: str) -> str:
    """Layer crime names are often all capitals; a sentence reads better in sentence case.

    Abbreviations with dots ("C.V." con violencia, "S.V." sin violencia) keep their capitals.
    """
    if not name.isupper():
        return name
    words = [w if "." in w else w.lower() for w in name.split(" ")]
    text = " ".join(words)
    return text[:1].upper() + text[1:]


def window_label(start: dt.date, end: dt.date) -> str:
    """Whole calendar years as "2015" or "2015–2016", whole months as "2015-03–2016-02",
    anything else as its ISO dates."""
    whole_months = start.day == 1 and (end + dt.timedelta(days=1)).day == 1
    if whole_months and (start.month, end.month) == (1, 12):
        years = (start.year, end.year)
        return str(start.year) if years[0] == years[1] else f"{years[0]}–{years[1]}"
    if whole_months:
        return f"{start:%Y-%m}–{end:%Y-%m}"
    return f"{start.isoformat()}–{end.isoformat()}"


def _pct(value: float) -> str:
    return number_text(value, decimals=0)


def interval_text(lower: float, upper: float, *, signed: bool = True) -> str:
    """ "95% CI −12% to +40%", or "95% CI from −12%, no upper bound" when the data cannot
    rule out any increase (an infinite upper bound is never written as a number)."""

    def form(value: float) -> str:
        return signed_number_text(value, decimals=0) if signed else _pct(value)

    if math.isinf(upper):
        return _("95%% CI from %(lo)s%%, no upper bound") % {"lo": form(lower)}
    return _("95%% CI %(lo)s%% to %(hi)s%%") % {"lo": form(lower), "hi": form(upper)}


def effect_clause(effect: RelativeIncidenceRateRatio, crimes: str) -> str:
    values = {"crimes": crimes}
    if effect.percent_upper < 0:
        values |= {
            "pct": _pct(-effect.percent_change),
            "lo": _pct(-effect.percent_upper),
            "hi": _pct(-effect.percent_lower),
        }
        return _("%(crimes)s fell %(pct)s%% (95%% CI %(lo)s%% to %(hi)s%%)") % values
    if effect.percent_lower > 0:
        values |= {
            "pct": _pct(effect.percent_change),
            "interval": interval_text(effect.percent_lower, effect.percent_upper, signed=False),
        }
        return _("%(crimes)s rose %(pct)s%% (%(interval)s)") % values
    values |= {
        "pct": signed_number_text(effect.percent_change, decimals=0),
        "interval": interval_text(effect.percent_lower, effect.percent_upper),
    }
    return (
        _("%(crimes)s changed by %(pct)s%% (%(interval)s), not distinguishable from no change,")
        % values
    )


def relative_to(m: int) -> str:
    return ngettext(
        "relative to %(m)s comparison sector", "relative to %(m)s comparison sectors", m
    ) % {"m": m}
