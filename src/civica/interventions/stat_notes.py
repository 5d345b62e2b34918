"""The remarks of the statistics layer in the reader's language.

``civica.stats`` words its notes in English and gives each a stable code; pages word them
again from the code and the figures on the result. A code this module does not know is shown
in the statistics layer's own words.
"""

from __future__ import annotations

import math

from django.utils.translation import gettext as _

from civica.stats import FEW_CLUSTERS, SMALL_COUNT
from civica.stats.staggered import DETECTABLE_CHANGE


def panel_note(note, effect) -> str:
    """One note of a panel regression (``PanelEffect``) as a sentence for the page."""
    texts = {
        "few_clusters": lambda: (
            _(
                "Only %(n)s sectors: intervals that allow for each sector's own ups and downs "
                "are approximate with fewer than %(limit)s; read them as rough and add "
                "comparison sectors."
            )
            % {"n": effect.clusters, "limit": FEW_CLUSTERS}
        ),
        "small_counts": lambda: (
            _(
                "The treated sectors had %(n)s events before the start (fewer than %(limit)s): a "
                "percent change on so small a base swings widely by chance."
            )
            % {"n": effect.baseline_events, "limit": SMALL_COUNT}
        ),
        "staggered": lambda: _(
            "Sectors start at different months: when effects change over time the fixed-effects "
            "estimate mixes comparisons; read it with the staggered (Callaway–Sant'Anna) one."
        ),
        "regression_to_mean": lambda: _(
            "The treated sectors were chosen for being high in the baseline months; part of the "
            "fall would have happened anyway (regression to the mean)."
        ),
        "no_upper_bound": lambda: (
            _(
                "The interval has no upper bound: with %(n)s treated sectors the data cannot "
                "rule out any increase. Add treated or comparison sectors, or use longer windows."
            )
            % {"n": effect.treated_units}
        ),
        "dropped_units": lambda: (
            _("%(n)s sectors had no events at all and add no information: %(names)s.")
            % {"n": len(effect.dropped_units), "names": ", ".join(effect.dropped_units)}
        ),
    }
    text = texts.get(note.code)
    return text() if text else note.message


def staggered_note(note, effect) -> str:
    """One note of the staggered (Callaway–Sant'Anna) estimate as a sentence for the page."""
    texts = {
        "low_power": lambda: (
            _(
                "The staggered estimate has low power: it would detect a %(change)s%% fall only "
                "%(power)s%% of the time (its 95%% interval spans %(width)s percentage points). "
                "An interval that includes no change is not evidence of no effect."
            )
            % {
                "change": f"{DETECTABLE_CHANGE:.0f}",
                "power": f"{effect.power * 100:.0f}",
                "width": f"{effect.percent_upper - effect.percent_lower:.0f}"
                if math.isfinite(effect.percent_upper)
                else "∞",
            }
        ),
    }
    text = texts.get(note.code)
    return text() if text else note.message


def synthetic_notes(inference) -> list[str]:
    """The synthetic control's own notes (fit and placebos) as sentences for the page; the
    poor pre-period fit is said by the evaluation itself."""
    fit = inference.fit
    texts = {
        "outside_donor_range": lambda: (
            _(
                "In %(n)s of the %(pre)s months before the start the municipality is above or "
                "below every donor, which no average of donors can reach."
            )
            % {"n": len(fit.months_outside_donor_range), "pre": fit.n_pre}
        ),
        "weights_not_unique": lambda: _(
            "The path before the start is matched exactly and other weightings may match it too: "
            "read the weights as one of several."
        ),
        "coarse_p_value": lambda: (
            _("With %(n)s placebos the p-value cannot fall below %(p).3f.")
            % {"n": inference.n_included, "p": 1 / (inference.n_included + 1)}
        ),
        "placebos_skipped": lambda: (
            _(
                "%(n)s donors have the same count every month before the start and cannot be "
                "placebos; they stay in the donor pools."
            )
            % {"n": len(inference.skipped_constant)}
        ),
    }
    notes = [*fit.notes, *inference.notes]
    return [
        texts[n.code]() if n.code in texts else n.message for n in notes if n.code != "poor_pre_fit"
    ]
