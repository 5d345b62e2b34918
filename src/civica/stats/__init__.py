"""Pure algorithms for crime statistics: arrays and frames in, frozen dataclasses out.

Nothing here knows about Django, files or databases, and every function is deterministic.

* :mod:`~civica.stats.periods` — months, quarters, calendar and US fiscal years, custom
  ranges, with stable labels;
* :mod:`~civica.stats.rates` — rates per 100,000, annualisation rules, completeness of
  periods;
* :mod:`~civica.stats.intervals` — exact Poisson intervals, rate ratios, ranking areas by
  the lower bound of their rate;
* :mod:`~civica.stats.semaforo` — the Semáforo Delictivo traffic light;
* :mod:`~civica.stats.priority` — priority crimes of an area, with reasons.

Further modules: :mod:`~civica.stats.grid`, :mod:`~civica.stats.hotspots`,
:mod:`~civica.stats.multiple_testing`, :mod:`~civica.stats.kde`, :mod:`~civica.stats.emerging`,
:mod:`~civica.stats.concentration` (spatial concentration and hot spots),
:mod:`~civica.stats.near_repeat` (the Knox test) and :mod:`~civica.stats.evaluation` (RIRR,
displacement, adjusted p-values for intervention evaluations).
"""

from civica.stats.concentration import Concentration, concentration
from civica.stats.emerging import (
    EmergingHotSpots,
    HotSpotTrend,
    MannKendall,
    emerging_hot_spots,
    hot_spot_trends,
    mann_kendall,
)
from civica.stats.evaluation import (
    SMALL_COUNT,
    AdjustedPValues,
    Displacement,
    DisplacementInterpretation,
    RelativeIncidenceRateRatio,
    WeightedDisplacementDifference,
    adjust_pvalues,
    rirr,
    weighted_displacement_difference,
    weighted_displacement_quotient,
)
from civica.stats.grid import DEFAULT_MAX_CELLS, Grid
from civica.stats.hotspots import DEFAULT_MAX_DRAWS, HotSpots, Neighbourhood, gi_star, gi_star_grid
from civica.stats.intervals import (
    PER_100K,
    PoissonInterval,
    RateInterval,
    RateRanking,
    RateRatio,
    poisson_interval,
    rank_by_lower_bound,
    rate_interval,
    rate_ratio,
)
from civica.stats.kde import DensityUnits, KdeSurface, Kernel, kde_surface
from civica.stats.multiple_testing import FdrResult, benjamini_hochberg
from civica.stats.near_repeat import KnoxResult, knox
from civica.stats.periods import Month, Period, PeriodKind, days_in_month, months_in, period_of
from civica.stats.priority import (
    DEFAULT_SEVERITY,
    PriorityComponents,
    PriorityCrime,
    PriorityMethod,
    PriorityRanking,
    priority_crimes,
)
from civica.stats.rates import (
    Annualisation,
    Completeness,
    PeriodRate,
    PeriodTotal,
    annualised_monthly_rate,
    period_rate,
    period_total,
    rate_per_100k,
)
from civica.stats.semaforo import SemaforoStatus, semaforo

__all__ = [
    "DEFAULT_MAX_CELLS",
    "DEFAULT_MAX_DRAWS",
    "DEFAULT_SEVERITY",
    "PER_100K",
    "SMALL_COUNT",
    "AdjustedPValues",
    "Annualisation",
    "Completeness",
    "Concentration",
    "DensityUnits",
    "Displacement",
    "DisplacementInterpretation",
    "EmergingHotSpots",
    "FdrResult",
    "Grid",
    "HotSpotTrend",
    "HotSpots",
    "KdeSurface",
    "Kernel",
    "KnoxResult",
    "MannKendall",
    "Month",
    "Neighbourhood",
    "Period",
    "PeriodKind",
    "PeriodRate",
    "PeriodTotal",
    "PoissonInterval",
    "PriorityComponents",
    "PriorityCrime",
    "PriorityMethod",
    "PriorityRanking",
    "RateInterval",
    "RateRanking",
    "RateRatio",
    "RelativeIncidenceRateRatio",
    "SemaforoStatus",
    "WeightedDisplacementDifference",
    "adjust_pvalues",
    "annualised_monthly_rate",
    "benjamini_hochberg",
    "concentration",
    "days_in_month",
    "emerging_hot_spots",
    "gi_star",
    "gi_star_grid",
    "hot_spot_trends",
    "kde_surface",
    "knox",
    "mann_kendall",
    "months_in",
    "period_of",
    "period_rate",
    "period_total",
    "poisson_interval",
    "priority_crimes",
    "rank_by_lower_bound",
    "rate_interval",
    "rate_per_100k",
    "rate_ratio",
    "rirr",
    "semaforo",
    "weighted_displacement_difference",
    "weighted_displacement_quotient",
]
