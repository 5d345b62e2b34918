"""Panel regressions of counts with unit and period fixed effects: the effect as an IRR.

A long frame of sectors (units) over months (periods) with a treated-and-after indicator
``D`` is fitted as

.. math::

    E[y_{it}] = \\mu_{it} = \\exp(\\alpha_i + \\gamma_t + \\beta D_{it} + \\log e_{it}),

Poisson (variance :math:`\\mu`) or NB2 negative binomial (variance
:math:`\\mu + \\kappa\\mu^2`), and the effect is reported as the incidence rate ratio
:math:`\\mathrm{IRR} = e^{\\beta}` and the percent change :math:`(\\mathrm{IRR} - 1)\\times 100`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from civica.stats import _fe_glm
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

__all__ = ["FEW_CLUSTERS", "PanelDataError", "PanelEffect", "panel_regression"]


@dataclass(frozen=True)
class PanelEffect:
    """The treatment effect of a two-way fixed-effects count regression.

    ``irr`` below 1 (negative ``percent_change``) means fewer events under treatment.
    ``se`` is the standard error of ``beta = log(irr)``; ``cov`` says how it was computed
    (``"cr3"``, the default, and ``"cluster"`` (CR1): robust to any correlation within a
    unit, with ``df`` degrees of freedom for the interval (see Notes); ``"model"``: the
    likelihood's own, normal interval).
    ``dispersion`` is the NB2 :math:`\\kappa` (0 for Poisson); ``pearson_dispersion`` the
    Pearson :math:`\\chi^2` over residual degrees of freedom (about 1 when the family fits).
    ``dropped_units`` had no events at all and carry no information under unit effects.
    ``baseline_events`` counts the treated units' events before treatment.
    """

    family: str
    irr: float
    lower: float
    upper: float
    percent_change: float
    percent_lower: float
    percent_upper: float
    beta: float
    se: float
    statistic: float
    p_value: float
    level: float
    cov: str
    df: float
    dispersion: float
    pearson_dispersion: float
    units: int
    treated_units: int
    periods: int
    observations: int
    clusters: int
    dropped_units: tuple[str, ...]
    baseline_events: int
    treated_events: int
    few_clusters: bool
    small_counts: bool
    staggered: bool
    iterations: int
    log_likelihood: float
    notes: tuple[Note, ...]


def panel_regression(
    frame: pd.DataFrame,
    *,
    unit: str = "unit",
    period: str = "period",
    count: str = "count",
    treated: str = "treated",
    exposure: str | None = None,
    family: str = "poisson",
    cov: str = "cr3",
    level: float = 0.95,
    selected_on_baseline: bool = False,
) -> PanelEffect:
    r"""Poisson or negative-binomial regression with unit and period fixed effects.

    Parameters
    ----------
    frame : pandas.DataFrame
        Long form, one row per unit and period: every unit in every period (balanced).
    unit, period, count, treated : str
        Column names. ``treated`` is 1 for a unit in a period under the intervention (its
        start month onwards, ramp-up excluded by the caller) and 0 otherwise.
    exposure : str, optional
        Column of exposure (population, days); its log enters as an offset.
    family : {"poisson", "negbin"}, default "poisson"
    cov : {"cr3", "cluster", "model"}, default "cr3"
        Cluster-robust by unit with Bell & McCaffrey's bias reduction (default), the usual
        cluster-robust CR1 (what statsmodels gives), or the likelihood's own variance.
    level : float, default 0.95
    selected_on_baseline : bool, default False
        Say that the treated units were chosen for being high in the panel's own
        pre-treatment months; the result then warns of regression to the mean.

    Returns
    -------
    PanelEffect

    Raises
    ------
    PanelDataError
        For a frame that is not a balanced panel of whole counts (missing months or rows,
        NaN, duplicates), a treated unit treated in every period (no before) or a treatment
        that never happens, no unit left untreated in some period to compare with, and a
        ratio with a zero side (treated units with no events before or after, or comparison
        cells without events), where the IRR would be 0 or infinite.

    Notes
    -----
    The Poisson fixed-effects estimator is consistent under any distribution of the counts
    when the mean is right (Wooldridge 1999), and its unit effects can be dropped without
    incidental-parameter bias (Cameron & Trivedi 2013, ch. 9; Wooldridge 2023 for its
    difference-in-differences reading). The NB2 model with unit dummies (Allison &
    Waterman 2002) is fitted the same way with the dispersion at its maximum likelihood;
    it agrees with statsmodels' ``NegativeBinomial`` and ``GLM`` on the full dummy design,
    which the tests check. The unit intercepts are swept out by weighted within-unit
    demeaning inside IRLS, so 1,000 sectors × 48 months fit in well under a second.

    Standard errors are clustered by unit because a sector's months are serially
    correlated and seasonal; the likelihood's own variance treats them as independent and
    is too small for crime counts. The default (``cov="cr3"``) replaces each unit's score by
    its leverage-adjusted, jackknife-type version :math:`Z_g'(I - H_{gg})^{-1} r_g` (Bell &
    McCaffrey 2002; MacKinnon, Nielsen & Webb 2023), because with few treated sectors the
    usual CR1 sandwich (``cov="cluster"``, :math:`G/(G-1)` times the sum of score outer
    products, Cameron & Miller 2015; what statsmodels gives) is too small. The interval
    uses Student's *t* with :math:`\\min(G_1, G_0) - 1` degrees of freedom, :math:`G_1`
    treated and :math:`G_0` never-treated units (:math:`G - 1` when every unit is treated
    at some point): the variance of a treated-versus-comparison contrast is estimated
    mostly from the smaller group (Imbens & Kolesár 2016). On resampled CDMX series with
    20 treated and 80 comparison sectors (``benchmarks/bench_evaluation_simulation.py``),
    CR1 with this *t* covered 93% and rejected a true null 6.5% of the time; CR3 covers
    about 95% and rejects about 5%. With fewer than :data:`FEW_CLUSTERS` units the result
    says so.
    A simultaneous start is assumed: with staggered starts and effects that change over
    time this two-way estimator mixes comparisons and can be biased (Goodman-Bacon 2021);
    the result then carries a note pointing to :func:`civica.stats.staggered_att`.

    References
    ----------
    .. [1] Cameron, A. C., & Trivedi, P. K. (2013). *Regression Analysis of Count Data*
       (2nd ed.). Cambridge University Press.
    .. [2] Wooldridge, J. M. (1999). Distribution-free estimation of some nonlinear panel
       data models. *Journal of Econometrics* 90(1), 77–97.
    .. [3] Wooldridge, J. M. (2023). Simple approaches to nonlinear difference-in-differences
       with panel data. *The Econometrics Journal* 26(3), C31–C66.
    .. [4] Allison, P. D., & Waterman, R. P. (2002). Fixed-effects negative binomial
       regression models. *Sociological Methodology* 32, 247–265.
    .. [5] Cameron, A. C., & Miller, D. L. (2015). A practitioner's guide to
       cluster-robust inference. *Journal of Human Resources* 50(2), 317–372.
    .. [6] Imbens, G. W., & Kolesár, M. (2016). Robust standard errors in small samples:
       some practical advice. *Review of Economics and Statistics* 98(4), 701–712.
    .. [7] Bell, R. M., & McCaffrey, D. F. (2002). Bias reduction in standard errors for
       linear regression with multi-stage samples. *Survey Methodology* 28(2), 169–181.
    .. [8] MacKinnon, J. G., Nielsen, M. Ø., & Webb, M. D. (2023). Cluster-robust
       inference: a guide to empirical practice. *Journal of Econometrics* 232(2), 272–299.

    Examples
    --------
    >>> import pandas as pd
    >>> rows = [(u, t, c, int(u == "A" and t >= 2)) for u, counts in
    ...         {"A": [50, 60, 40, 45], "B": [70, 80, 75, 85], "C": [30, 35, 33, 36]}.items()
    ...         for t, c in enumerate(counts)]
    >>> frame = pd.DataFrame(rows, columns=["unit", "period", "count", "treated"])
    >>> r = panel_regression(frame, cov="model")  # (85 / 110) / (229 / 215)
    >>> round(r.irr, 4), round(r.percent_change, 1), r.few_clusters
    (0.7255, -27.5, True)
    """
    level = check_level(level)
    if family not in ("poisson", "negbin"):
        raise ValueError(f'family is "poisson" or "negbin", not {family!r}.')
    if cov not in ("cr3", "cluster", "model"):
        raise ValueError(f'cov is "cr3", "cluster" or "model", not {cov!r}.')
    others = (treated,) if exposure is None else (treated, exposure)
    panel = balanced_panel(frame, unit=unit, period=period, counts=(count,), others=others)
    y, d = panel.values[count], panel.values[treated]
    if not np.isin(d, (0, 1)).all():
        raise PanelDataError(
            f"{treated} is 1 under the intervention and 0 otherwise, nothing else."
        )
    offset = np.zeros_like(y)
    if exposure is not None:
        e = panel.values[exposure]
        if (e <= 0).any():
            raise PanelDataError(f"{exposure} must be positive in every row (its log is taken).")
        offset = np.log(e)
    names = panel.units.astype(str)
    _check_design(y, d, names, panel.periods, treated)

    keep = y.sum(1) > 0
    dropped = tuple(names[~keep])
    y, d, offset = y[keep], d[keep], offset[keep]
    n, t = y.shape
    result = _fe_glm.fit(y, offset, d[:, :, None], negbin=family == "negbin", cr3=cov == "cr3")

    beta = float(result.theta[-1])
    ever = d.max(1) == 1
    if cov in ("cr3", "cluster"):
        meat = result.meat_cr3 if cov == "cr3" else result.meat * n / (n - 1)
        variance = result.bread_observed @ meat @ result.bread_observed
        # The variance of a treated-versus-comparison contrast is estimated mostly from the
        # smaller group's clusters, so that group sets the degrees of freedom.
        df = float(min(int(ever.sum()), int((~ever).sum()), n) - 1) if (~ever).any() else n - 1.0
        df = max(df, 1.0)
        crit = float(stats.t.ppf(0.5 + level / 2, df))
    else:
        variance, df = result.bread, math.inf
        crit = float(stats.norm.ppf(0.5 + level / 2))
    se = math.sqrt(variance[-1, -1])
    if cov == "cr3" and int(ever.sum()) == 1:
        # The jackknife that leaves out the only treated unit has nothing to estimate the
        # effect from: its standard error is not identified. What the arithmetic returns is
        # rounding noise (huge, but how huge depends on the order of the sums), so it is set
        # to infinity here rather than left to decide whether the interval is bounded.
        se = math.inf
    statistic = beta / se
    p_value = float(
        2 * (stats.t.sf(abs(statistic), df) if cov != "model" else stats.norm.sf(abs(statistic)))
    )
    # With one treated unit the jackknife's standard error is infinite (above), and any
    # other huge one can be too: the upper bound is then infinite (no upper bound), never an
    # overflow.
    irr, lower, upper = exp_bound(beta), exp_bound(beta - crit * se), exp_bound(beta + crit * se)

    baseline = int(y[ever][d[ever] == 0].sum())
    starts = {int(np.argmax(row)) for row in d[ever]}
    notes = design_notes(n, baseline, len(starts) > 1, selected_on_baseline, dropped)
    if math.isinf(upper):
        notes += (
            Note(
                "no_upper_bound",
                "The interval has no upper bound: the data cannot rule out any increase "
                f"(standard error {se:.3g} on the log scale, {int(ever.sum())} treated units).",
            ),
        )
    return PanelEffect(
        family=family,
        irr=irr,
        lower=lower,
        upper=upper,
        percent_change=(irr - 1) * 100,
        percent_lower=(lower - 1) * 100,
        percent_upper=(upper - 1) * 100,
        beta=beta,
        se=se,
        statistic=statistic,
        p_value=p_value,
        level=level,
        cov=cov,
        df=df,
        dispersion=result.alpha,
        pearson_dispersion=result.pearson,
        units=n,
        treated_units=int(ever.sum()),
        periods=t,
        observations=n * t,
        clusters=n,
        dropped_units=dropped,
        baseline_events=baseline,
        treated_events=int(y[d == 1].sum()),
        few_clusters=n < FEW_CLUSTERS,
        small_counts=baseline < SMALL_COUNT,
        staggered=len(starts) > 1,
        iterations=result.iterations,
        log_likelihood=result.loglik,
        notes=notes,
    )


def _check_design(y, d, names, periods, treated) -> None:
    ever = d.max(1) == 1
    if not ever.any():
        raise PanelDataError(
            f"No unit is ever treated ({treated} is 0 everywhere): there is no effect to estimate."
        )
    always = d.min(1) == 1
    if always.any():
        raise PanelDataError(
            f"The units {listed(names[always])} are treated in every period, so they have no "
            "before to compare with. Start the panel earlier or leave them out."
        )
    mixed = (d.max(0) == 1) & (d.min(0) == 0)
    if not mixed.any():
        raise PanelDataError(
            "In every period either all units or none are treated, so the period effects absorb "
            "the treatment and nothing shows what would have happened. Add comparison units "
            "that stay untreated (or start later)."
        )
    zero_sides = []
    if y[d == 1].sum() == 0:
        zero_sides.append("the treated units have no events after the start")
    if y[ever][d[ever] == 0].sum() == 0:
        zero_sides.append("the treated units have no events before the start")
    if (~ever).any() and y[~ever].sum() == 0:
        zero_sides.append("the never-treated comparison units have no events")
    if zero_sides:
        raise PanelDataError(
            f"The rate ratio is undefined because {' and '.join(zero_sides)}: it would be 0 or "
            "infinite with no interval. Use longer windows, larger areas or a broader crime "
            "category."
        )
