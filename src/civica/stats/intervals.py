"""Confidence intervals for counts, rates and rate ratios, and ranking areas by rate.

Crime counts in small municipalities and police sectors are small, and a raw rate per
100,000 of a town of 3,000 people jumps by 33 with each single event. Every figure here
comes with an interval, and :func:`rank_by_lower_bound` orders areas by the lower end of
theirs, so a small place ranks high only when its rate is high beyond chance.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

# scipy.special, not scipy.stats: the same functions (chi2.ppf and norm.ppf call these), without
# the second of import scipy.stats costs every `civica stats` call and the first page view.
from scipy import special

from civica.stats._arrays import as_float_arrays, check_counts, check_level, finish

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "PER_100K",
    "PoissonInterval",
    "RateInterval",
    "RateRanking",
    "RateRatio",
    "poisson_interval",
    "rank_by_lower_bound",
    "rate_interval",
    "rate_ratio",
]

PER_100K = 100_000.0


@dataclass(frozen=True)
class PoissonInterval:
    """Exact two-sided interval for the mean of a Poisson count.

    Floats when :func:`poisson_interval` was given a scalar, otherwise read-only arrays.
    """

    count: float | np.ndarray
    lower: float | np.ndarray
    upper: float | np.ndarray
    level: float


@dataclass(frozen=True)
class RateInterval:
    """A rate per ``per`` person-years with its exact Poisson interval."""

    count: float | np.ndarray
    person_years: float | np.ndarray
    rate: float | np.ndarray
    lower: float | np.ndarray
    upper: float | np.ndarray
    level: float
    per: float


@dataclass(frozen=True)
class RateRatio:
    """Ratio of two Poisson rates, ``a / b``, with its approximate interval.

    ``corrected`` is true where one of the two counts was zero and 0.5 was added to both
    before computing ratio and interval; both counts zero gives NaN.
    """

    ratio: float | np.ndarray
    lower: float | np.ndarray
    upper: float | np.ndarray
    level: float
    corrected: bool | np.ndarray


def poisson_interval(count: object, *, level: float = 0.95) -> PoissonInterval:
    """Exact (Garwood) confidence interval for the mean of a Poisson count.

    For an observed count :math:`k` and :math:`\\alpha = 1 - \\text{level}`:

    .. math::

        L = \\tfrac12\\,\\chi^2_{\\alpha/2}(2k), \\qquad
        U = \\tfrac12\\,\\chi^2_{1-\\alpha/2}(2k + 2),

    with :math:`L = 0` when :math:`k = 0`. Each tail holds at most :math:`\\alpha/2`, so the
    interval covers the true mean at least ``level`` of the time (it is conservative).

    Parameters
    ----------
    count : int or array_like
        Observed counts: non-negative whole numbers; NaN (missing) gives NaN limits.
    level : float, default 0.95
        Two-sided confidence level.

    Returns
    -------
    PoissonInterval

    Raises
    ------
    ValueError
        For a negative or fractional count, or a level outside (0, 1).

    Notes
    -----
    The same limits are the :math:`\\alpha/2` quantile of Gamma(:math:`k`, 1) and the
    :math:`1-\\alpha/2` quantile of Gamma(:math:`k+1`, 1), which is how statsmodels'
    ``confint_poisson(method="exact-c")`` computes them; the tests compare both.

    References
    ----------
    .. [1] Garwood, F. (1936). Fiducial limits for the Poisson distribution. *Biometrika*
       28(3/4), 437–442. https://doi.org/10.2307/2333958
    .. [2] Ulm, K. (1990). A simple method to calculate the confidence interval of a
       standardized mortality ratio (SMR). *American Journal of Epidemiology* 131(2),
       373–375.

    Examples
    --------
    >>> interval = poisson_interval(10)
    >>> round(interval.lower, 4), round(interval.upper, 4)
    (4.7954, 18.3904)
    """
    level = check_level(level)
    (k,), scalar = as_float_arrays(count)
    check_counts(k)
    lower, upper = _garwood(k, level)
    return PoissonInterval(
        count=finish(k, scalar),
        lower=finish(lower, scalar),
        upper=finish(upper, scalar),
        level=level,
    )


def _garwood(k: np.ndarray, level: float) -> tuple[np.ndarray, np.ndarray]:
    alpha = 1.0 - level
    missing = np.isnan(k)
    safe = np.where(missing, 0.0, k)
    with np.errstate(invalid="ignore"):
        # chi2.ppf(q, 2k) / 2 is gammaincinv(k, q), which is how SciPy computes it.
        lower = np.where(safe > 0, special.gammaincinv(np.maximum(safe, 1), alpha / 2), 0.0)
        upper = special.gammaincinv(safe + 1, 1 - alpha / 2)
    lower = np.where(missing, np.nan, lower)
    upper = np.where(missing, np.nan, upper)
    return lower, upper


def rate_interval(
    count: object,
    population: object,
    *,
    years: object = 1.0,
    level: float = 0.95,
    per: float = PER_100K,
) -> RateInterval:
    """Rate per ``per`` person-years with the exact (Garwood) Poisson interval.

    The rate is ``count / (population × years) × per``; its limits are the limits of
    :func:`poisson_interval` divided by the same person-time. ``years`` is the length of the
    observation in years, so an annualised monthly rate uses ``days / 365`` and a rate over
    ``n`` months uses ``n / 12``.

    Parameters
    ----------
    count : int or array_like
        Observed counts (non-negative whole numbers; NaN for missing).
    population : float or array_like
        Population at risk; missing (NaN) or zero gives NaN rate and limits.
    years : float or array_like, default 1.0
        Length of the observation in years.
    level : float, default 0.95
    per : float, default 100,000

    Returns
    -------
    RateInterval

    References
    ----------
    .. [1] Garwood, F. (1936). Fiducial limits for the Poisson distribution. *Biometrika*
       28(3/4), 437–442.
    .. [2] Breslow, N. E., & Day, N. E. (1987). *Statistical Methods in Cancer Research,
       Vol. II: The Design and Analysis of Cohort Studies*, ch. 2. IARC Scientific
       Publications No. 82.

    Examples
    --------
    >>> r = rate_interval(10, 100_000)
    >>> r.rate, round(r.lower, 4), round(r.upper, 4)
    (10.0, 4.7954, 18.3904)
    """
    level = check_level(level)
    (k, pop, yrs), scalar = as_float_arrays(count, population, years)
    check_counts(k)
    if (pop[~np.isnan(pop)] < 0).any():
        raise ValueError("A population cannot be negative.")
    if (yrs[~np.isnan(yrs)] <= 0).any():
        raise ValueError("The length of an observation in years must be positive.")
    exposure = np.where(pop > 0, pop * yrs, np.nan)
    lower, upper = _garwood(k, level)
    with np.errstate(invalid="ignore", divide="ignore"):
        factor = per / exposure
    return RateInterval(
        count=finish(k, scalar),
        person_years=finish(exposure, scalar),
        rate=finish(k * factor, scalar),
        lower=finish(lower * factor, scalar),
        upper=finish(upper * factor, scalar),
        level=level,
        per=float(per),
    )


def rate_ratio(
    count_a: object,
    person_years_a: object,
    count_b: object,
    person_years_b: object,
    *,
    level: float = 0.95,
) -> RateRatio:
    """Ratio of two Poisson rates with the log-rate-ratio (Wald) interval.

    .. math::

        \\widehat{RR} = \\frac{a / T_a}{b / T_b}, \\qquad
        \\widehat{\\operatorname{Var}}(\\log \\widehat{RR}) = \\frac1a + \\frac1b, \\qquad
        \\exp\\!\\left(\\log \\widehat{RR} \\pm z_{1-\\alpha/2}
        \\sqrt{\\tfrac1a + \\tfrac1b}\\right).

    Parameters
    ----------
    count_a, count_b : int or array_like
        Counts of the two rates (non-negative whole numbers; NaN for missing).
    person_years_a, person_years_b : float or array_like
        Person-time behind each count (any unit, the same for both).
    level : float, default 0.95

    Returns
    -------
    RateRatio

    Notes
    -----
    When exactly one count is zero the ratio is 0 or infinite and the variance undefined;
    0.5 is then added to both counts (the Haldane–Anscombe correction) and ``corrected``
    is set, so the ratio still has a finite, wide interval. Both zero gives NaN. The
    approximation assumes the two counts independent; when ``a`` is part of ``b`` (a
    municipality against its own state) their covariance is positive, so the true variance
    is smaller and the interval is conservative.

    References
    ----------
    .. [1] Rothman, K. J., Greenland, S., & Lash, T. L. (2008). *Modern Epidemiology*
       (3rd ed.), ch. 14, "Person-time data: large-sample methods". Lippincott Williams &
       Wilkins.
    .. [2] Breslow, N. E., & Day, N. E. (1987). *Statistical Methods in Cancer Research,
       Vol. II*, §2.4. IARC Scientific Publications No. 82.
    .. [3] Haldane, J. B. S. (1956). The estimation and significance of the logarithm of a
       ratio of frequencies. *Annals of Human Genetics* 20(4), 309–311.

    Examples
    --------
    >>> rr = rate_ratio(240, 1.0, 360, 3.0)
    >>> rr.ratio, round(rr.lower, 3), round(rr.upper, 3)
    (2.0, 1.699, 2.355)
    """
    level = check_level(level)
    (a, ta, b, tb), scalar = as_float_arrays(count_a, person_years_a, count_b, person_years_b)
    check_counts(a)
    check_counts(b)
    with np.errstate(invalid="ignore", divide="ignore"):
        one_zero = (a == 0) ^ (b == 0)
        both_zero = (a == 0) & (b == 0)
        a_used = np.where(one_zero, a + 0.5, a)
        b_used = np.where(one_zero, b + 0.5, b)
        bad_time = ~(ta > 0) | ~(tb > 0)
        ratio = (a_used / ta) / (b_used / tb)
        z = special.ndtri(0.5 + level / 2)  # norm.ppf
        half_width = z * np.sqrt(1.0 / a_used + 1.0 / b_used)
        lower = ratio * np.exp(-half_width)
        upper = ratio * np.exp(half_width)
    undefined = both_zero | bad_time | np.isnan(a) | np.isnan(b)
    ratio, lower, upper = (np.where(undefined, np.nan, x) for x in (ratio, lower, upper))
    corrected = one_zero & ~undefined
    return RateRatio(
        ratio=finish(ratio, scalar),
        lower=finish(lower, scalar),
        upper=finish(upper, scalar),
        level=level,
        corrected=bool(corrected) if scalar else _read_only(corrected),
    )


@dataclass(frozen=True)
class RateRanking:
    """Areas ranked by the lower bound of their rate interval, and by the raw rate.

    Rows are in ranking order: by ``rank_by_lower``, then by ``rank_by_rate``, then by input
    order. Ranks are 1 for the highest rate; equal values share the smallest rank (1, 2, 2,
    4). Areas without a rate (missing or zero population, missing count) have NaN ranks and
    come last.
    """

    labels: tuple[object, ...]
    count: np.ndarray
    population: np.ndarray
    rate: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    rank_by_rate: np.ndarray
    rank_by_lower: np.ndarray
    level: float
    per: float
    years: float

    def to_frame(self) -> pd.DataFrame:
        """One row per area, in ranking order, indexed by label; ranks as nullable ints."""
        import pandas as pd  # only for a frame: ranking itself needs none

        frame = pd.DataFrame(
            {
                "count": self.count,
                "population": self.population,
                "rate": self.rate,
                "lower": self.lower,
                "upper": self.upper,
                "rank_by_rate": pd.array(_nullable_ints(self.rank_by_rate), dtype="Int64"),
                "rank_by_lower": pd.array(_nullable_ints(self.rank_by_lower), dtype="Int64"),
            },
            index=pd.Index(list(self.labels), name="label"),
        )
        return frame


def rank_by_lower_bound(
    counts: object,
    populations: object,
    labels: Sequence[object],
    *,
    level: float = 0.95,
    years: float = 1.0,
    per: float = PER_100K,
) -> RateRanking:
    """Rank areas by the lower bound of the exact Poisson interval of their rate.

    A raw ranking by rate puts small places first by chance: one event in a village of
    2,000 is a rate of 50 per 100,000. Ranking by the lower limit of the exact (Garwood)
    interval asks instead how high the rate is *at least*, which penalises the uncertainty
    of small counts and small populations. Both rankings are returned so a page can show
    where they differ.

    Parameters
    ----------
    counts : array_like
        Event counts per area (non-negative whole numbers; NaN for missing).
    populations : array_like
        Population per area; missing or zero gives an unranked area.
    labels : sequence
        One label per area (codes such as CVEGEO are best: join on codes, never names).
    level : float, default 0.95
        Two-sided level of the interval whose lower limit is ranked. elcri.men uses 0.99.
    years : float, default 1.0
        Length of the observation in years (e.g. ``n_months / 12``).
    per : float, default 100,000

    Returns
    -------
    RateRanking

    Notes
    -----
    elcri.men ranks the most violent municipalities by the lower limit of a 99% Bayesian
    credible interval of a Poisson homicide count whose prior is informed by the state's
    homicides [3]_. The Garwood lower limit used here equals the posterior quantile under
    the non-informative prior :math:`\\propto 1/\\lambda`: it keeps elcri.men's idea (rank by
    how high the rate is at least) without borrowing strength from the state, so it is more
    cautious for small places with a violent state around them.

    References
    ----------
    .. [1] Garwood, F. (1936). Fiducial limits for the Poisson distribution. *Biometrika*
       28(3/4), 437–442.
    .. [2] Valle-Jones, D. "Most violent municipios", elcri.men,
       https://elcri.men/en/most-violent-cities/ (ranking by the lower limit of a Poisson
       interval to balance high rates against small populations).
    .. [3] Valle-Jones, D. elcri.men — Crime in Mexico, https://elcri.men/en/ (methods).

    Examples
    --------
    >>> r = rank_by_lower_bound([1, 300], [2_000, 1_000_000], ["village", "city"])
    >>> r.labels, r.rank_by_rate.tolist(), r.rank_by_lower.tolist()
    (('city', 'village'), [2.0, 1.0], [1.0, 2.0])
    """
    labels = tuple(labels)
    interval = rate_interval(counts, populations, years=years, level=level, per=per)
    (pops,), _ = as_float_arrays(populations)
    rate = np.atleast_1d(np.asarray(interval.rate, dtype=float))
    if len(labels) != rate.size:
        raise ValueError(f"{len(labels)} labels for {rate.size} areas.")
    rank_rate = _descending_ranks(rate)
    rank_lower = _descending_ranks(np.atleast_1d(np.asarray(interval.lower, dtype=float)))
    order = np.lexsort(
        (
            np.arange(rate.size),
            np.where(np.isnan(rank_rate), np.inf, rank_rate),
            np.where(np.isnan(rank_lower), np.inf, rank_lower),
        )
    )

    def pick(values: object) -> np.ndarray:
        return _read_only(np.atleast_1d(np.asarray(values, dtype=float))[order])

    return RateRanking(
        labels=tuple(labels[i] for i in order),
        count=pick(interval.count),
        population=pick(np.broadcast_to(pops, rate.shape)),
        rate=pick(rate),
        lower=pick(interval.lower),
        upper=pick(interval.upper),
        rank_by_rate=pick(rank_rate),
        rank_by_lower=pick(rank_lower),
        level=interval.level,
        per=interval.per,
        years=float(years),
    )


def _descending_ranks(values: np.ndarray) -> np.ndarray:
    ranks = np.full(values.shape, np.nan)
    known = ~np.isnan(values)
    if known.any():
        # rankdata(method="min") of the negated values: 1 + how many are strictly larger.
        ordered = np.sort(-values[known])
        ranks[known] = np.searchsorted(ordered, -values[known], side="left") + 1
    return ranks


def _nullable_ints(values: np.ndarray) -> list[int | None]:
    return [None if np.isnan(value) else int(value) for value in values]


def _read_only(array: np.ndarray) -> np.ndarray:
    out = np.array(array, copy=True)
    out.flags.writeable = False
    return out
