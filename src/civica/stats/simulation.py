"""How the evaluation designs behave on realistic counts: bias, coverage, false positives.

Each replication draws target and comparison sectors at random from real monthly series
(overdispersed, seasonal, serially correlated: whatever the real data is), a start month,
and plants a known effect in the targets after the start by binomial thinning: each event
is kept with probability :math:`1 + \\delta` (:math:`\\delta = -0.2` for a 20% fall), so the
true ratio of expected counts is exactly :math:`1 + \\delta` whatever the series. Every
design then estimates the percent change from the same draw, and the study reports, per
design and planted effect, the bias in percentage points, how often the 95% interval
contains the truth (coverage) and how often it excludes zero (the false-positive rate
when nothing was planted; power otherwise). This is the plasmode approach: real data,
known truth (Franklin et al. 2014).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from civica.errors import DataQuestionError
from civica.stats.dispersion import rirr_by_sector
from civica.stats.evaluation import rirr
from civica.stats.panel import panel_regression
from civica.stats.staggered import staggered_att

__all__ = [
    "BEFORE_FIX",
    "DESIGNS",
    "DesignPerformance",
    "SimulationStudy",
    "SummaryPValues",
    "monthly_matrix",
    "simulation_study",
    "summary_pvalue_study",
]

DESIGNS = ("rirr_by_sector", "panel_poisson", "panel_negbin", "staggered_cs")
"""The designs the platform reports, with the inference it uses."""

BEFORE_FIX = ("rirr_poisson", "panel_poisson_model")
"""The same estimates with independent-Poisson intervals, to show why they are not used."""


@dataclass(frozen=True)
class DesignPerformance:
    """One design under one planted effect (percent), over the replications that ran.

    ``bias`` and ``rmse`` are in percentage points of the percent change; ``coverage`` the
    share of intervals containing the planted effect, with ``coverage_low``/``coverage_high``
    its 95% Wilson interval; ``rejection_rate`` the share of intervals excluding zero (the
    false-positive rate when ``effect == 0``). ``refused`` counts draws where the design
    raised an error (e.g. a zero count) instead of giving a number.
    """

    design: str
    effect: float
    replications: int
    mean_estimate: float
    bias: float
    rmse: float
    coverage: float
    coverage_low: float
    coverage_high: float
    rejection_rate: float
    mean_width: float
    refused: int


@dataclass(frozen=True)
class SimulationStudy:
    """Every design's performance, and the set-up that produced it."""

    rows: tuple[DesignPerformance, ...]
    replications: int
    target_sectors: int
    comparison_sectors: int
    months: int
    level: float
    seed: int

    def table(self) -> pd.DataFrame:
        """The rows as a frame (one line per design and effect)."""
        return pd.DataFrame([r.__dict__ for r in self.rows])


def monthly_matrix(frame: pd.DataFrame, *, crimes: tuple[str, ...] | None = None) -> np.ndarray:
    """Sector × month counts from a long frame with ``cuadrante, crime, date, count``.

    ``crimes`` limits the sum to some crime categories (default: all). Sectors missing a
    month raise :class:`DataQuestionError` (never filled with zero).
    """
    if crimes is not None:
        frame = frame[frame["crime"].isin(crimes)]
        if frame.empty:
            raise DataQuestionError(f"No rows for the crimes {list(crimes)}.")
    wide = frame.pivot_table(index="cuadrante", columns="date", values="count", aggfunc="sum")
    if wide.isna().any().any():
        raise DataQuestionError("Some sectors lack some months; the study needs complete series.")
    return wide.to_numpy(dtype=float)


def _wilson(hits: int, n: int) -> tuple[float, float]:
    if n == 0:
        return math.nan, math.nan
    z = stats.norm.ppf(0.975)
    p = hits / n
    centre = (p + z**2 / (2 * n)) / (1 + z**2 / n)
    half = z * math.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / (1 + z**2 / n)
    return centre - half, centre + half


def _long(y: np.ndarray, d: np.ndarray) -> pd.DataFrame:
    units, months = y.shape
    return pd.DataFrame(
        {
            "unit": np.repeat(np.arange(units), months),
            "period": np.tile(np.arange(months), units),
            "count": y.ravel(),
            "treated": d.ravel().astype(int),
        }
    )


def _rirr_poisson(y, d, level):
    target, after = d.max(1) == 1, d.max(0) == 1
    r = rirr(
        y[target][:, after].sum(),
        y[target][:, ~after].sum(),
        y[~target][:, after].sum(),
        y[~target][:, ~after].sum(),
        level=level,
    )
    return r.percent_change, r.percent_lower, r.percent_upper


def _rirr_by_sector(y, d, level):
    target, after = d.max(1) == 1, d.max(0) == 1
    windows = np.stack([y[:, ~after].sum(1), y[:, after].sum(1)], axis=1)
    r = rirr_by_sector(windows[target], windows[~target], level=level)
    return r.percent_change, r.percent_lower, r.percent_upper


def _panel(family, cov):
    def design(y, d, level):
        r = panel_regression(_long(y, d), family=family, cov=cov, level=level)
        return r.percent_change, r.percent_lower, r.percent_upper

    return design


def _staggered(y, d, level):
    # As the panel method reports it: the whole pre-period as the base.
    r = staggered_att(_long(y, d), level=level, baseline="pre_mean")
    return r.percent_change, r.percent_lower, r.percent_upper


_ESTIMATORS: dict[str, Callable] = {
    "rirr_poisson": _rirr_poisson,
    "rirr_by_sector": _rirr_by_sector,
    "panel_poisson_model": _panel("poisson", "model"),
    "panel_poisson": _panel("poisson", "cr3"),
    "panel_negbin": _panel("negbin", "cr3"),
    "staggered_cs": _staggered,
}


def simulation_study(
    counts: np.ndarray,
    *,
    effects: tuple[float, ...] = (-20.0, 0.0),
    designs: tuple[str, ...] = DESIGNS + BEFORE_FIX,
    replications: int = 200,
    target_sectors: int = 20,
    comparison_sectors: int = 80,
    months: int = 12,
    level: float = 0.95,
    seed: int = 0,
) -> SimulationStudy:
    """Plant known effects in resampled real series and score each design.

    Parameters
    ----------
    counts : array_like, shape (sectors, months)
        Real monthly counts, e.g. :func:`monthly_matrix` of the CDMX cuadrante series.
    effects : tuple of float
        Planted percent changes, each in (-100, 0]; 0 measures the false-positive rate.
    designs : tuple of str
        Any of :data:`DESIGNS` and :data:`BEFORE_FIX`.
    replications : int
    target_sectors, comparison_sectors : int
        Sectors drawn without replacement per replication.
    months : int
        Months before and after the start (the window is ``2 * months`` long and must fit).
    level : float
    seed : int

    Returns
    -------
    SimulationStudy

    Notes
    -----
    The start month is drawn so both windows fit inside the series. The simultaneous
    designs treat all targets from that month; ``staggered_cs`` splits the targets into
    three equal groups starting a third of ``months`` before, at, and after it (every
    group keeps at least two thirds of the window on each side). Only the intervals
    depend on the design; the draw, the thinning and the truth are shared, so
    differences between designs are not noise of separate draws.

    References
    ----------
    .. [1] Franklin, J. M., Schneeweiss, S., Polinski, J. M., & Rassen, J. A. (2014).
       Plasmode simulation for the evaluation of pharmacoepidemiologic methods in complex
       healthcare databases. *Computational Statistics & Data Analysis* 72, 219–226.
    .. [2] Morris, T. P., White, I. R., & Crowther, M. J. (2019). Using simulation studies
       to evaluate statistical methods. *Statistics in Medicine* 38(11), 2074–2102.
    """
    counts = np.asarray(counts, dtype=float)
    sectors, length = counts.shape
    unknown = set(designs) - set(_ESTIMATORS)
    if unknown:
        raise ValueError(f"Unknown designs {sorted(unknown)}; choose from {sorted(_ESTIMATORS)}.")
    if any(not -100 < e <= 0 for e in effects):
        raise ValueError(
            "Planted effects are percent changes in (-100, 0] (thinning removes events)."
        )
    if 2 * months > length:
        raise ValueError(f"Windows of {months} months before and after need {2 * months} months.")
    if target_sectors + comparison_sectors > sectors:
        raise ValueError(
            f"Only {sectors} sectors to draw {target_sectors + comparison_sectors} from."
        )
    rng = np.random.default_rng(seed)
    shift = max(months // 3, 1)
    results: dict[tuple[str, float], list] = {(g, e): [] for g in designs for e in effects}
    refused = dict.fromkeys(results, 0)
    total = target_sectors + comparison_sectors
    for rep in range(replications):
        first = int(rng.integers(0, length - 2 * months + 1))
        chosen = rng.choice(sectors, size=total, replace=False)
        window = counts[chosen, first : first + 2 * months]
        simultaneous = np.zeros_like(window)
        simultaneous[:target_sectors, months:] = 1
        staggered = np.zeros_like(window)
        for i, offset in enumerate(np.array_split(np.arange(target_sectors), 3)):
            staggered[offset, months + (i - 1) * shift :] = 1
        for effect in effects:
            for name in designs:
                d = staggered if name == "staggered_cs" else simultaneous
                # Same seed for every design: the thinned counts are shared.
                local = np.random.default_rng(
                    [seed, rep, int(-effect * 100), name == "staggered_cs"]
                )
                kept = local.binomial(
                    window.astype(np.int64), np.where(d == 1, 1 + effect / 100, 1.0)
                )
                try:
                    results[(name, effect)].append(_ESTIMATORS[name](kept.astype(float), d, level))
                except DataQuestionError:
                    refused[(name, effect)] += 1
    rows = []
    for (name, effect), values in results.items():
        array = np.array(values, dtype=float).reshape(-1, 3)
        runs = len(array)
        hits = int(((array[:, 1] <= effect) & (effect <= array[:, 2])).sum())
        low, high = _wilson(hits, runs)
        rows.append(
            DesignPerformance(
                design=name,
                effect=effect,
                replications=runs,
                mean_estimate=float(array[:, 0].mean()),
                bias=float(array[:, 0].mean() - effect),
                rmse=float(np.sqrt(np.mean((array[:, 0] - effect) ** 2))),
                coverage=hits / runs if runs else math.nan,
                coverage_low=low,
                coverage_high=high,
                rejection_rate=float(((array[:, 1] > 0) | (array[:, 2] < 0)).mean()),
                mean_width=float((array[:, 2] - array[:, 1]).mean()),
                refused=refused[(name, effect)],
            )
        )
    return SimulationStudy(
        tuple(rows), replications, target_sectors, comparison_sectors, months, level, seed
    )


@dataclass(frozen=True)
class SummaryPValues:
    """How the program summary's p-values behave when no intervention did anything.

    Each replication is one program summary: ``cities`` before/after designs drawn
    independently (``target_sectors`` + ``comparison_sectors`` each), nothing planted.
    ``false_positive_*`` is the share of single results with p < 0.05; ``familywise_*`` the
    share of summaries where at least one result stays significant after Holm's adjustment;
    ``coverage`` the share of intervals that contain no change. ``_t`` is the p-value the
    summary reports (Student's *t* with the interval's Welch–Satterthwaite df), ``_normal``
    the normal p-value of the same estimate and standard error it used to report.
    """

    replications: int
    cities: int
    target_sectors: int
    comparison_sectors: int
    months: int
    coverage: float
    false_positive_t: float
    false_positive_normal: float
    familywise_t: float
    familywise_normal: float
    refused: int


def summary_pvalue_study(
    counts: np.ndarray,
    *,
    cities: int = 7,
    replications: int = 200,
    target_sectors: int = 2,
    comparison_sectors: int = 6,
    months: int = 12,
    seed: int = 0,
) -> SummaryPValues:
    """Null simulation of the program summary's p-values and Holm adjustment.

    Draws as :func:`simulation_study` (real series, random sectors and start month) with no
    planted effect, ``cities`` designs per summary, and scores the p-values of
    :func:`civica.stats.rirr_by_sector` from its own *t* reference against the normal ones.
    """
    from civica.stats.evaluation import adjust_pvalues

    counts = np.asarray(counts, dtype=float)
    sectors, length = counts.shape
    if 2 * months > length or target_sectors + comparison_sectors > sectors:
        raise ValueError("The series are too short or too few for the windows and sectors.")
    rng = np.random.default_rng(seed)
    p_t, p_normal, covered, family_t, family_normal, refused = [], [], [], [], [], 0
    for _rep in range(replications):
        summary_t, summary_normal = [], []
        for _city in range(cities):
            first = int(rng.integers(0, length - 2 * months + 1))
            chosen = rng.choice(sectors, size=target_sectors + comparison_sectors, replace=False)
            window = counts[chosen, first : first + 2 * months]
            windows = np.stack([window[:, :months].sum(1), window[:, months:].sum(1)], axis=1)
            try:
                r = rirr_by_sector(windows[:target_sectors], windows[target_sectors:])
            except (DataQuestionError, ValueError):
                refused += 1
                continue
            statistic = abs(math.log(r.rirr)) / r.se_log
            summary_t.append(float(2 * stats.t.sf(statistic, r.df)))
            summary_normal.append(float(2 * stats.norm.sf(statistic)))
            covered.append(r.lower <= 1 <= r.upper)
        p_t += summary_t
        p_normal += summary_normal
        for values, family in ((summary_t, family_t), (summary_normal, family_normal)):
            if values:
                family.append(bool((adjust_pvalues(values, "holm").adjusted < 0.05).any()))
    return SummaryPValues(
        replications=replications,
        cities=cities,
        target_sectors=target_sectors,
        comparison_sectors=comparison_sectors,
        months=months,
        coverage=float(np.mean(covered)),
        false_positive_t=float(np.mean(np.array(p_t) < 0.05)),
        false_positive_normal=float(np.mean(np.array(p_normal) < 0.05)),
        familywise_t=float(np.mean(family_t)),
        familywise_normal=float(np.mean(family_normal)),
        refused=refused,
    )
