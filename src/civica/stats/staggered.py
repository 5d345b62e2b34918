"""Staggered adoption: Callaway & Sant'Anna (2021) group-time effects and their summaries.

Units (sectors, municipalities) start the intervention at different periods; the group
:math:`g` is the set of units that start at period :math:`g`. Under unconditional
parallel trends, with :math:`C` the comparison units (never treated, or not yet treated
by :math:`t`) and the base period :math:`b = g - 1` after the start (:math:`b = t - 1`
before it, the "varying" base of the placebo pre-trends),

.. math::

    ATT(g, t) = \\bar{\\Delta Y}_{g} - \\bar{\\Delta Y}_{C}, \\qquad
    \\Delta Y_i = Y_{it} - Y_{ib}.

Summaries are weighted means :math:`\\theta = \\sum_k w_k ATT_k` over cells :math:`k`,
with weights proportional to group size: the overall effect over every cell after its
start, and the event study :math:`\\theta(e)` over cells with :math:`t - g = e`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from civica.stats._arrays import check_level
from civica.stats._bounds import exp_bound
from civica.stats._notes import Note
from civica.stats._panel_frame import (
    FEW_CLUSTERS,
    PanelDataError,
    balanced_panel,
    design_notes,
    listed,
)
from civica.stats.evaluation import SMALL_COUNT

__all__ = ["EventTimeEffect", "GroupTimeEffect", "StaggeredEffect", "staggered_att"]


@dataclass(frozen=True)
class GroupTimeEffect:
    """One :math:`ATT(g, t)`: the group's start and the period (labels), and its interval."""

    group: object
    period: object
    event_time: int
    att: float
    se: float
    lower: float
    upper: float
    treated_units: int
    comparison_units: int


@dataclass(frozen=True)
class EventTimeEffect:
    """The effect ``event_time`` periods after the start (negative: placebo pre-trends).

    ``percent_change`` is the effect relative to the treated units' counterfactual mean in
    those cells; NaN when that mean is not positive.
    """

    event_time: int
    att: float
    se: float
    lower: float
    upper: float
    percent_change: float
    percent_lower: float
    percent_upper: float


@dataclass(frozen=True)
class StaggeredEffect:
    """The overall effect after the start, the event study and the group-time cells.

    ``att`` is in events per unit and period (negative: fewer events);
    ``percent_change`` is ``att`` over the counterfactual mean
    ``observed_mean - att`` of the treated cells, × 100.
    """

    att: float
    se: float
    lower: float
    upper: float
    percent_change: float
    percent_lower: float
    percent_upper: float
    observed_mean: float
    counterfactual_mean: float
    level: float
    control: str
    units: int
    treated_units: int
    never_treated_units: int
    periods: int
    groups: tuple[tuple[object, int], ...]
    baseline_events: int
    few_clusters: bool
    small_counts: bool
    event_study: tuple[EventTimeEffect, ...]
    group_time: tuple[GroupTimeEffect, ...]
    notes: tuple[Note, ...]
    power: float = math.nan
    baseline: str = "last"


@dataclass(frozen=True)
class _Cell:
    group: int
    period: int
    base: int
    att: float
    influence: np.ndarray  # per unit, scaled so that var = sum(influence**2) / n**2
    treated_mean: float  # observed mean of the group at ``period``
    treated_influence: np.ndarray
    treated: int
    comparison: int


def _starts(d: np.ndarray, names: np.ndarray, treated: str) -> np.ndarray:
    """First treated period index of each unit (-1 for never treated)."""
    if not np.isin(d, (0, 1)).all():
        raise PanelDataError(
            f"{treated} is 1 under the intervention and 0 otherwise, nothing else."
        )
    ever = d.max(1) == 1
    start = np.where(ever, np.argmax(d, axis=1), -1)
    after = np.arange(d.shape[1])[None, :] >= start[:, None]
    reversed_ = ever & (d != after).any(1)
    if reversed_.any():
        raise PanelDataError(
            f"The units {listed(names[reversed_])} stop being treated after they start; this "
            "estimator needs a treatment that stays on once started (staggered adoption)."
        )
    return start


def _cell(y, start, g, t, control, small_sample, baseline="last") -> _Cell | None:
    n = y.shape[0]
    base = g - 1 if t >= g else t - 1
    in_group = start == g
    if control == "never":
        comparison = start == -1
    else:
        comparison = (start == -1) | (start > max(t, base))
        comparison &= ~in_group
    n_g, n_c = int(in_group.sum()), int(comparison.sum())
    if n_c == 0:
        return None
    if t >= g and baseline == "pre_mean":
        # Against the mean of the group's whole pre-period: one noisy month no longer sets
        # every post-period difference.
        change = y[:, t] - y[:, :g].mean(1)
    else:
        change = y[:, t] - y[:, base]
    mean_g, mean_c = change[in_group].mean(), change[comparison].mean()
    # Optional n/(n-1) inflation: the unbiased variance of each group's mean.
    k_g = math.sqrt(n_g / (n_g - 1)) if small_sample and n_g > 1 else 1.0
    k_c = math.sqrt(n_c / (n_c - 1)) if small_sample and n_c > 1 else 1.0
    influence = np.zeros(n)
    influence[in_group] = k_g * n / n_g * (change[in_group] - mean_g)
    influence[comparison] -= k_c * n / n_c * (change[comparison] - mean_c)
    level = y[in_group, t].mean()
    treated_influence = np.zeros(n)
    treated_influence[in_group] = k_g * n / n_g * (y[in_group, t] - level)
    return _Cell(g, t, base, mean_g - mean_c, influence, level, treated_influence, n_g, n_c)


def _aggregate(cells: list[_Cell], start: np.ndarray):
    """Group-size weighted mean of cells with the influence of the estimated weights.

    Returns the effect, the observed treated mean and their influence functions; the
    weights' own influence follows Callaway & Sant'Anna (2021, appendix) so the interval
    accounts for group shares being estimated.
    """
    n = start.size
    shares = np.array([(start == c.group).mean() for c in cells])
    weights = shares / shares.sum()
    indicator = np.array([(start == c.group) for c in cells], dtype=float)
    share_if = indicator - shares[:, None]
    weight_if = share_if / shares.sum() - np.outer(shares, share_if.sum(0)) / shares.sum() ** 2
    atts = np.array([c.att for c in cells])
    levels = np.array([c.treated_mean for c in cells])
    att = float(weights @ atts)
    level = float(weights @ levels)
    att_if = weights @ np.array([c.influence for c in cells]) + atts @ weight_if
    level_if = weights @ np.array([c.treated_influence for c in cells]) + levels @ weight_if
    assert att_if.shape == (n,)
    return att, att_if, level, level_if


def _interval(estimate, influence, n, z) -> tuple[float, float, float]:
    se = float(math.sqrt(np.sum(influence**2)) / n)
    return se, estimate - z * se, estimate + z * se


def _percent(att, att_if, level, level_if, n, z):
    """Percent change against the counterfactual mean, delta method on the log ratio."""
    counterfactual = level - att
    if counterfactual <= 0 or level <= 0:
        return math.nan, math.nan, math.nan
    log_ratio = math.log(level) - math.log(counterfactual)
    influence = level_if / level - (level_if - att_if) / counterfactual
    se = math.sqrt(np.sum(influence**2)) / n
    return tuple((exp_bound(log_ratio + k * z * se) - 1) * 100 for k in (0, -1, 1))


DETECTABLE_CHANGE = 25.0
"""The fall (in percent) whose chance of detection is reported as the design's power."""

LOW_POWER = 0.8
"""Below this power to detect a :data:`DETECTABLE_CHANGE` fall, the result says so."""


def _power(percent, crit: float, df: float, level: float) -> float:
    """Approximate power of the two-sided test to detect a fall of :data:`DETECTABLE_CHANGE`
    percent, from the standard error on the log scale implied by the percent interval."""
    _change, low, high = percent
    if math.isnan(low) or math.isnan(high) or math.isinf(high):
        return 0.0
    se = (math.log1p(high / 100) - math.log1p(low / 100)) / (2 * crit)
    if se <= 0:
        return 1.0
    shift = abs(math.log1p(-DETECTABLE_CHANGE / 100)) / se
    reference = stats.norm if math.isinf(df) else stats.t(df)
    return float(reference.cdf(shift - crit) + reference.cdf(-shift - crit))


def staggered_att(
    frame: pd.DataFrame,
    *,
    unit: str = "unit",
    period: str = "period",
    count: str = "count",
    treated: str = "treated",
    control: str = "never",
    level: float = 0.95,
    small_sample: bool = True,
    selected_on_baseline: bool = False,
    baseline: str = "last",
) -> StaggeredEffect:
    """Callaway–Sant'Anna group-time effects, the overall effect and the event study.

    Parameters
    ----------
    frame : pandas.DataFrame
        Long form, one row per unit and period, every unit in every period.
    unit, period, count, treated : str
        Column names; ``treated`` is 1 from a unit's start onwards (never switched off) and 0
        before and for units never treated.
    control : {"never", "not_yet"}, default "never"
        Compare with never-treated units only, or also with units not yet treated.
    level : float, default 0.95
    small_sample : bool, default True
        Inflate each group's variance by :math:`n/(n-1)` and use Student's *t* (see Notes);
        False gives the plain influence-function standard errors and normal intervals of
        Callaway & Sant'Anna (and of the ``differences`` package).
    selected_on_baseline : bool, default False
        The treated units were chosen for high counts in the panel's own early months.
    baseline : {"last", "pre_mean"}, default "last"
        The base of each post-start difference: the period just before the group's start
        (Callaway & Sant'Anna's, and the ``differences`` package's), or the mean of the
        group's whole pre-period, which for noisy monthly counts gives far narrower
        intervals (a single base month's noise enters every post-start difference).
        Pre-start placebo cells keep the previous period as their base either way.

    Returns
    -------
    StaggeredEffect

    Raises
    ------
    PanelDataError
        For a frame that is not a balanced panel of whole counts, a treatment that switches
        off, units treated from the first period (no before), no never-treated unit with
        ``control="never"`` (or no comparison at all), or treated cells without events
        before the start.

    Notes
    -----
    Each :math:`ATT(g, t)` is a 2×2 difference in differences, so heterogeneous and
    dynamic effects never receive the negative weights of the two-way regression
    (Goodman-Bacon 2021). Standard errors come from the influence functions
    :math:`\\psi_i` of the estimators, :math:`\\widehat{\\operatorname{Var}} = \\sum_i
    \\psi_i^2 / n^2`, which treat each unit's whole series as one independent draw (robust
    to serial correlation); the summaries' influence functions include the estimated group
    shares (Callaway & Sant'Anna 2021, §4). Intervals are pointwise and normal. For counts
    the program reports percents: with :math:`M` the weighted observed mean of the treated
    cells and :math:`M - \\theta` its counterfactual, the percent change is
    :math:`(M / (M - \\theta) - 1) \\times 100`, its interval from the delta method on
    :math:`\\log M - \\log(M - \\theta)` with the joint influence functions (so it stays above
    −100%). The tests check the estimates and standard errors against the ``differences``
    package and a 2×2 case by hand.

    References
    ----------
    .. [1] Callaway, B., & Sant'Anna, P. H. C. (2021). Difference-in-differences with
       multiple time periods. *Journal of Econometrics* 225(2), 200–230.
       https://doi.org/10.1016/j.jeconom.2020.12.001
    .. [2] Goodman-Bacon, A. (2021). Difference-in-differences with variation in treatment
       timing. *Journal of Econometrics* 225(2), 254–277.
    .. [3] Imbens, G. W., & Kolesár, M. (2016). Robust standard errors in small samples:
       some practical advice. *Review of Economics and Statistics* 98(4), 701–712.

    Examples
    --------
    >>> import pandas as pd
    >>> rows = [(u, t, c, int(u == "A" and t == 1)) for u, counts in
    ...         {"A": [10, 6], "B": [8, 9], "C": [12, 11]}.items() for t, c in enumerate(counts)]
    >>> r = staggered_att(pd.DataFrame(rows, columns=["unit", "period", "count", "treated"]))
    >>> r.att, r.observed_mean, r.counterfactual_mean
    (-4.0, 6.0, 10.0)
    >>> round(r.percent_change, 1)
    -40.0
    """
    level = check_level(level)
    if baseline not in ("last", "pre_mean"):
        raise ValueError(f'baseline is "last" or "pre_mean", not {baseline!r}.')
    if control not in ("never", "not_yet"):
        raise ValueError(f'control is "never" or "not_yet", not {control!r}.')
    panel = balanced_panel(frame, unit=unit, period=period, counts=(count,), others=(treated,))
    y, d = panel.values[count], panel.values[treated]
    names, labels = panel.units.astype(str), panel.periods
    n, t_count = y.shape
    start = _starts(d, names, treated)
    if (start == -1).all():
        raise PanelDataError(f"No unit is ever treated ({treated} is 0 everywhere).")
    first = start == 0
    if first.any():
        raise PanelDataError(
            f"The units {listed(names[first])} are treated from the first period, so they have "
            "no before. Start the panel earlier or leave them out."
        )
    never = int((start == -1).sum())
    if control == "never" and never == 0:
        raise PanelDataError(
            "No unit is left untreated, so there is no never-treated comparison. Use "
            'control="not_yet" (units not yet started) or add untreated comparison units.'
        )
    groups = sorted(set(start[start > 0].tolist()))
    # Cells with no unit left to compare with (every unit started by then) are skipped.
    every = (
        _cell(y, start, g, t, control, small_sample, baseline)
        for g in groups
        for t in range(1, t_count)
    )
    cells = [c for c in every if c is not None]
    post = [c for c in cells if c.period >= c.group]
    if not post:
        raise PanelDataError(
            "No treated period has units left to compare with (every unit has started by "
            'then). Add never-treated units or use control="never" with them.'
        )
    events_before = int(sum(y[start == g, :g].sum() for g in groups))
    if events_before == 0:
        raise PanelDataError(
            "The treated units have no events before their start: a percent change from zero "
            "is undefined. Use longer windows, larger areas or a broader crime category."
        )
    treated_units = int((start > 0).sum())
    comparison_units = never if control == "never" else n - 1
    df = math.inf
    if small_sample:
        df = max(min(treated_units, comparison_units) - 1, 1)
        z = float(stats.t.ppf(0.5 + level / 2, df))
    else:
        z = float(stats.norm.ppf(0.5 + level / 2))
    att, att_if, observed, observed_if = _aggregate(post, start)
    se, lower, upper = _interval(att, att_if, n, z)
    percent = _percent(att, att_if, observed, observed_if, n, z)
    event_study = []
    for e in sorted({c.period - c.group for c in cells}):
        chosen = [c for c in cells if c.period - c.group == e]
        e_att, e_if, e_obs, e_obs_if = _aggregate(chosen, start)
        e_se, e_lower, e_upper = _interval(e_att, e_if, n, z)
        e_pct = _percent(e_att, e_if, e_obs, e_obs_if, n, z)
        event_study.append(EventTimeEffect(e, e_att, e_se, e_lower, e_upper, *e_pct))
    group_time = []
    for c in cells:
        c_se, c_lower, c_upper = _interval(c.att, c.influence, n, z)
        group_time.append(
            GroupTimeEffect(
                labels[c.group],
                labels[c.period],
                c.period - c.group,
                c.att,
                c_se,
                c_lower,
                c_upper,
                c.treated,
                c.comparison,
            )
        )
    power = _power(percent, z, df if small_sample else math.inf, level)
    notes = list(design_notes(n, events_before, False, selected_on_baseline))
    if power < LOW_POWER:
        notes.append(
            Note(
                "low_power",
                f"Low power: this design would detect a {DETECTABLE_CHANGE:.0f}% fall only "
                f"{power:.0%} of the time (95% interval of the percent change "
                f"{percent[1]:.0f} to {percent[2]:.0f}); a result that includes no change is "
                "not evidence of no effect.",
                {
                    "change": f"{DETECTABLE_CHANGE:.0f}",
                    "power": f"{power * 100:.0f}",
                    "width": f"{percent[2] - percent[1]:.0f}",
                },
            )
        )
    if math.isnan(percent[0]):
        notes.append(
            Note(
                "undefined_percent",
                "The estimated counterfactual mean is not positive, so no percent change can be "
                "given; read the effect in events per unit and period.",
            )
        )
    return StaggeredEffect(
        att=att,
        se=se,
        lower=lower,
        upper=upper,
        percent_change=percent[0],
        percent_lower=percent[1],
        percent_upper=percent[2],
        observed_mean=observed,
        counterfactual_mean=observed - att,
        level=level,
        control=control,
        units=n,
        treated_units=treated_units,
        never_treated_units=never,
        periods=t_count,
        groups=tuple((labels[g], int((start == g).sum())) for g in groups),
        baseline_events=events_before,
        few_clusters=n < FEW_CLUSTERS,
        small_counts=events_before < SMALL_COUNT,
        event_study=tuple(event_study),
        group_time=tuple(group_time),
        notes=tuple(notes),
        power=power,
        baseline=baseline,
    )
