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
displacement, adjusted p-values for intervention evaluations), with
:mod:`~civica.stats.dispersion` (the RIRR with sectors' overdispersion),
:mod:`~civica.stats.panel` (Poisson/NB fixed-effects regressions),
:mod:`~civica.stats.staggered` (Callaway–Sant'Anna) and :mod:`~civica.stats.simulation`
(how those designs cover on resampled real series; imported on its own).
"""

# The submodules are imported on first use of a name (PEP 562): importing one light module
# (``civica.stats.periods``, on every Django start) must not load SciPy and statsmodels.
import importlib as _importlib
import sys as _sys
import types as _types
import typing as _typing

if _typing.TYPE_CHECKING:
    from civica.stats.concentration import Concentration, concentration
    from civica.stats.dispersion import SectorDispersion, rirr_by_sector, sector_dispersion
    from civica.stats.displacement import displacement_against_comparison
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
    from civica.stats.hotspots import (
        DEFAULT_MAX_DRAWS,
        HotSpots,
        Neighbourhood,
        gi_star,
        gi_star_grid,
    )
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
    from civica.stats.panel import FEW_CLUSTERS, PanelDataError, PanelEffect, panel_regression
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
    from civica.stats.semaforo import SemaforoBaseline, SemaforoStatus, semaforo
    from civica.stats.staggered import (
        EventTimeEffect,
        GroupTimeEffect,
        StaggeredEffect,
        staggered_att,
    )

_EXPORTS = {
    "Concentration": "concentration",
    "concentration": "concentration",
    "SectorDispersion": "dispersion",
    "rirr_by_sector": "dispersion",
    "sector_dispersion": "dispersion",
    "displacement_against_comparison": "displacement",
    "EmergingHotSpots": "emerging",
    "HotSpotTrend": "emerging",
    "MannKendall": "emerging",
    "emerging_hot_spots": "emerging",
    "hot_spot_trends": "emerging",
    "mann_kendall": "emerging",
    "SMALL_COUNT": "evaluation",
    "AdjustedPValues": "evaluation",
    "Displacement": "evaluation",
    "DisplacementInterpretation": "evaluation",
    "RelativeIncidenceRateRatio": "evaluation",
    "WeightedDisplacementDifference": "evaluation",
    "adjust_pvalues": "evaluation",
    "rirr": "evaluation",
    "weighted_displacement_difference": "evaluation",
    "weighted_displacement_quotient": "evaluation",
    "DEFAULT_MAX_CELLS": "grid",
    "Grid": "grid",
    "DEFAULT_MAX_DRAWS": "hotspots",
    "HotSpots": "hotspots",
    "Neighbourhood": "hotspots",
    "gi_star": "hotspots",
    "gi_star_grid": "hotspots",
    "PER_100K": "intervals",
    "PoissonInterval": "intervals",
    "RateInterval": "intervals",
    "RateRanking": "intervals",
    "RateRatio": "intervals",
    "poisson_interval": "intervals",
    "rank_by_lower_bound": "intervals",
    "rate_interval": "intervals",
    "rate_ratio": "intervals",
    "DensityUnits": "kde",
    "KdeSurface": "kde",
    "Kernel": "kde",
    "kde_surface": "kde",
    "FdrResult": "multiple_testing",
    "benjamini_hochberg": "multiple_testing",
    "KnoxResult": "near_repeat",
    "knox": "near_repeat",
    "FEW_CLUSTERS": "panel",
    "PanelDataError": "panel",
    "PanelEffect": "panel",
    "panel_regression": "panel",
    "Month": "periods",
    "Period": "periods",
    "PeriodKind": "periods",
    "days_in_month": "periods",
    "months_in": "periods",
    "period_of": "periods",
    "DEFAULT_SEVERITY": "priority",
    "PriorityComponents": "priority",
    "PriorityCrime": "priority",
    "PriorityMethod": "priority",
    "PriorityRanking": "priority",
    "priority_crimes": "priority",
    "Annualisation": "rates",
    "Completeness": "rates",
    "PeriodRate": "rates",
    "PeriodTotal": "rates",
    "annualised_monthly_rate": "rates",
    "period_rate": "rates",
    "period_total": "rates",
    "rate_per_100k": "rates",
    "SemaforoBaseline": "semaforo",
    "SemaforoStatus": "semaforo",
    "semaforo": "semaforo",
    "EventTimeEffect": "staggered",
    "GroupTimeEffect": "staggered",
    "StaggeredEffect": "staggered",
    "staggered_att": "staggered",
}


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(_importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


class _Package(_types.ModuleType):
    """Keeps ``concentration`` and ``semaforo`` the functions, as the eager imports did.

    Importing a submodule sets it as an attribute of the package; where a function bears the
    submodule's name, the function is what ``from civica.stats import …`` must find.
    """

    def __setattr__(self, name, value):
        if isinstance(value, _types.ModuleType) and _EXPORTS.get(name) == name:
            value = getattr(value, name)
        super().__setattr__(name, value)


_sys.modules[__name__].__class__ = _Package


__all__ = [
    "DEFAULT_MAX_CELLS",
    "DEFAULT_MAX_DRAWS",
    "DEFAULT_SEVERITY",
    "FEW_CLUSTERS",
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
    "EventTimeEffect",
    "FdrResult",
    "Grid",
    "GroupTimeEffect",
    "HotSpotTrend",
    "HotSpots",
    "KdeSurface",
    "Kernel",
    "KnoxResult",
    "MannKendall",
    "Month",
    "Neighbourhood",
    "PanelDataError",
    "PanelEffect",
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
    "SectorDispersion",
    "SemaforoBaseline",
    "SemaforoStatus",
    "StaggeredEffect",
    "WeightedDisplacementDifference",
    "adjust_pvalues",
    "annualised_monthly_rate",
    "benjamini_hochberg",
    "concentration",
    "days_in_month",
    "displacement_against_comparison",
    "emerging_hot_spots",
    "gi_star",
    "gi_star_grid",
    "hot_spot_trends",
    "kde_surface",
    "knox",
    "mann_kendall",
    "months_in",
    "panel_regression",
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
    "rirr_by_sector",
    "sector_dispersion",
    "semaforo",
    "staggered_att",
    "weighted_displacement_difference",
    "weighted_displacement_quotient",
]
