"""Before/after evaluation of place-based interventions: RIRR, WDQ, WDD, adjusted p-values.

A target (response) area ``R`` is compared with a comparison area ``C`` before (``b``) and
after (``a``); a buffer ``D`` shows displacement or diffusion of benefits. Every result
keeps the counts behind it, so a page can show them next to the percent.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
from scipy import stats

from civica.stats._arrays import check_counts, check_level
from civica.stats._bounds import exp_bound
from civica.stats.intervals import RateRatio, rate_ratio
from civica.stats.multiple_testing import benjamini_hochberg

__all__ = [
    "SMALL_COUNT",
    "AdjustedPValues",
    "Displacement",
    "DisplacementInterpretation",
    "RelativeIncidenceRateRatio",
    "WeightedDisplacementDifference",
    "adjust_pvalues",
    "rirr",
    "weighted_displacement_difference",
    "weighted_displacement_quotient",
]

SMALL_COUNT = 30
"""Below this many events in any window, percent changes swing widely by chance alone."""


def _count(value: object, name: str) -> int:
    array = np.asarray(value, dtype=float)
    if array.ndim != 0 or np.isnan(array):
        raise ValueError(f"{name} must be one known count, not {value!r}.")
    check_counts(array.reshape(1), what=name)
    return int(array)


def _z(level: float) -> float:
    return float(stats.norm.ppf(0.5 + check_level(level) / 2))


def _read_only(*arrays: np.ndarray) -> list[np.ndarray]:
    out = [np.array(array, copy=True) for array in arrays]
    for array in out:
        array.flags.writeable = False
    return out


@dataclass(frozen=True)
class RelativeIncidenceRateRatio:
    """The RIRR of a target against a comparison area, with its Wald interval.

    ``rirr < 1`` (negative ``percent_change``) means crime fell in the target relative to
    the comparison. ``target_change`` and ``comparison_change`` are the after/before rate
    ratios of each area alone (per unit of time, so they use ``windows_ratio``).
    ``small_counts`` is true when any of the four counts is below :data:`SMALL_COUNT`.
    """

    rirr: float
    percent_change: float
    lower: float
    upper: float
    percent_lower: float
    percent_upper: float
    se_log: float
    level: float
    target_after: int
    target_before: int
    comparison_after: int
    comparison_before: int
    small_counts: bool
    windows_ratio: float
    target_change: RateRatio
    comparison_change: RateRatio
    dispersion: float = 1.0
    df: float = math.inf


def rirr(
    target_after: object,
    target_before: object,
    comparison_after: object,
    comparison_before: object,
    *,
    level: float = 0.95,
    windows_unequal_ratio: float | None = None,
    dispersion: float = 1.0,
    df: float = math.inf,
) -> RelativeIncidenceRateRatio:
    """Relative incidence rate ratio of a target area against a comparison area.

    .. math::

        \\mathrm{RIRR} = \\frac{R_a / R_b}{C_a / C_b}, \\qquad
        \\widehat{\\operatorname{Var}}(\\log \\mathrm{RIRR}) =
        \\frac1{R_a} + \\frac1{R_b} + \\frac1{C_a} + \\frac1{C_b},

    with the interval :math:`\\exp(\\log \\mathrm{RIRR} \\pm z_{1-\\alpha/2}\\,SE)` and the
    percent change :math:`(\\mathrm{RIRR} - 1) \\times 100`.

    Parameters
    ----------
    target_after, target_before, comparison_after, comparison_before : int
        Counts of the target (response) and comparison areas after and before; all >= 1.
    level : float, default 0.95
    windows_unequal_ratio : float, optional
        After-window length over before-window length (``6 / 12`` for six months after
        against twelve before), both areas sharing the same windows. It cancels exactly
        from the RIRR and its variance and only rescales ``target_change`` and
        ``comparison_change`` to rates per unit of time. Default 1 (equal windows).
    dispersion : float, default 1
        Multiplies the Poisson variance (quasi-Poisson). Crime counts are overdispersed, so
        the default interval is too narrow; :func:`civica.stats.rirr_by_sector` estimates
        the dispersion from the sectors' own variation and passes it here.
    df : float, default infinity
        Degrees of freedom of the dispersion estimate; the interval then uses Student's *t*.

    Returns
    -------
    RelativeIncidenceRateRatio

    Raises
    ------
    ValueError
        When any count is zero: the ratio is then 0 or infinite with no variance, so no
        honest number exists (use longer windows, larger areas or a broader crime
        category); also for negative or fractional counts.

    Notes
    -----
    Checked (DOMAIN.md §7 "(check)"): this is the delta-method variance for four
    independent Poisson counts (Woolf's log odds-ratio variance), and exactly the Wald
    variance of the interaction in a saturated Poisson log-linear model of the 2×2 table
    (the tests compare with statsmodels). Farrington & Welsh report the inverse,
    :math:`(R_b C_a)/(R_a C_b)`, as the "relative effect size" (> 1 desirable) with this
    variance, later inflated for overdispersion [1]_ [2]_; Wilson [3]_ names the ratio used
    here the RIRR and shows the variance understates uncertainty under overdispersion, as
    is usual for crime counts: with the default ``dispersion=1`` read the interval as a
    lower bound on the uncertainty (the simulation study in :mod:`civica.stats.simulation`
    measures it on real CDMX series), and prefer :func:`civica.stats.rirr_by_sector`.
    Braga et al. [4]_ use it in hot-spots meta-analysis (check the edition).

    References
    ----------
    .. [1] Farrington, D. P., & Welsh, B. C. (2002). *Effects of improved street lighting
       on crime: a systematic review*. Home Office Research Study 251.
    .. [2] Welsh, B. C., & Farrington, D. P. (2009). Public area CCTV and crime prevention:
       an updated systematic review and meta-analysis. *Justice Quarterly* 26(4), 716–745.
    .. [3] Wilson, D. B. (2022). The relative incident rate ratio effect size for
       count-based impact evaluations: when an odds ratio is not an odds ratio. *Journal
       of Quantitative Criminology* 38, 323–341.
       https://doi.org/10.1007/s10940-021-09494-w
    .. [4] Braga, A. A., Turchan, B. S., Papachristos, A. V., & Hureau, D. M. (2019). Hot
       spots policing and crime reduction: an update of an ongoing systematic review and
       meta-analysis. *Journal of Experimental Criminology* 15, 289–311 (check).

    Examples
    --------
    >>> r = rirr(80, 100, 190, 200)
    >>> round(r.rirr, 4), round(r.percent_change, 1), r.small_counts
    (0.8421, -15.8, False)
    >>> round(r.lower, 3), round(r.upper, 3)
    (0.591, 1.201)
    """
    names = ("target_after", "target_before", "comparison_after", "comparison_before")
    values = (target_after, target_before, comparison_after, comparison_before)
    ra, rb, ca, cb = counts = [_count(v, n) for v, n in zip(values, names, strict=True)]
    zeros = [n for n, c in zip(names, counts, strict=True) if c == 0]
    if zeros:
        raise ValueError(
            f"The RIRR is undefined because {', '.join(zeros)} is zero: a ratio with a zero "
            "count is 0 or infinite and has no variance. Use longer windows, larger areas or "
            "a broader crime category so that every window has events."
        )
    ratio = 1.0 if windows_unequal_ratio is None else float(windows_unequal_ratio)
    if not (math.isfinite(ratio) and ratio > 0):
        raise ValueError(f"windows_unequal_ratio must be a positive number, not {ratio}.")
    dispersion, df = float(dispersion), float(df)
    if not (math.isfinite(dispersion) and dispersion > 0) or not df > 0:
        raise ValueError("dispersion and df must be positive numbers.")
    z = _z(level) if math.isinf(df) else float(stats.t.ppf(0.5 + check_level(level) / 2, df))
    estimate = (ra / rb) / (ca / cb)
    se = math.sqrt(dispersion * (1 / ra + 1 / rb + 1 / ca + 1 / cb))
    lower, upper = estimate * math.exp(-z * se), estimate * exp_bound(z * se)
    return RelativeIncidenceRateRatio(
        rirr=estimate,
        percent_change=(estimate - 1) * 100,
        lower=lower,
        upper=upper,
        percent_lower=(lower - 1) * 100,
        percent_upper=(upper - 1) * 100,
        se_log=se,
        level=float(level),
        target_after=ra,
        target_before=rb,
        comparison_after=ca,
        comparison_before=cb,
        small_counts=min(ra, rb, ca, cb) < SMALL_COUNT,
        windows_ratio=ratio,
        target_change=rate_ratio(ra, ratio, rb, 1.0, level=level),
        comparison_change=rate_ratio(ca, ratio, cb, 1.0, level=level),
        dispersion=dispersion,
        df=df,
    )


class DisplacementInterpretation(StrEnum):
    """Bands of the weighted displacement quotient (Bowers & Johnson 2003)."""

    DIFFUSION_EXCEEDS_DIRECT = "diffusion_exceeds_direct"  # WDQ > 1
    DIFFUSION = "diffusion"  # 0 < WDQ <= 1
    NONE = "none"  # WDQ == 0
    DISPLACEMENT = "displacement"  # -1 <= WDQ < 0: net benefit remains
    DISPLACEMENT_EXCEEDS_DIRECT = "displacement_exceeds_direct"  # WDQ < -1: net harm
    NO_DIRECT_EFFECT = "no_direct_effect"  # SM > 0: the WDQ has no meaning


@dataclass(frozen=True)
class Displacement:
    """Weighted displacement quotient and total net effect, with the six counts.

    ``wdq`` is NaN when ``success_measure > 0`` (no relative fall in the target), where the
    quotient has no interpretation.
    """

    success_measure: float
    buffer_displacement_measure: float
    wdq: float
    total_net_effect: float
    interpretation: DisplacementInterpretation
    R_b: int
    R_a: int
    D_b: int
    D_a: int
    C_b: int
    C_a: int


def weighted_displacement_quotient(
    R_b: object, R_a: object, D_b: object, D_a: object, C_b: object, C_a: object
) -> Displacement:
    """Weighted displacement quotient of Bowers & Johnson (2003).

    .. math::

        SM = \\frac{R_a}{C_a} - \\frac{R_b}{C_b}, \\qquad
        BDM = \\frac{D_a}{C_a} - \\frac{D_b}{C_b}, \\qquad
        WDQ = \\frac{BDM}{SM},

    .. math::

        TNE = \\Bigl(R_b \\frac{C_a}{C_b} - R_a\\Bigr) + \\Bigl(D_b \\frac{C_a}{C_b} - D_a\\Bigr).

    Parameters
    ----------
    R_b, R_a, D_b, D_a, C_b, C_a : int
        Counts before and after in the response (target), buffer and control areas;
        ``C_b`` and ``C_a`` at least 1.

    Returns
    -------
    Displacement

    Raises
    ------
    ValueError
        When ``C_b`` or ``C_a`` is zero (every measure divides by them), or when the success
        measure is zero (no direct effect to weigh the buffer against).

    Notes
    -----
    :math:`SM < 0` means crime fell in the target relative to the control; only then is
    the WDQ interpreted: :math:`WDQ > 0` diffusion of benefits, :math:`< 0` displacement,
    :math:`> 1` diffusion larger than the direct effect, :math:`< -1` displacement larger
    than the direct effect (net harm). Checked (DOMAIN.md §7 "(check)"): the bands and the
    TNE agree with Bowers & Johnson [1]_ as recalled, not re-read: :math:`R_b C_a / C_b` is
    the target's expected count had it followed the control's trend, so a positive TNE is
    crimes prevented across target and buffer. The WDQ has no test of chance; see
    :func:`weighted_displacement_difference`.

    References
    ----------
    .. [1] Bowers, K. J., & Johnson, S. D. (2003). Measuring the geographical displacement
       and diffusion of benefit effects of crime prevention activity. *Journal of
       Quantitative Criminology* 19(3), 275–301. https://doi.org/10.1023/A:1024909009240
    .. [2] Guerette, R. T., & Bowers, K. J. (2009). Assessing the extent of crime
       displacement and diffusion of benefits: a review of situational crime prevention
       evaluations. *Criminology* 47(4), 1331–1368.

    Examples
    --------
    >>> d = weighted_displacement_quotient(100, 60, 80, 70, 200, 200)
    >>> [round(x, 4) for x in (d.success_measure, d.buffer_displacement_measure, d.wdq)]
    [-0.2, -0.05, 0.25]
    >>> d.total_net_effect
    50.0
    >>> d.interpretation.value
    'diffusion'
    """
    values = {"R_b": R_b, "R_a": R_a, "D_b": D_b, "D_a": D_a, "C_b": C_b, "C_a": C_a}
    rb, ra, db, da, cb, ca = (_count(v, n) for n, v in values.items())
    if cb == 0 or ca == 0:
        raise ValueError(
            "The WDQ is undefined when a control count (C_b or C_a) is zero: every measure "
            "is a ratio to the control. Use a larger control area or longer windows."
        )
    sm = ra / ca - rb / cb
    bdm = da / ca - db / cb
    if sm == 0:
        raise ValueError(
            "The WDQ is undefined when the success measure is zero: the target changed "
            "exactly as the control did, so there is no direct effect to weigh the buffer "
            "against."
        )
    tne = (rb * ca / cb - ra) + (db * ca / cb - da)
    if sm > 0:
        wdq, band = math.nan, DisplacementInterpretation.NO_DIRECT_EFFECT
    else:
        wdq = bdm / sm
        if wdq > 1:
            band = DisplacementInterpretation.DIFFUSION_EXCEEDS_DIRECT
        elif wdq > 0:
            band = DisplacementInterpretation.DIFFUSION
        elif wdq == 0:
            band = DisplacementInterpretation.NONE
        elif wdq >= -1:
            band = DisplacementInterpretation.DISPLACEMENT
        else:
            band = DisplacementInterpretation.DISPLACEMENT_EXCEEDS_DIRECT
    return Displacement(sm, bdm, wdq, tne, band, rb, ra, db, da, cb, ca)


@dataclass(frozen=True)
class WeightedDisplacementDifference:
    """Weighted displacement difference with its Poisson standard error and test.

    ``wdd = local + displacement``; negative is a net reduction across target and buffer.
    Each pair of counts is ``(before, after)``; absent controls are ``None``.
    """

    wdd: float
    local: float
    displacement: float
    se: float
    se_local: float
    se_displacement: float
    z: float
    p_value: float
    lower: float
    upper: float
    level: float
    target: tuple[int, int]
    buffer: tuple[int, int]
    target_control: tuple[int, int] | None
    buffer_control: tuple[int, int] | None
    dispersion: float = 1.0
    df: float = math.inf


def _pair(before: object, after: object, name: str) -> tuple[int, int] | None:
    if before is None and after is None:
        return None
    if before is None or after is None:
        raise ValueError(f"Give both the before and the after count of the {name}, or neither.")
    return _count(before, f"{name} count"), _count(after, f"{name} count")


def weighted_displacement_difference(
    R_b: object,
    R_a: object,
    D_b: object,
    D_a: object,
    *,
    control_b: object = None,
    control_a: object = None,
    buffer_control_b: object = None,
    buffer_control_a: object = None,
    level: float = 0.95,
) -> WeightedDisplacementDifference:
    """Weighted displacement difference test of Wheeler & Ratcliffe (2018).

    With :math:`\\Delta X = X_a - X_b` for each area,

    .. math::

        WDD = (\\Delta T - \\Delta C_t) + (\\Delta D - \\Delta C_d), \\qquad
        \\widehat{\\operatorname{Var}}(WDD) = \\sum \\text{of all the counts used},

    where :math:`T` is the target, :math:`D` the buffer, and :math:`C_t`, :math:`C_d`
    their optional control areas (a missing control contributes nothing). Under the null
    of no change the statistic :math:`z = WDD / SE` is approximately standard normal; the
    p-value is two-sided and the interval is :math:`WDD \\pm z_{1-\\alpha/2} SE`.

    Parameters
    ----------
    R_b, R_a, D_b, D_a : int
        Counts in the target and buffer areas before and after (equal-length windows).
    control_b, control_a, buffer_control_b, buffer_control_a : int, optional
        Counts before and after in the control areas of the target and of the buffer.
    level : float, default 0.95

    Returns
    -------
    WeightedDisplacementDifference

    Raises
    ------
    ValueError
        For negative or fractional counts, a control given with only one window, or when
        every count is zero (no variance).

    Notes
    -----
    Sign: a negative WDD is a net reduction across target and buffer; displacement raises
    :math:`\\Delta D` and makes it less negative. Checked (DOMAIN.md §7 "(check)"): the
    paper *adds* the buffer's change; :math:`\\Delta T - \\Delta D` would count displacement
    as a benefit and is not used. The paper's example (target 207 → 110, its control
    308 → 318, buffer 178 → 157, buffer control 150 → 140) gives WDD = −118, SE = √1568,
    z = −2.98, 95% CI (−196, −40); the tests reproduce it. The Poisson variance is too
    small for overdispersed counts.

    References
    ----------
    .. [1] Wheeler, A. P., & Ratcliffe, J. H. (2018). A simple weighted displacement
       difference test to evaluate place based crime interventions. *Crime Science* 7, 11.
       https://doi.org/10.1186/s40163-018-0085-5

    Examples
    --------
    >>> w = weighted_displacement_difference(
    ...     207, 110, 178, 157, control_b=308, control_a=318,
    ...     buffer_control_b=150, buffer_control_a=140)
    >>> w.wdd, w.se ** 2, round(w.z, 2)
    (-118.0, 1568.0, -2.98)
    """
    target = _pair(R_b, R_a, "target")
    buffer = _pair(D_b, D_a, "buffer")
    if target is None or buffer is None:
        raise ValueError("The target and buffer counts are required.")
    target_control = _pair(control_b, control_a, "target's control area")
    buffer_control = _pair(buffer_control_b, buffer_control_a, "buffer's control area")
    z_crit = _z(level)

    def change(pair: tuple[int, int] | None) -> tuple[float, float]:
        return (0.0, 0.0) if pair is None else (float(pair[1] - pair[0]), float(sum(pair)))

    (dt, vt), (dct, vct) = change(target), change(target_control)
    (dd, vd), (dcd, vcd) = change(buffer), change(buffer_control)
    local, displacement = dt - dct, dd - dcd
    variance = vt + vct + vd + vcd
    if variance == 0:
        raise ValueError("Every count is zero: the WDD has no variance and no test.")
    se = math.sqrt(variance)
    estimate = local + displacement
    z = estimate / se
    return WeightedDisplacementDifference(
        wdd=estimate,
        local=local,
        displacement=displacement,
        se=se,
        se_local=math.sqrt(vt + vct),
        se_displacement=math.sqrt(vd + vcd),
        z=z,
        p_value=float(2 * stats.norm.sf(abs(z))),
        lower=estimate - z_crit * se,
        upper=estimate + z_crit * se,
        level=float(level),
        target=target,
        buffer=buffer,
        target_control=target_control,
        buffer_control=buffer_control,
    )


@dataclass(frozen=True)
class AdjustedPValues:
    """p-values adjusted for several tests reported together, and which are rejected.

    Arrays have the shape of the p-values given; NaN p-values stay NaN, are never
    rejected and do not count among the ``tests``.
    """

    p: np.ndarray
    adjusted: np.ndarray
    reject: np.ndarray
    method: str
    alpha: float
    tests: int


def adjust_pvalues(p: object, method: str = "holm", *, alpha: float = 0.05) -> AdjustedPValues:
    """Adjust p-values of several sectors or cities evaluated together.

    ``"holm"`` controls the family-wise error rate (the chance of any false claim of an
    effect) with Holm's step-down procedure: with :math:`p_{(1)} \\le \\dots \\le p_{(m)}`,

    .. math::

        \\tilde p_{(i)} = \\min\\Bigl(1, \\max_{j \\le i} (m - j + 1)\\, p_{(j)}\\Bigr).

    ``"fdr_bh"`` controls the false discovery rate with Benjamini–Hochberg
    (:func:`civica.stats.benjamini_hochberg`).

    Parameters
    ----------
    p : array_like
        p-values in [0, 1]; NaN marks a missing test.
    method : {"holm", "fdr_bh"}, default "holm"
    alpha : float, default 0.05
        Family-wise error rate or false discovery rate; rejected where adjusted <= alpha.

    Returns
    -------
    AdjustedPValues

    Notes
    -----
    Holm holds under any dependence and beats Bonferroni; both methods equal statsmodels'
    ``multipletests`` (the tests compare).

    References
    ----------
    .. [1] Holm, S. (1979). A simple sequentially rejective multiple test procedure.
       *Scandinavian Journal of Statistics* 6(2), 65–70.
    .. [2] Benjamini, Y., & Hochberg, Y. (1995). Controlling the false discovery rate: a
       practical and powerful approach to multiple testing. *Journal of the Royal
       Statistical Society, Series B* 57(1), 289–300.

    Examples
    --------
    >>> r = adjust_pvalues([0.01, 0.04, 0.03, 0.005])
    >>> [round(x, 3) for x in r.adjusted.tolist()], r.reject.tolist()
    ([0.03, 0.06, 0.06, 0.02], [True, False, False, True])
    """
    alpha = float(alpha)
    if not 0.0 < alpha < 1.0:
        raise ValueError(f"An error rate is between 0 and 1, not {alpha}.")
    values = np.asarray(p, dtype=float)
    if method == "fdr_bh":
        result = benjamini_hochberg(values, alpha)
        adjusted, tests = np.array(result.q), result.tests
    elif method == "holm":
        flat = values.ravel()
        known = ~np.isnan(flat)
        tested = flat[known]
        if ((tested < 0) | (tested > 1)).any():
            raise ValueError("A p-value is between 0 and 1.")
        m = tested.size
        order = np.argsort(tested, kind="stable")
        steps = np.maximum.accumulate((m - np.arange(m)) * tested[order])
        holm = np.empty(m)
        holm[order] = np.minimum(steps, 1.0)
        adjusted = np.full(flat.shape, np.nan)
        adjusted[known] = holm
        adjusted, tests = adjusted.reshape(values.shape), int(m)
    else:
        raise ValueError(f'method is "holm" or "fdr_bh", not {method!r}.')
    reject = np.where(np.isnan(adjusted), False, adjusted <= alpha)
    values, adjusted, reject = _read_only(values, adjusted, reject)
    return AdjustedPValues(values, adjusted, reject, method, alpha, tests)
