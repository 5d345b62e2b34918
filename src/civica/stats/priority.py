"""Priority crimes of an area: which crimes to work on first, and why.

Each crime of the area gets a score from four components, each with a documented scale:

``volume``
    its count in the last ``window_months`` divided by the count of the area's most
    frequent crime (0–1; the most frequent crime scores 1);
``severity``
    a weight per crime from :attr:`PriorityMethod.severity` (0–1);
``own_trend``
    the change of its rate against the area's own ``baseline_months`` before the window;
``state_trend``
    its rate in the window against the state's rate for the same crime and months.

A trend component is :math:`\\log_2` of the *conservative* rate ratio, clipped to
[-1, 1]: the end of the ratio's confidence interval nearest to 1, or 1 itself when the
interval contains 1. A doubling that is beyond chance scores up to +1, a halving down to
-1, and a change that small counts cannot distinguish from no change scores 0. The score is
the weighted sum of the four components; the weights are :class:`PriorityMethod`'s.

This scoring is the project's own, a transparent rule for a first list that an analyst
reviews; it is not a published index. The rate ratios and their intervals are standard
(Poisson log-rate-ratio approximation, see :func:`civica.stats.intervals.rate_ratio`).
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np
import pandas as pd

from civica.stats._monthly import Population, month_of, ordinal, person_years
from civica.stats._priority_text import reasons_for
from civica.stats._text import normalise_label
from civica.stats.intervals import PER_100K, RateRatio, rate_ratio
from civica.stats.periods import Month, Period

__all__ = [
    "DEFAULT_SEVERITY",
    "PriorityComponents",
    "PriorityCrime",
    "PriorityMethod",
    "PriorityRanking",
    "priority_crimes",
]

HIGH, MEDIUM, LOW = 1.0, 0.5, 0.2

DEFAULT_SEVERITY: Mapping[str, float] = MappingProxyType(
    {
        # Against life, liberty and sexual integrity: high.
        "homicidio doloso": HIGH,
        "feminicidio": HIGH,
        "secuestro": HIGH,
        "trata de personas": HIGH,
        "violacion": HIGH,  # "Violación simple", "Violación equiparada"
        # Robbery and violence against persons or households: medium.
        "robo": MEDIUM,  # every "Robo ..." subtype
        "otros robos": MEDIUM,
        "extorsion": MEDIUM,
        "lesiones dolosas": MEDIUM,
        "violencia familiar": MEDIUM,
    }
)
"""Default severity weights, keyed by normalised SESNSP subtype (2015–2025 catalogue).

A key matches a crime label equal to it or starting with it and a space, ignoring case,
accents and extra spaces; the longest matching key wins; any other crime gets
:attr:`PriorityMethod.default_severity` (0.2, low). These are the project's starting values
for an analyst to review, not a published scale.
"""

_COLUMNS = ("crime", "year", "month", "count")
_FRAME_COLUMNS = [
    "rank",
    "crime",
    "score",
    "volume",
    "severity",
    "own_trend",
    "state_trend",
    "count",
    "share",
    "rate",
    "own_ratio",
    "own_ratio_lower",
    "own_ratio_upper",
    "state_ratio",
    "state_ratio_lower",
    "state_ratio_upper",
    "reasons",
]


@dataclass(frozen=True)
class PriorityMethod:
    """How :func:`priority_crimes` scores crimes.

    Attributes
    ----------
    window_months : int, default 12
        The recent window whose counts are ranked ("the last 12 months").
    baseline_months : int, default 36
        The area's own baseline: the months right before the window. Multiples of 12 keep
        both windows season-balanced.
    weight_volume, weight_severity, weight_own_trend, weight_state_trend : float
        Non-negative weights of the four components (defaults 0.35, 0.35, 0.15, 0.15).
    severity : mapping of str to float
        Severity weight (0–1) by crime label; see :data:`DEFAULT_SEVERITY` for matching.
    default_severity : float, default 0.2
        Severity of a crime no key matches.
    level : float, default 0.95
        Level of the rate-ratio confidence intervals.
    """

    window_months: int = 12
    baseline_months: int = 36
    weight_volume: float = 0.35
    weight_severity: float = 0.35
    weight_own_trend: float = 0.15
    weight_state_trend: float = 0.15
    severity: Mapping[str, float] = field(default_factory=lambda: DEFAULT_SEVERITY)
    default_severity: float = LOW
    level: float = 0.95

    def __post_init__(self) -> None:
        for name in ("window_months", "baseline_months"):
            value = getattr(self, name)
            if int(value) != value or value < 1:
                raise ValueError(f"{name} is a positive whole number of months, not {value!r}.")
        weights = (
            self.weight_volume,
            self.weight_severity,
            self.weight_own_trend,
            self.weight_state_trend,
        )
        if any(not w >= 0 for w in weights):
            raise ValueError(f"Weights cannot be negative: {weights}.")
        normalised = {normalise_label(key): float(value) for key, value in self.severity.items()}
        for key, value in [*normalised.items(), ("default_severity", self.default_severity)]:
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"A severity weight is between 0 and 1: {key} = {value}.")
        if not 0.0 < self.level < 1.0:
            raise ValueError(f"A confidence level is between 0 and 1, not {self.level}.")
        object.__setattr__(self, "severity", MappingProxyType(normalised))

    def severity_of(self, crime: str) -> float:
        """Severity weight of a crime label (longest matching key, else the default)."""
        label = normalise_label(crime)
        best, weight = -1, self.default_severity
        for key, value in self.severity.items():
            if (label == key or label.startswith(key + " ")) and len(key) > best:
                best, weight = len(key), value
        return weight


@dataclass(frozen=True)
class PriorityComponents:
    """The four components of a score, before weighting (see the module's docstring)."""

    volume: float
    severity: float
    own_trend: float
    state_trend: float


@dataclass(frozen=True)
class PriorityCrime:
    """One crime of the ranking, with the figures behind its score.

    Counts and rates cover the reported months only; ``*_missing`` lists the months that
    were not. Rates are per 100,000 inhabitants per year.
    """

    rank: int
    crime: str
    score: float
    components: PriorityComponents
    count: float
    share: float
    rate: float
    baseline_count: float
    baseline_rate: float
    own_ratio: RateRatio
    state_count: float
    state_rate: float
    state_ratio: RateRatio
    window_missing: tuple[Month, ...]
    baseline_missing: tuple[Month, ...]
    state_missing: tuple[Month, ...]
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class PriorityRanking:
    """Crimes of an area in priority order (iterate it, index it, or :meth:`to_frame`).

    ``unscored`` lists crimes with no month reported in the window.
    """

    crimes: tuple[PriorityCrime, ...]
    unscored: tuple[str, ...]
    window: Period
    baseline: Period
    area_total: float
    method: PriorityMethod
    notes: tuple[str, ...] = ()
    """Remarks the reader must see beside the ranking (e.g. shares of an incomplete set)."""

    def __iter__(self) -> Iterator[PriorityCrime]:
        return iter(self.crimes)

    def __len__(self) -> int:
        return len(self.crimes)

    def __getitem__(self, index: int) -> PriorityCrime:
        return self.crimes[index]

    def to_frame(self) -> pd.DataFrame:
        """One row per crime, indexed by rank."""
        rows = [
            {
                "rank": crime.rank,
                "crime": crime.crime,
                "score": crime.score,
                "volume": crime.components.volume,
                "severity": crime.components.severity,
                "own_trend": crime.components.own_trend,
                "state_trend": crime.components.state_trend,
                "count": crime.count,
                "share": crime.share,
                "rate": crime.rate,
                "own_ratio": crime.own_ratio.ratio,
                "own_ratio_lower": crime.own_ratio.lower,
                "own_ratio_upper": crime.own_ratio.upper,
                "state_ratio": crime.state_ratio.ratio,
                "state_ratio_lower": crime.state_ratio.lower,
                "state_ratio_upper": crime.state_ratio.upper,
                "reasons": " · ".join(crime.reasons),
            }
            for crime in self.crimes
        ]
        return pd.DataFrame(rows, columns=_FRAME_COLUMNS).set_index("rank")


def priority_crimes(
    area: pd.DataFrame,
    state: pd.DataFrame,
    *,
    area_population: Population,
    state_population: Population,
    method: PriorityMethod | None = None,
    end: Month | Period | None = None,
    area_noun: str = "area",
) -> PriorityRanking:
    """Rank an area's crimes by priority and explain each place in the ranking.

    Parameters
    ----------
    area, state : pandas.DataFrame
        Tidy monthly counts with columns ``crime``, ``year``, ``month``, ``count``: one row
        per crime and month (several rows of the same crime and month, e.g. modalities, are
        added up). A month not reported is NaN or absent, never 0: zeros must be explicit
        rows. Labels are matched ignoring case, accents and extra spaces. The crimes should
        not overlap (no subtype together with its total), or shares double-count.
    area_population, state_population : float or mapping of int to float
        Population, or mid-year population by calendar year.
    method : PriorityMethod, optional
        Windows, weights and severities; defaults to ``PriorityMethod()``.
    end : (year, month) or Period, optional
        Last month of the window (a Period's last month). Defaults to the latest month with
        any reported count in ``area``.
    area_noun : str, default "area"
        Word for the area in the reasons ("municipality", "sector").

    Returns
    -------
    PriorityRanking
        Crimes by descending score; ties by descending count, then label. Each crime has
        English ``reasons`` with the figures behind its rank, such as
        "312 crimes in the last 12 months (…), 18% of the municipality's total" or
        "rate 1.4× its own 3-year baseline (95% CI 1.2–1.6)".

    Notes
    -----
    Rates are annualised over the months reported (each month 1/12 of a year, see
    :mod:`civica.stats.rates`), so a month missing from one window does not bias its ratio.
    The comparison with the state includes the area in the state; the independence assumed
    by the interval makes it conservative (see :func:`~civica.stats.intervals.rate_ratio`).

    References
    ----------
    .. [1] Rothman, K. J., Greenland, S., & Lash, T. L. (2008). *Modern Epidemiology*
       (3rd ed.), ch. 14. Lippincott Williams & Wilkins. (Wald interval of the log rate
       ratio.)
    .. [2] Breslow, N. E., & Day, N. E. (1987). *Statistical Methods in Cancer Research,
       Vol. II*, §2.4. IARC Scientific Publications No. 82.
    """
    method = method if method is not None else PriorityMethod()
    area_counts, labels = _matrix(area, "area")
    state_counts, _ = _matrix(state, "state")
    w, b = int(method.window_months), int(method.baseline_months)

    last = _end_ordinal(area_counts, end)
    window = np.arange(last - w + 1, last + 1)
    baseline = np.arange(last - w - b + 1, last - w + 1)

    figures, unscored = [], []
    for key, label in labels.items():
        row = _figures(key, label, area_counts, state_counts, window, baseline)
        if row is None:
            unscored.append(label)
        else:
            figures.append(row)

    area_total = float(sum(row["count"] for row in figures))
    top = max((row["count"] for row in figures), default=0.0)
    scored = [
        _score(row, method, area_population, state_population, area_total, top) for row in figures
    ]
    scored.sort(key=lambda item: (-item["score"], -item["count"], normalise_label(item["crime"])))

    crimes = tuple(
        PriorityCrime(
            rank=rank,
            crime=item["crime"],
            score=item["score"],
            components=item["components"],
            count=item["count"],
            share=item["share"],
            rate=item["rate"],
            baseline_count=item["baseline_count"],
            baseline_rate=item["baseline_rate"],
            own_ratio=item["own_ratio"],
            state_count=item["state_count"],
            state_rate=item["state_rate"],
            state_ratio=item["state_ratio"],
            window_missing=item["window_missing"],
            baseline_missing=item["baseline_missing"],
            state_missing=item["state_missing"],
            reasons=reasons_for(item, method, area_noun),
        )
        for rank, item in enumerate(scored, start=1)
    )
    return PriorityRanking(
        crimes=crimes,
        unscored=tuple(unscored),
        window=Period.custom(month_of(window[0]), month_of(window[-1])),
        baseline=Period.custom(month_of(baseline[0]), month_of(baseline[-1])),
        area_total=area_total,
        method=method,
    )


def _matrix(frame: pd.DataFrame, what: str) -> tuple[pd.DataFrame, dict[str, str]]:
    """Counts as a crime × month-ordinal table (NaN = not reported) and key → label."""
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"The {what} counts must be a pandas DataFrame.")
    absent = [column for column in _COLUMNS if column not in frame.columns]
    if absent:
        raise ValueError(f"The {what} counts lack the column(s) {', '.join(absent)}.")
    counts = pd.to_numeric(frame["count"], errors="raise").astype(float)
    if (counts < 0).any() or np.isinf(counts).any():
        raise ValueError(f"The {what} counts hold a negative or infinite value.")
    months = pd.to_numeric(frame["month"], errors="raise")
    if ((months < 1) | (months > 12)).any():
        raise ValueError(f"The {what} counts hold a month outside 1–12.")
    keys = frame["crime"].map(normalise_label)
    tidy = pd.DataFrame(
        {
            "key": keys.to_numpy(),
            "ordinal": (pd.to_numeric(frame["year"]) * 12 + months - 1).astype(np.int64),
            "count": counts.to_numpy(),
            "missing": counts.isna().to_numpy(),
        }
    )
    grouped = tidy.groupby(["key", "ordinal"], sort=True)
    # A month is reported only when every row added into it is.
    summed = grouped["count"].sum().where(~grouped["missing"].any())
    labels: dict[str, str] = {}
    for key, raw in zip(keys, frame["crime"], strict=True):
        labels.setdefault(key, " ".join(str(raw).split()))
    return summed.unstack("ordinal"), labels


def _end_ordinal(counts: pd.DataFrame, end: Month | Period | None) -> int:
    if isinstance(end, Period):
        return ordinal(*end.last_month)
    if end is not None:
        return ordinal(*Period.month(*end).first_month)
    reported = counts.notna().any(axis=0)
    if not reported.any():
        raise ValueError("The area counts have no reported month.")
    return int(reported[reported].index.max())


def _window(counts: pd.DataFrame, key: str, months: np.ndarray) -> tuple[float, np.ndarray]:
    """Sum over the reported months, and which months were reported."""
    if key not in counts.index:
        return math.nan, np.zeros(months.size, dtype=bool)
    values = counts.loc[key].reindex(months).to_numpy(dtype=float)
    reported = ~np.isnan(values)
    total = float(values[reported].sum()) if reported.any() else math.nan
    return total, reported


def _figures(key, label, area_counts, state_counts, window, baseline) -> dict | None:
    count, window_seen = _window(area_counts, key, window)
    if not window_seen.any():
        return None
    baseline_count, baseline_seen = _window(area_counts, key, baseline)
    state_count, state_seen = _window(state_counts, key, window)
    return {
        "crime": label,
        "count": count,
        "window_seen": window[window_seen],
        "window_missing": tuple(month_of(o) for o in window[~window_seen]),
        "baseline_count": baseline_count,
        "baseline_seen": baseline[baseline_seen],
        "baseline_missing": tuple(month_of(o) for o in baseline[~baseline_seen]),
        "state_count": state_count,
        "state_seen": window[state_seen],
        "state_missing": tuple(month_of(o) for o in window[~state_seen]),
    }


def _score(row, method, area_population, state_population, area_total, top) -> dict:
    window_py = person_years(area_population, row["window_seen"])
    baseline_py = person_years(area_population, row["baseline_seen"])
    state_py = person_years(state_population, row["state_seen"])
    own = rate_ratio(
        row["count"], window_py, row["baseline_count"], baseline_py, level=method.level
    )
    versus_state = rate_ratio(
        row["count"], window_py, row["state_count"], state_py, level=method.level
    )
    components = PriorityComponents(
        volume=row["count"] / top if top > 0 else 0.0,
        severity=method.severity_of(row["crime"]),
        own_trend=_trend(own),
        state_trend=_trend(versus_state),
    )
    score = (
        method.weight_volume * components.volume
        + method.weight_severity * components.severity
        + method.weight_own_trend * components.own_trend
        + method.weight_state_trend * components.state_trend
    )
    return {
        **row,
        "score": float(score),
        "components": components,
        "share": row["count"] / area_total if area_total > 0 else math.nan,
        "rate": _rate(row["count"], window_py),
        "baseline_rate": _rate(row["baseline_count"], baseline_py),
        "own_ratio": own,
        "state_rate": _rate(row["state_count"], state_py),
        "state_ratio": versus_state,
    }


def _rate(count: float, exposure: float) -> float:
    if math.isnan(count) or math.isnan(exposure) or exposure <= 0:
        return math.nan
    return count / exposure * PER_100K


def _trend(ratio: RateRatio) -> float:
    """log2 of the interval end nearest to 1 (1 when the interval holds 1), in [-1, 1]."""
    if math.isnan(ratio.lower) or math.isnan(ratio.upper):
        return 0.0
    if ratio.lower > 1:
        bound = ratio.lower
    elif ratio.upper < 1:
        bound = ratio.upper
    else:
        return 0.0
    return float(min(1.0, max(-1.0, math.log2(bound))))
