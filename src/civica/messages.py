"""One translation catalogue for what the layers below Django say: source errors and the
statistics' notes.

``civica.sources`` raises errors whose messages are English templates with their values kept
apart (:class:`civica.sources.errors.Message`); ``civica.stats`` attaches notes with a stable
code, an English sentence and the figures it quotes (:class:`civica.stats._notes.Note`).
Neither imports Django. Here, at the edge, both become sentences in the reader's language:
:func:`text` for any message, :func:`note_text` for a note (its code looked up in
:data:`NOTES`). :func:`install` makes ``str()`` of a source error translate itself in the
Django process. A test holds every code the statistics emit and every template the readers
use to a Spanish translation.
"""

from __future__ import annotations

from django.utils.translation import gettext, gettext_noop

from civica.sources.errors import set_translator, translate

__all__ = ["NOTES", "install", "note_text", "text"]


def install() -> None:
    """Translate source messages with Django's gettext from now on (called at start-up)."""
    set_translator(gettext)


def text(value: object) -> str:
    """A source message (or an error holding one) in the reader's language."""
    return str(translate(value, gettext))


NOTES: dict[str, tuple[str, ...]] = {
    # Hot spots (stats.hotspots)
    "constant": (gettext_noop("Every unit has the same value: all z-scores are 0."),),
    "whole_window": (
        gettext_noop(
            "%(n)d units have a neighbourhood covering the whole study area, so their z-score "
            "is undefined and set to 0."
        ),
    ),
    "sparse_counts": (
        # stats.concentration
        gettext_noop(
            "There are %(incidents).0f incidents for %(units)d units (%(mean).2f per unit): "
            "sparse counts inflate concentration, since even incidents spread at random leave "
            "most units empty. Compare with the generalized Gini (Bernasco & Steenbeek 2017), "
            "use larger units or longer periods."
        ),
        # stats.hotspots
        gettext_noop(
            "The mean count per unit is %(mean).2f: with sparse, skewed counts the normal "
            "approximation is rough; prefer permutation p-values or larger cells."
        ),
    ),
    "permutation_floor": (
        gettext_noop(
            "With %(permutations)d permutations the smallest pseudo p-value is %(p).2g; after "
            "the false discovery rate correction over %(n)d units few or no units can be "
            "significant. Use more permutations or the analytic p-values."
        ),
    ),
    # Hot-spot trends (stats.emerging)
    "no_trend_possible": (
        gettext_noop(
            "With %(periods)d periods no Mann–Kendall trend can be significant at %(alpha)g "
            "(the smallest possible p-value is %(p).2g): no hot spot can be intensifying or "
            "diminishing."
        ),
    ),
    "few_periods": (
        gettext_noop(
            "Only %(periods)d periods: trends of hot spots are fragile with fewer than "
            "%(recommended)d."
        ),
    ),
    # Density surfaces (stats.kde)
    "bandwidth_below_cell": (
        gettext_noop(
            "The bandwidth (%(bandwidth)g m) is smaller than the cell size (%(cell)g m): the "
            "surface is little more than the count per cell, not a smoothed density. Use a "
            "bandwidth of at least %(suggested)g m (twice the cell size) or smaller cells."
        ),
    ),
    "bandwidth_below_2_cells": (
        gettext_noop(
            "The bandwidth (%(bandwidth)g m) is less than twice the cell size (%(cell)g m): the "
            "kernel covers few cells and the surface is blocky."
        ),
    ),
    "mass_outside": (
        gettext_noop(
            "%(percent).1f%% of the density falls outside the grid: widen its bounds by the "
            "bandwidth so that places near the edge are not understated."
        ),
    ),
    "points_left_out": (
        gettext_noop(
            "%(n)d points are outside the grid or have no coordinates and are not in the surface."
        ),
    ),
    # Panel regressions (stats.panel; figures given by the page from the result)
    "few_clusters": (
        gettext_noop(
            "Only %(n)s sectors: intervals that allow for each sector's own ups and downs "
            "are approximate with fewer than %(limit)s; read them as rough and add "
            "comparison sectors."
        ),
    ),
    "small_counts": (
        gettext_noop(
            "The treated sectors had %(n)s events before the start (fewer than %(limit)s): a "
            "percent change on so small a base swings widely by chance."
        ),
    ),
    "staggered": (
        gettext_noop(
            "Sectors start at different months: when effects change over time the fixed-effects "
            "estimate mixes comparisons; read it with the staggered (Callaway–Sant'Anna) one."
        ),
    ),
    "regression_to_mean": (
        gettext_noop(
            "The treated sectors were chosen for being high in the baseline months; part of the "
            "fall would have happened anyway (regression to the mean)."
        ),
    ),
    "dropped_units": (
        gettext_noop("%(n)s sectors had no events at all and add no information: %(names)s."),
    ),
    "no_upper_bound": (
        gettext_noop(
            "The interval has no upper bound: with %(n)s treated sectors the data cannot "
            "rule out any increase. Add treated or comparison sectors, or use longer windows."
        ),
        gettext_noop("The interval has no upper bound: the data cannot rule out any increase."),
    ),
    # Staggered adoption (stats.staggered)
    "low_power": (
        gettext_noop(
            "The staggered estimate has low power: it would detect a %(change)s%% fall only "
            "%(power)s%% of the time (its 95%% interval spans %(width)s percentage points). "
            "An interval that includes no change is not evidence of no effect."
        ),
    ),
    "undefined_percent": (
        gettext_noop(
            "The estimated counterfactual mean is not positive, so no percent change can be "
            "given; read the effect in events per unit and period."
        ),
    ),
    # Synthetic control (stats.synthetic_control)
    "outside_donor_range": (
        gettext_noop(
            "In %(n)s of the %(pre)s months before the start the municipality is above or "
            "below every donor, which no average of donors can reach."
        ),
    ),
    "weights_not_unique": (
        gettext_noop(
            "The path before the start is matched exactly and other weightings may match it too: "
            "read the weights as one of several."
        ),
    ),
    "coarse_p_value": (gettext_noop("With %(n)s placebos the p-value cannot fall below %(p).3f."),),
    "placebos_skipped": (
        gettext_noop(
            "%(n)s donors have the same count every month before the start and cannot be "
            "placebos; they stay in the donor pools."
        ),
    ),
    "placebos_excluded": (
        gettext_noop(
            "%(n)s placebos fit their own past more than %(limit)g times worse than the "
            "municipality and are left out of the p-value."
        ),
    ),
    "poor_pre_fit": (
        gettext_noop(
            "Before the start the synthetic municipality misses the real one by more than chance "
            "allows: the gaps after the start are not a credible effect. Try a broader crime "
            "category, rates instead of counts, or other donors."
        ),
    ),
    "percent_undefined": (
        gettext_noop(
            "The synthetic municipality has no crimes after the start, so the effect cannot be a "
            "percent; read the difference in counts, or use a longer period or a broader crime "
            "category."
        ),
    ),
    # Reincidence after a civic-justice resolution (stats.reincidence)
    "reincidence_groups_not_an_effect": (
        gettext_noop(
            "The groups are the sanctions the judge chose for different persons: a difference "
            "between them is a comparison of those groups, not an effect of the sanction."
        ),
    ),
    "reincidence_under_observation": (
        gettext_noop(
            "%(n)s persons resolved less than %(months)s months before the end of their records "
            "are still under observation and are left out of the %(months)s-month denominators."
        ),
    ),
    "reincidence_adolescents_new_contact": (
        gettext_noop(
            "%(n)s adolescents are counted apart: their new presentation is a new contact (a "
            "program outcome), never reincidence."
        ),
    ),
}
"""Code → the templates that word it, tried in order: the first whose figures are all known
(on the note's ``params`` or given to :func:`note_text`) is used. One code can be emitted by
two methods with different figures (``sparse_counts``), hence more than one template."""


def note_text(note, **figures) -> str:
    """A statistics note in the reader's language, from its code and figures.

    ``figures`` add to (and override) the note's own ``params``: pages pass the figures a
    method keeps on its result rather than on the note. A code the catalogue does not know,
    or figures missing for every template, gives the statistics layer's English sentence.
    """
    params = {**getattr(note, "params", {}), **figures}
    for template in NOTES.get(note.code, ()):
        try:
            return gettext(template) % params
        except (KeyError, TypeError, ValueError):
            continue
    return note.message
