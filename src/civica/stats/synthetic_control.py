"""Synthetic control for one municipality against a donor pool, with placebo inference.

The estimator (Abadie, Diamond & Hainmueller 2010) builds a "synthetic" municipality as the
weighted average of donor municipalities (weights ``w >= 0`` summing to one) whose path
before the intervention best matches the treated one; after the start, the gap between the
observed and the synthetic path is the estimated effect.

* **Predictors and V.** The predictors are the pre-period monthly outcomes themselves, each
  month weighted equally (``V = I``), so the weights minimise the pre-period mean squared
  prediction error (MSPE) directly. ADH's nested search chooses a diagonal ``V`` to minimise
  that same pre-period MSPE of the outcome; when the predictors are the pre-period outcomes
  no ``V`` can do better than ``V = I``, which attains the minimum over the simplex, so the
  search is unnecessary. ``month_weights`` accepts another diagonal ``V`` (e.g. more weight on
  recent months); extra covariates are not supported: Abadie (2021 §3.2) and Kaul et al.
  (2022) show they are ignored once all pre-period outcomes are predictors.
* **Solver.** An exact active-set solution of the simplex least-squares problem by one
  non-negative least-squares problem (:mod:`civica.stats._simplex`), with its optimality
  (KKT) conditions checked on every fit; at most ``n_pre + 1`` weights are non-zero.
* **Inference.** Placebo-in-space: each donor in turn plays the treated unit against the
  other donors, and the treated unit's ratio of post- to pre-period RMSPE is ranked among
  all of them; the permutation p-value is ``rank / (n + 1)`` (Abadie et al. 2010 §4;
  Abadie 2021 §7). Placebo-in-time: the fit is repeated with a fake start inside the
  pre-period, where no effect should appear.
* **Agreement with pysyncon** (documented tolerance). ``pysyncon.Synth`` given the same
  ``V`` (``custom_V = s²``, which undoes its division of each month by its standard
  deviation ``s`` across units, divided by a constant so that its objective is near one)
  finds the same weights to within **1e-3 each** (1e-8 to 1e-4 observed) and the same
  pre-RMSPE to **1e-6 relative**: its SLSQP uses finite-difference gradients and stops at an
  absolute tolerance of 1e-6 on the objective, so its weights are accurate only to about
  the square root of that, and may leave the simplex by ~1e-8. Its default nested
  Nelder–Mead search over ``V`` can only land at an equal or higher pre-RMSPE, since
  ``V = I`` attains the minimum; weights then differ by as much as its search falls short
  (``benchmarks/bench_synthetic_control.py`` prints both).

References
----------
.. [1] Abadie, A., Diamond, A. & Hainmueller, J. (2010). Synthetic control methods for
   comparative case studies: estimating the effect of California's tobacco control
   program. Journal of the American Statistical Association 105(490), 493–505.
.. [2] Abadie, A. (2021). Using synthetic controls: feasibility, data requirements, and
   methodological aspects. Journal of Economic Literature 59(2), 391–425.
.. [3] Kaul, A., Klößner, S., Pfeifer, G. & Schieler, M. (2022). Standard synthetic
   control methods: the case of using all preintervention outcomes together with
   covariates. Journal of Business & Economic Statistics 40(3), 1362–1376.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable

import numpy as np
import pandas as pd

from civica.stats._synth_fit import fit_arrays
from civica.stats._synth_input import (
    MIN_DONORS,
    MIN_PRE_MONTHS,
    SyntheticControlError,
    prepare,
)
from civica.stats._synth_placebo import (
    PlaceboInSpace,
    PlaceboInTime,
    placebo_in_space,
    placebo_in_time,
)
from civica.stats._synth_result import (
    POOR_FIT_FRACTION,
    SyntheticControl,
    month_scale,
    result,
)

__all__ = [
    "MIN_DONORS",
    "MIN_PRE_MONTHS",
    "POOR_FIT_FRACTION",
    "PlaceboInSpace",
    "PlaceboInTime",
    "SyntheticControl",
    "SyntheticControlError",
    "placebo_in_space",
    "placebo_in_time",
    "synthetic_control",
]


def synthetic_control(
    outcomes: pd.DataFrame | np.ndarray,
    treated: Hashable,
    start: Hashable,
    *,
    donors: Iterable[Hashable] | None = None,
    month_weights: Iterable[float] | None = None,
    counts: bool = True,
    poor_fit_fraction: float = POOR_FIT_FRACTION,
    min_pre_months: int = MIN_PRE_MONTHS,
) -> SyntheticControl:
    """Fit the synthetic control of ``treated`` from ``start`` on (Abadie et al. 2010).

    Parameters
    ----------
    outcomes : DataFrame or 2-D array
        Units (rows, e.g. CVEGEO codes) × months (columns, in chronological order, e.g.
        ``pandas.Period``). Counts or rates, every cell reported and non-negative. A plain
        array gets labels ``0 … n−1`` on both axes.
    treated : label
        The row of the unit that received the intervention.
    start : label
        The column of the first month with the intervention in place (ramp-up months, if
        excluded, are best dropped from the columns). At least ``min_pre_months`` months
        must precede it.
    donors : labels, optional
        The donor pool; default every other row. Exclude units that had a similar
        intervention or spill-overs from the treated one (Abadie 2021 §5).
    month_weights : floats, optional
        A diagonal ``V`` over the ``n_pre`` pre-period months (positive; rescaled to sum to
        one); default equal weights, which minimise the pre-period MSPE.
    counts : bool, default True
        Outcomes are monthly counts: the poor-fit rule then allows for Poisson noise.
    poor_fit_fraction : float, default 0.10
        The fit is flagged poor when ``pre_rmspe`` exceeds
        ``max(poor_fit_fraction × m, 2 √m if counts else 0)``, with ``m`` the treated
        unit's pre-period mean: the typical monthly miss is then both more than 10 % of the
        level and more than twice the standard deviation of a Poisson count at that level,
        so counting noise alone does not explain it. A heuristic threshold, shown with the
        result: Abadie (2021 §4) advises against reading effects off a poor fit.
    min_pre_months : int, default 12

    Returns
    -------
    SyntheticControl

    Raises
    ------
    SyntheticControlError
        For missing months (naming units and months), negative or infinite values, too few
        pre-period months or donors, a treated pre-period series that never varies, the
        treated unit among the donors, unknown labels.

    Examples
    --------
    >>> import pandas as pd
    >>> months = pd.period_range("2021-01", periods=16, freq="M")
    >>> a = [10, 12, 11, 13, 12, 14, 13, 15, 14, 16, 15, 17, 16, 18, 17, 19]
    >>> b = [20, 19, 21, 20, 22, 21, 23, 22, 24, 23, 25, 24, 26, 25, 27, 26]
    >>> c = [5, 9, 6, 8, 7, 9, 8, 7, 9, 8, 6, 9, 7, 8, 9, 6]
    >>> city = [0.25 * x + 0.75 * y for x, y in zip(a, b)]
    >>> city[12:] = [v - 2 for v in city[12:]]  # two crimes fewer a month from the start
    >>> table = pd.DataFrame([city, a, b, c], index=["city", "a", "b", "c"], columns=months)
    >>> fit = synthetic_control(table, "city", months[12])
    >>> [(donor, round(weight, 6)) for donor, weight in fit.weights]
    [('b', 0.75), ('a', 0.25)]
    >>> fit.pre_rmspe, round(fit.effect, 6), round(fit.effect_percent, 2)
    (0.0, -8.0, -8.38)
    """
    panel = prepare(outcomes, treated, start, donors, min_pre_months=min_pre_months)
    scale = month_scale(month_weights, panel.n_pre)
    values = panel.values
    fit = fit_arrays(values[0], values[1:], panel.n_pre, scale)
    return result(panel, fit, scale, counts=counts, poor_fit_fraction=poor_fit_fraction)
