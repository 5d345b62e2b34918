"""Private: the result of a synthetic control fit, its flags and its notes."""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from civica.stats._notes import Note, read_only
from civica.stats._synth_fit import rmspe_ratio
from civica.stats._synth_input import SyntheticControlError

POOR_FIT_FRACTION = 0.10
"""Pre-RMSPE above this share of the treated unit's pre-period mean flags a poor fit."""

_EXACT = 1e-9  # relative size below which a distance or a total counts as zero


@dataclass(frozen=True)
class SyntheticControl:
    """A fitted synthetic control: weights, paths, fit and effect, with flags and notes.

    Paths (``observed``, ``synthetic``, ``gaps = observed - synthetic``) run over all
    ``months``; the first ``n_pre`` are before ``start``. ``weights`` lists the donors with
    non-zero weight, largest first; ``donor_weights`` has every donor's weight in the order
    of ``donors``. ``effect`` is the post-period total observed minus synthetic;
    ``effect_percent`` is it as a percent of the synthetic total, ``None`` when that total is
    zero (the note ``percent_undefined`` says why). ``rmspe_ratio`` is post/pre RMSPE
    (infinite after an exact pre-period fit). ``poor_pre_fit`` is true when ``pre_rmspe`` is
    above ``pre_fit_threshold`` (see :func:`synthetic_control`). ``outside_convex_hull`` is
    true when no weighting of the donors reproduces the treated pre-period path exactly;
    ``months_outside_donor_range`` lists pre-period months where the treated value is above
    every donor or below every donor, the usual reason. ``kkt_violation`` certifies the
    weights are optimal (relative, below 1e-7).
    """

    treated: Hashable
    start: Hashable
    months: tuple
    n_pre: int
    donors: tuple
    donor_weights: np.ndarray
    weights: tuple[tuple[Hashable, float], ...]
    observed: np.ndarray
    synthetic: np.ndarray
    gaps: np.ndarray
    pre_rmspe: float
    post_rmspe: float
    rmspe_ratio: float
    observed_post_total: float
    synthetic_post_total: float
    effect: float
    effect_percent: float | None
    poor_pre_fit: bool
    pre_fit_threshold: float
    outside_convex_hull: bool
    months_outside_donor_range: tuple
    kkt_violation: float
    month_weights: np.ndarray | None
    notes: tuple[Note, ...]

    @property
    def n_post(self) -> int:
        return len(self.months) - self.n_pre

    def paths(self) -> pd.DataFrame:
        """Observed, synthetic and gap by month, with a ``post`` column (for tables/charts)."""
        return pd.DataFrame(
            {
                "observed": self.observed,
                "synthetic": self.synthetic,
                "gap": self.gaps,
                "post": np.arange(len(self.months)) >= self.n_pre,
            },
            index=pd.Index(self.months, name="month"),
        )


def month_scale(month_weights: Iterable[float] | None, n_pre: int) -> np.ndarray | None:
    if month_weights is None:
        return None
    v = np.asarray(list(month_weights), dtype=float)
    if v.shape != (n_pre,) or not np.isfinite(v).all() or (v <= 0).any():
        raise SyntheticControlError(
            f"month_weights must be {n_pre} positive numbers, one per pre-period month."
        )
    return np.sqrt(v / v.sum())


def result(panel, fit, scale, *, counts: bool, poor_fit_fraction: float) -> SyntheticControl:
    values, n_pre = panel.values, panel.n_pre
    observed = values[0]
    pre_mean = float(observed[:n_pre].mean())
    threshold = max(poor_fit_fraction * pre_mean, 2.0 * np.sqrt(pre_mean) if counts else 0.0)
    level = float(np.sqrt(np.mean(observed[:n_pre] ** 2)))
    exact_fit = fit.pre_rmspe <= _EXACT * level
    pre_rmspe = 0.0 if exact_fit else fit.pre_rmspe
    observed_total = float(observed[n_pre:].sum())
    synthetic_total = float(fit.synthetic[n_pre:].sum())
    if abs(synthetic_total) <= _EXACT * max(level, 1.0) * (len(observed) - n_pre):
        synthetic_total = 0.0
    effect = observed_total - synthetic_total
    percent = 100.0 * effect / synthetic_total if synthetic_total > 0 else None
    pre_donors = values[1:, :n_pre]
    outside = observed[:n_pre] > pre_donors.max(axis=0)
    outside |= observed[:n_pre] < pre_donors.min(axis=0)
    out_months = tuple(m for m, flag in zip(panel.months[:n_pre], outside, strict=True) if flag)
    order = np.argsort(-fit.weights, kind="stable")
    weights = tuple((panel.donors[i], float(fit.weights[i])) for i in order if fit.weights[i] > 0)
    notes = _notes(
        pre_rmspe=pre_rmspe,
        threshold=threshold,
        out_months=out_months,
        percent_undefined=percent is None,
        exact_fit=exact_fit,
        n_weights=len(weights),
        n_donors=len(panel.donors),
        n_pre=n_pre,
    )
    return SyntheticControl(
        treated=panel.treated,
        start=panel.months[n_pre],
        months=panel.months,
        n_pre=n_pre,
        donors=panel.donors,
        donor_weights=read_only(fit.weights),
        weights=weights,
        observed=read_only(np.array(observed)),
        synthetic=read_only(fit.synthetic),
        gaps=read_only(fit.gaps),
        pre_rmspe=pre_rmspe,
        post_rmspe=fit.post_rmspe,
        rmspe_ratio=rmspe_ratio(fit.post_rmspe, pre_rmspe),
        observed_post_total=observed_total,
        synthetic_post_total=synthetic_total,
        effect=effect,
        effect_percent=percent,
        poor_pre_fit=pre_rmspe > threshold,
        pre_fit_threshold=threshold,
        outside_convex_hull=not exact_fit,
        months_outside_donor_range=out_months,
        kkt_violation=fit.kkt_violation,
        month_weights=None if scale is None else read_only(scale**2),
        notes=notes,
    )


def _notes(
    *,
    pre_rmspe: float,
    threshold: float,
    out_months: tuple,
    percent_undefined: bool,
    exact_fit: bool,
    n_weights: int,
    n_donors: int,
    n_pre: int,
) -> tuple[Note, ...]:
    notes = []
    if pre_rmspe > threshold:
        notes.append(
            Note(
                "poor_pre_fit",
                f"The synthetic unit misses the treated one by {pre_rmspe:.3g} a month on "
                f"average before the start (above {threshold:.3g}): the donors cannot "
                f"reproduce its path, so the gaps after the start are not a credible effect. "
                f"Try a broader crime category, rates instead of counts, or other donors.",
            )
        )
    if out_months:
        notes.append(
            Note(
                "outside_donor_range",
                f"In {len(out_months)} of {n_pre} months before the start the treated unit "
                f"is above or below every donor, which no average of donors can reach; "
                f"compare with rates per 100,000 or a donor pool of similar size.",
            )
        )
    if percent_undefined:
        notes.append(
            Note(
                "percent_undefined",
                "The synthetic unit has zero crimes after the start, so the effect cannot "
                "be a percent; read the difference in counts, or use a longer period or a "
                "broader crime category.",
            )
        )
    if exact_fit and n_donors > n_weights and n_donors > n_pre + 1:
        notes.append(
            Note(
                "weights_not_unique",
                "The treated path lies inside the donors' range and is matched exactly; other "
                "weightings may match it as well, so read the weights as one of several.",
            )
        )
    return tuple(notes)
