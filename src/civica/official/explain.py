"""Why a crime is a priority, in the user's language, from the figures behind its score."""

from __future__ import annotations

import math

from django.utils.formats import number_format
from django.utils.translation import gettext as _


def _n(value: float, digits: int = 0) -> str:
    return number_format(value, decimal_pos=digits, use_l10n=True, force_grouping=True)


def _ratio(ratio) -> str:
    return _("%(ratio)s× (95%% CI %(low)s–%(high)s)") % {
        "ratio": _n(ratio.ratio, 1),
        "low": _n(ratio.lower, 1),
        "high": _n(ratio.upper, 1),
    }


def _sentences(level: str) -> dict[str, str]:
    """Whole sentences per level (translators need them whole, not assembled from nouns)."""
    if level == "sector":
        return {
            "volume": _(
                "%(count)s in the last 12 months, %(share)s%% of the sector's total; "
                "rate %(rate)s per 100,000."
            ),
            "above": _("Above the municipality: %(ratio)s the municipality's rate."),
            "below": _("Below the municipality: %(ratio)s the municipality's rate."),
        }
    return {
        "volume": _(
            "%(count)s in the last 12 months, %(share)s%% of the municipality's total; "
            "rate %(rate)s per 100,000."
        ),
        "above": _("Above the state: %(ratio)s the state's rate."),
        "below": _("Below the state: %(ratio)s the state's rate."),
    }


def reasons(crime, *, level: str = "municipality") -> list[str]:
    """Sentences for one :class:`civica.stats.PriorityCrime` of a municipality (compared
    with its state) or of a sector (compared with its municipality)."""
    sentences = _sentences(level)
    lines = [
        sentences["volume"]
        % {"count": _n(crime.count), "share": _n(crime.share * 100, 1), "rate": _n(crime.rate, 1)}
    ]
    own = crime.own_ratio
    if not math.isnan(own.ratio):
        if own.lower > 1:
            lines.append(_("Rising: %(ratio)s its own 3-year baseline.") % {"ratio": _ratio(own)})
        elif own.upper < 1:
            lines.append(_("Falling: %(ratio)s its own 3-year baseline.") % {"ratio": _ratio(own)})
        else:
            lines.append(
                _("No clear change against its own 3-year baseline: %(ratio)s.")
                % {"ratio": _ratio(own)}
            )
    state = crime.state_ratio
    if not math.isnan(state.ratio) and state.lower > 1:
        lines.append(sentences["above"] % {"ratio": _ratio(state)})
    elif not math.isnan(state.ratio) and state.upper < 1:
        lines.append(sentences["below"] % {"ratio": _ratio(state)})
    if crime.components.severity >= 0.8:
        lines.append(_("High severity (life and liberty)."))
    if crime.window_missing:
        lines.append(
            _("%(n)d month(s) of the window not reported yet.") % {"n": len(crime.window_missing)}
        )
    return lines


def priority_rows(ranking, *, level: str = "municipality") -> list[dict]:
    """A priority ranking as table rows (CLI, CSV, JSON), each with its reasons."""
    return [
        {
            "rank": c.rank,
            "crime": c.crime,
            "score": round(c.score, 3),
            "count": c.count,
            "rate_per_100k": c.rate,
            "reasons": " ".join(reasons(c, level=level)),
        }
        for c in ranking.crimes
    ]
