"""The one-sentence result of an evaluation, in Spanish or English.

"Robo a transeúnte fell 23% (95% CI 9% to 35%) in the 3 target sectors of Cuauhtémoc relative
to 12 comparison sectors, 2015 vs 2014; no significant displacement to the 500 m buffer."
A fall or rise is only claimed when the whole interval is on one side of zero; otherwise the
sentence says the change cannot be told apart from no change.
"""

from __future__ import annotations

import datetime as dt
import math

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from civica.stats.evaluation import RelativeIncidenceRateRatio

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
    return f"{value:.0f}"


def interval_text(lower: float, upper: float, *, signed: bool = True) -> str:
    """ "95% CI −12% to +40%", or "95% CI from −12%, no upper bound" when the data cannot
    rule out any increase (an infinite upper bound is never written as a number)."""
    form = "{:+.0f}" if signed else "{:.0f}"
    if math.isinf(upper):
        return _("95%% CI from %(lo)s%%, no upper bound") % {"lo": form.format(lower)}
    return _("95%% CI %(lo)s%% to %(hi)s%%") % {
        "lo": form.format(lower),
        "hi": form.format(upper),
    }


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
        "pct": f"{effect.percent_change:+.0f}",
        "interval": interval_text(effect.percent_lower, effect.percent_upper),
    }
    return (
        _("%(crimes)s changed by %(pct)s%% (%(interval)s), not distinguishable from no change,")
        % values
    )


def _relative_to(m: int) -> str:
    return ngettext(
        "relative to %(m)s comparison sector", "relative to %(m)s comparison sectors", m
    ) % {"m": m}


def displacement_clause(evaluation) -> str:
    wdd, metres = evaluation.wdd, evaluation.design.buffer_metres
    if wdd is None or not metres:
        return ""
    if wdd.se_displacement == 0:
        return _("; no incidents in the %(metres)s m buffer to assess displacement") % {
            "metres": metres
        }
    z = wdd.displacement / wdd.se_displacement
    if abs(z) < Z_95:
        return _("; no significant displacement to the %(metres)s m buffer") % {"metres": metres}
    if z > 0:
        return _(
            "; crime rose in the %(metres)s m buffer relative to the comparison "
            "(possible displacement)"
        ) % {"metres": metres}
    return _("; crime also fell in the %(metres)s m buffer (diffusion of benefits)") % {
        "metres": metres
    }


def headline(evaluation, language: str | None = None) -> str:
    """The sentence for ``evaluation`` in ``language`` (default: the active one)."""
    with translation.override(language or translation.get_language()):
        design = evaluation.design
        crimes = ", ".join(crime_label(c) for c in evaluation.crimes)
        n = len(evaluation.target.names)
        m = len(evaluation.comparison.names)
        places = ngettext(
            "in the %(n)s target sector of %(municipality)s",
            "in the %(n)s target sectors of %(municipality)s",
            n,
        ) % {"n": n, "municipality": design.intervention.municipality.name}
        comparison = _relative_to(m)
        periods = _("%(after)s vs %(before)s") % {
            "after": window_label(design.after_start, design.after_end),
            "before": window_label(design.before_start, design.before_end),
        }
        sentence = f"{effect_clause(evaluation.effect, crimes)} {places} {comparison}, {periods}"
        return sentence + displacement_clause(evaluation) + "."


def municipal_headline(evaluation, language: str | None = None) -> str:
    """The sentence of a synthetic-control evaluation: percent gap, placebo rank, donors."""
    with translation.override(language or translation.get_language()):
        design, fit, inference = evaluation.design, evaluation.fit, evaluation.inference
        values = {
            "crimes": ", ".join(crime_label(c) for c in evaluation.crimes),
            "municipality": design.intervention.municipality.name,
            "donors": len(evaluation.donor_names),
            "after": window_label(design.after_start, design.after_end),
            "observed": f"{fit.observed_post_total:,.0f}",
            "synthetic": f"{fit.synthetic_post_total:,.0f}",
            "rank": inference.rank,
            "of": inference.n_included + 1,
            "p": f"{inference.p_value:.2f}",
        }
        if fit.effect_percent is None:
            return (
                _(
                    "%(crimes)s in %(municipality)s, %(after)s: %(observed)s observed against a "
                    "synthetic control of 0; no percent can be given."
                )
                % values
            )
        values["pct"] = f"{abs(fit.effect_percent):.0f}"
        if fit.effect_percent < 0:
            text = _(
                "%(crimes)s in %(municipality)s was %(pct)s%% lower than its synthetic control "
                "from %(donors)s municipalities in %(after)s (%(observed)s vs %(synthetic)s); "
                "placebo rank %(rank)s of %(of)s, p = %(p)s"
            )
        else:
            text = _(
                "%(crimes)s in %(municipality)s was %(pct)s%% higher than its synthetic control "
                "from %(donors)s municipalities in %(after)s (%(observed)s vs %(synthetic)s); "
                "placebo rank %(rank)s of %(of)s, p = %(p)s"
            )
        text = text % values
        if inference.p_value >= 0.05:
            text += _(": not distinguishable from the placebos")
        if fit.poor_pre_fit:
            text += _("; the pre-period fit is poor, so this is not evidence either way")
        return text + "."


def panel_headline(evaluation, language: str | None = None) -> str:
    """The sentence of a panel design: the fixed-effects IRR, then Callaway–Sant'Anna."""
    with translation.override(language or translation.get_language()):
        design = evaluation.design
        crimes = ", ".join(crime_label(c) for c in evaluation.crimes)
        treated = sum(len(sectors) for _start, sectors in evaluation.cohorts)
        m = len(evaluation.comparison)
        places = ngettext(
            "in %(n)s treated sector of %(municipality)s",
            "in %(n)s treated sectors of %(municipality)s",
            treated,
        ) % {"n": treated, "municipality": design.intervention.municipality.name}
        comparison = _relative_to(m)
        model = _("sector-by-month negative-binomial panel with fixed effects, %(months)s") % {
            "months": f"{window_label(design.before_start, design.before_end)}, "
            f"{window_label(design.after_start, design.after_end)}"
        }
        text = f"{effect_clause(evaluation.regression, crimes)} {places} {comparison} ({model})"
        if evaluation.staggered is not None:
            s = evaluation.staggered
            text += _(
                "; staggered-adoption estimate (Callaway–Sant'Anna): %(pct)s%% (%(interval)s)"
            ) % {
                "pct": f"{s.percent_change:+.0f}",
                "interval": interval_text(s.percent_lower, s.percent_upper),
            }
        return text + "."
