"""Displacement judged against the comparison's trend, with the RIRR's over-dispersion allowance.

The raw weighted displacement difference (:func:`civica.stats.weighted_displacement_difference`)
reads the buffer's change in counts; when crime rose 19% in the comparison, a buffer that fell
10% fell about 24% relative to what the comparison's trend predicts — a diffusion of benefits,
not "no displacement". Here every area's expected after count follows the comparison:
:math:`\\hat X_a = X_b\\, g` with :math:`g = C_a / C_b`.
"""

from __future__ import annotations

import math

from scipy import stats

from civica.stats._arrays import check_level
from civica.stats.evaluation import WeightedDisplacementDifference, _count

__all__ = ["displacement_against_comparison"]


def displacement_against_comparison(
    R_b: object,
    R_a: object,
    D_b: object,
    D_a: object,
    C_b: object,
    C_a: object,
    *,
    dispersion: float = 1.0,
    df: float = math.inf,
    level: float = 0.95,
) -> WeightedDisplacementDifference:
    """Weighted displacement difference with the comparison as the control of both areas.

    With the comparison's after/before ratio :math:`g = C_a / C_b` as the trend,

    .. math::

        L = R_a - R_b g, \\qquad B = D_a - D_b g, \\qquad WDD = L + B,

    the target's and the buffer's counts beyond what the trend predicts (negative: fewer).
    :math:`-WDD` is Bowers & Johnson's total net effect. By the delta method, with
    :math:`\\operatorname{Var}(g) \\approx g^2 (1/C_a + 1/C_b)`,

    .. math::

        \\widehat{\\operatorname{Var}}(B) = \\phi\\,[D_a + g^2 D_b + D_b^2 g^2 (1/C_a + 1/C_b)],

    and likewise for :math:`L` and for the sum (whose terms share :math:`g`), where
    :math:`\\phi` is the RIRR's over-dispersion factor; the test uses Student's *t* with the
    RIRR's degrees of freedom, so the displacement is judged with the same allowance as
    the effect beside it.

    Parameters
    ----------
    R_b, R_a, D_b, D_a, C_b, C_a : int
        Counts before and after in the target, the buffer and the comparison (``C`` >= 1).
    dispersion : float, default 1
        The variance multiplier of the RIRR (``RelativeIncidenceRateRatio.dispersion``).
    df : float, default infinity
        The RIRR's degrees of freedom (``RelativeIncidenceRateRatio.df``).
    level : float, default 0.95

    Returns
    -------
    WeightedDisplacementDifference
        ``local`` is :math:`L`, ``displacement`` is :math:`B`, ``z`` and ``p_value`` test
        :math:`WDD = 0`; ``se_displacement`` tests the buffer alone. Both control pairs are
        the comparison's counts.

    References
    ----------
    .. [1] Wheeler, A. P., & Ratcliffe, J. H. (2018). A simple weighted displacement
       difference test to evaluate place based crime interventions. *Crime Science* 7, 11.
    .. [2] Bowers, K. J., & Johnson, S. D. (2003). Measuring the geographical displacement
       and diffusion of benefit effects of crime prevention activity. *Journal of
       Quantitative Criminology* 19(3), 275–301.

    Examples
    --------
    >>> w = displacement_against_comparison(60, 30, 503, 453, 100, 119)
    >>> round(w.displacement, 1), round(w.displacement / (503 * 1.19) * 100, 1)
    (-145.6, -24.3)
    """
    rb, ra, db, da, cb, ca = (
        _count(v, n)
        for v, n in zip(
            (R_b, R_a, D_b, D_a, C_b, C_a), ("R_b", "R_a", "D_b", "D_a", "C_b", "C_a"), strict=True
        )
    )
    if cb == 0 or ca == 0:
        raise ValueError("The comparison needs events in both windows to give a trend.")
    dispersion, df = float(dispersion), float(df)
    if not (math.isfinite(dispersion) and dispersion > 0) or not df > 0:
        raise ValueError("dispersion and df must be positive numbers.")
    g = ca / cb
    trend = g * g * (1 / ca + 1 / cb)

    def variance(after: int, before: int) -> float:
        return dispersion * (after + g * g * before + before * before * trend)

    local, displacement = ra - rb * g, da - db * g
    total_variance = variance(ra + da, rb + db)
    if total_variance == 0:
        raise ValueError("Every count is zero: the WDD has no variance and no test.")
    se = math.sqrt(total_variance)
    estimate = local + displacement
    level = check_level(level)
    crit = float(
        stats.norm.ppf(0.5 + level / 2) if math.isinf(df) else stats.t.ppf(0.5 + level / 2, df)
    )
    z = estimate / se
    sf = stats.norm.sf(abs(z)) if math.isinf(df) else stats.t.sf(abs(z), df)
    return WeightedDisplacementDifference(
        wdd=estimate,
        local=local,
        displacement=displacement,
        se=se,
        se_local=math.sqrt(variance(ra, rb)),
        se_displacement=math.sqrt(variance(da, db)),
        z=z,
        p_value=float(2 * sf),
        lower=estimate - crit * se,
        upper=estimate + crit * se,
        level=level,
        target=(rb, ra),
        buffer=(db, da),
        target_control=(cb, ca),
        buffer_control=(cb, ca),
        dispersion=dispersion,
        df=df,
    )
