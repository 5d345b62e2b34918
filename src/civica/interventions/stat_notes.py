"""The remarks of the statistics layer in the reader's language.

``civica.stats`` words its notes in English and gives each a stable code; the one catalogue
of :mod:`civica.messages` words them again from the code, and this module gives it the
figures an evaluation keeps on its result rather than on the note.
"""

from __future__ import annotations

import math

from civica.messages import note_text
from civica.stats import FEW_CLUSTERS, SMALL_COUNT
from civica.stats.staggered import DETECTABLE_CHANGE
from civica.tables import number_text


def panel_note(note, effect) -> str:
    """One note of a panel regression (``PanelEffect``) as a sentence for the page."""
    figures = {
        "few_clusters": lambda: {"n": effect.clusters, "limit": FEW_CLUSTERS},
        "small_counts": lambda: {"n": effect.baseline_events, "limit": SMALL_COUNT},
        "no_upper_bound": lambda: {"n": effect.treated_units},
        "dropped_units": lambda: {
            "n": len(effect.dropped_units),
            "names": ", ".join(effect.dropped_units),
        },
    }
    return note_text(note, **figures.get(note.code, dict)())


def staggered_note(note, effect) -> str:
    """One note of the staggered (Callaway–Sant'Anna) estimate as a sentence for the page."""
    figures = {
        "low_power": lambda: {
            "change": number_text(DETECTABLE_CHANGE, decimals=0),
            "power": number_text(effect.power * 100, decimals=0),
            "width": number_text(effect.percent_upper - effect.percent_lower, decimals=0)
            if math.isfinite(effect.percent_upper)
            else "∞",
        },
    }
    return note_text(note, **figures.get(note.code, dict)())


def synthetic_notes(inference) -> list[str]:
    """The synthetic control's own notes (fit and placebos) as sentences for the page; the
    poor pre-period fit is said by the evaluation itself."""
    fit = inference.fit
    figures = {
        "outside_donor_range": lambda: {
            "n": len(fit.months_outside_donor_range),
            "pre": fit.n_pre,
        },
        "coarse_p_value": lambda: {
            "n": inference.n_included,
            "p": 1 / (inference.n_included + 1),
        },
        "placebos_skipped": lambda: {"n": len(inference.skipped_constant)},
        "placebos_excluded": lambda: {
            "n": len(inference.excluded),
            "limit": inference.exclude_above,
        },
    }
    notes = [*fit.notes, *inference.notes]
    return [note_text(n, **figures.get(n.code, dict)()) for n in notes if n.code != "poor_pre_fit"]
