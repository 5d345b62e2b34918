"""Near-repeat analysis: the Knox test by distance band and time band.

A burglary raises the risk of another one nearby for a few weeks. The Knox test measures
that: it counts the pairs of events that are close both in space and in time, and compares
each count with the counts obtained when the event times are shuffled among the events
(which keeps where crime happens and when it happens, but breaks any link between the two).
Reported by distance band × time band, as in Ratcliffe's Near Repeat Calculator, a ratio
above 1 with a small p-value in the first bands is the near-repeat pattern.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from civica.stats._knox_count import observed_counts, permutation_summary, time_codes
from civica.stats._knox_pairs import as_edges, as_events, candidate_pairs
from civica.stats.multiple_testing import benjamini_hochberg

__all__ = ["KnoxResult", "knox"]

#: Default memory budget for the candidate pairs: 2 GiB.
DEFAULT_MAX_MEMORY = 2 * 1024**3


@dataclass(frozen=True, eq=False)
class KnoxResult:
    """Observed and expected pair counts per distance band × time band, with p-values.

    Cell ``[d, k]`` of every array is the distance band
    ``[distance_bands[d], distance_bands[d + 1])`` (metres) by the time band
    ``[time_bands[k], time_bands[k + 1])`` (days). Arrays are read-only.

    Attributes
    ----------
    distance_bands, time_bands : tuple of float
        The band edges, as given.
    observed : numpy.ndarray of int
        Pairs of events in each cell.
    expected : numpy.ndarray of float
        Mean count of the cell over the permutations of the event times.
    ratio : numpy.ndarray of float
        ``observed / expected`` (the Knox ratio); NaN where ``expected`` is 0.
    p_values : numpy.ndarray of float
        ``(exceedances + 1) / (permutations + 1)``: one-sided, for more pairs than chance.
        NaN for a cell that is not tested (see ``tested``).
    tested : numpy.ndarray of bool
        Cells with a test: some pair fell in the cell, observed or in a permutation. A
        cell with no pair ever (typically the same-location band when no two events share
        a place) carries no information; it has no p-value, no q-value and does not count
        among the tests corrected for.
    z_scores : numpy.ndarray of float
        ``(observed - expected) / permuted_std``; NaN where the permuted counts never vary.
    exceedances : numpy.ndarray of int
        Permutations whose count of the cell was at least the observed one.
    permuted_std, permuted_min, permuted_max : numpy.ndarray
        Standard deviation (``ddof=1``), smallest and largest permuted count of each cell.
    permutations, seed : int
        The Monte Carlo settings that produced the result.
    n_events : int
        Events analysed.
    n_pairs_considered : int
        Pairs of events closer than the last distance edge (the pairs counted in some
        cell, whatever their time gap). Pairs farther apart are not reported.
    """

    distance_bands: tuple[float, ...]
    time_bands: tuple[float, ...]
    observed: np.ndarray
    expected: np.ndarray
    ratio: np.ndarray
    p_values: np.ndarray
    tested: np.ndarray
    z_scores: np.ndarray
    exceedances: np.ndarray
    permuted_std: np.ndarray
    permuted_min: np.ndarray
    permuted_max: np.ndarray
    permutations: int
    seed: int
    n_events: int
    n_pairs_considered: int

    @property
    def n_tests(self) -> int:
        """Cells with a test (``tested``): the number the false discovery rate corrects for."""
        return int(self.tested.sum())

    @property
    def q_values(self) -> np.ndarray:
        """Benjamini–Hochberg adjusted p-values across the tested cells of the table (NaN
        for a cell without a test)."""
        return benjamini_hochberg(self.p_values).q

    def expected_by_chance(self, alpha: float = 0.05) -> float:
        """Cells expected at ``p <= alpha`` by chance alone, with no near-repeat pattern.

        ``alpha`` × the cells tested: each Monte Carlo p-value is at most ``alpha`` with
        probability at most ``alpha`` under the null hypothesis, whatever the correlation
        between cells (an expectation adds up). 48 cells at 0.05: 2.4 cells.
        """
        _check_alpha(alpha)
        return alpha * self.n_tests

    def significant(self, alpha: float = 0.05, *, adjust: str = "none") -> np.ndarray:
        """Cells with more pairs than chance at ``alpha``: unadjusted p-values
        (``adjust="none"``, as Ratcliffe's calculator) or Benjamini–Hochberg q-values across
        the table (``adjust="bh"``). Cells without a test are never significant."""
        _check_alpha(alpha)
        if adjust == "bh":
            return benjamini_hochberg(self.p_values, alpha).reject
        if adjust != "none":
            raise ValueError(f'adjust is "none" or "bh", not {adjust!r}.')
        return np.nan_to_num(self.p_values, nan=2.0) <= alpha

    def to_frame(self) -> pd.DataFrame:
        """One row per cell, distance band by distance band, in long format.

        Columns ``distance_from``, ``distance_to`` (metres), ``time_from``, ``time_to``
        (days), ``observed``, ``expected``, ``ratio``, ``p_value`` and ``z_score``.
        """
        distance = np.asarray(self.distance_bands)
        time = np.asarray(self.time_bands)
        n_distance, n_time = self.observed.shape
        d = np.repeat(np.arange(n_distance), n_time)
        k = np.tile(np.arange(n_time), n_distance)
        return pd.DataFrame(
            {
                "distance_from": distance[d],
                "distance_to": distance[d + 1],
                "time_from": time[k],
                "time_to": time[k + 1],
                "observed": self.observed.ravel(),
                "expected": self.expected.ravel(),
                "ratio": self.ratio.ravel(),
                "p_value": self.p_values.ravel(),
                "q_value": self.q_values.ravel(),
                "z_score": self.z_scores.ravel(),
            }
        )


def knox(
    x: object,
    y: object,
    t: object,
    *,
    distance_bands: object,
    time_bands: object,
    permutations: int = 999,
    seed: int = 0,
    max_memory: float = DEFAULT_MAX_MEMORY,
    workers: int | None = None,
    progress=None,
) -> KnoxResult:
    """Knox test of space-time interaction by distance band and time band (near repeat).

    Every unordered pair of distinct events (``i < j``: no pair twice, no event with
    itself) is placed in the distance band of its Euclidean distance and the time band of
    the absolute difference of its times. The observed count of each cell is compared with
    ``permutations`` Monte Carlo counts, each obtained after randomly permuting the event
    times among the events (the locations stay put).

    Parameters
    ----------
    x, y : array_like
        Projected coordinates of the events, in metres (for Mexico, e.g. EPSG:6372).
    t : array_like
        Event times in days, as numbers (e.g. days since an epoch; convert dates first).
        Whole days are the usual case and the fastest; fractional days are allowed.
    distance_bands : sequence of float
        Increasing edges in metres, starting at 0, e.g. ``(0, 1, 200, 400, 600, 800,
        1000)``. Bands are half-open, ``[e_k, e_{k+1})``. The first band up to a small
        positive edge is the **same-location** band: ``(0, 1, …)`` puts pairs less than a
        metre apart, i.e. the same address within rounding, in ``[0, 1)``. Pairs at or
        beyond the last edge are "far" and not reported.
    time_bands : sequence of float
        Increasing edges in days, starting at 0, e.g. ``(0, 7, 14, 21, 28)``. Bands are
        half-open too: with whole-day times, ``[0, 7)`` holds gaps of 0 (same day) to 6
        days. Pairs at or beyond the last edge are not reported.
    permutations : int, default 999
        Monte Carlo permutations of the times (at least 1). With ``m`` permutations the
        smallest possible p-value is ``1 / (m + 1)``.
    seed : int, default 0
        Seed of the ``numpy.random.Generator(PCG64(seed))`` that draws the permutations:
        one in-place ``Generator.shuffle`` of the times per Monte Carlo run, in order.
    max_memory : float, default 2 GiB
        Budget in bytes for the candidate pairs (about 48 bytes per pair closer than the
        last distance edge). The test refuses, before building them, when they would
        need more, and says how many pairs there are.
    workers : int, optional
        Threads counting permutations; default: the CPUs this process may use. Results do
        not depend on it.
    progress : callable, optional
        ``progress(done, total)`` after each batch of permutations counted (a background
        job shows "permutation 400 of 999").

    Returns
    -------
    KnoxResult
        Observed and expected counts, Knox ratios, p-values and z-scores per cell.

    Raises
    ------
    ValueError
        Before any work, when the arrays differ in length, are not 1-D numbers, hold a
        non-finite value or fewer than 2 events; when a band list does not start at 0, is
        not strictly increasing or has no band; when ``permutations``, ``seed`` or
        ``workers`` is not a whole number in range. Before the candidate pairs are built,
        when they would exceed ``max_memory``.

    Notes
    -----
    The p-value of a cell is :math:`(r + 1) / (m + 1)`, where :math:`r` of the :math:`m`
    permutations gave a count at least the observed one (North et al. 2002); it is the
    convention of the Near Repeat Calculator. The expected count is the mean permuted
    count, and the ratio observed / expected is the Knox ratio the Calculator reports.
    Cells are tested one by one: with many cells, some small p-values arise by chance
    (:meth:`KnoxResult.expected_by_chance`: 2.4 of 48 cells at 0.05), so the result also
    gives Benjamini–Hochberg q-values across the table (``q_values``, ``significant(adjust=
    "bh")``). A cell where no pair falls, observed or permuted, has no test: its p-value
    is NaN rather than 1 (there was nothing to compare), and it is left out of the
    correction.

    The pairs closer than the last distance edge are found once with a KD-tree; each
    permutation only permutes the times and recounts those pairs by time band, for a
    batch of permutations at a time and on several threads. The candidate pairs grow with
    the square of the event density: a smaller last distance edge or a shorter period
    keeps them within ``max_memory``.

    pointpats' ``Knox(s_coords, t_coords, delta, tau)`` counts the pairs with distance
    ``<= delta`` and time gap ``<= tau``. The sum of this function's cells below the
    edges ``D`` and ``T`` counts distance ``< D`` and gap ``< T``: the same pairs as
    pointpats with ``delta = D`` when no pair is exactly ``D`` apart and, for whole-day
    times, ``tau = T - 1``.

    References
    ----------
    .. [1] Knox, E. G. (1964). The detection of space-time interactions. *Journal of the
       Royal Statistical Society, Series C (Applied Statistics)* 13(1), 25–30.
       https://doi.org/10.2307/2985220
    .. [2] Johnson, S. D., Bernasco, W., Bowers, K. J., Elffers, H., Ratcliffe, J.,
       Rengert, G. and Townsley, M. (2007). Space–time patterns of risk: a cross national
       assessment of residential burglary victimization. *Journal of Quantitative
       Criminology* 23(3), 201–219. https://doi.org/10.1007/s10940-007-9025-3
    .. [3] Ratcliffe, J. H. and Rengert, G. F. (2008). Near-repeat patterns in
       Philadelphia shootings. *Security Journal* 21(1–2), 58–76.
       https://doi.org/10.1057/palgrave.sj.8350068
    .. [4] Ratcliffe, J. H. (2009). *Near Repeat Calculator* (version 1.3). Temple
       University, Philadelphia, and the National Institute of Justice, Washington, DC.
    .. [5] North, B. V., Curtis, D. and Sham, P. C. (2002). A note on the calculation of
       empirical P values from Monte Carlo procedures. *American Journal of Human
       Genetics* 71(2), 439–441. https://doi.org/10.1086/341527
    .. [6] Benjamini, Y. and Hochberg, Y. (1995). Controlling the false discovery rate: a
       practical and powerful approach to multiple testing. *Journal of the Royal
       Statistical Society, Series B* 57(1), 289–300.

    Examples
    --------
    Two events at one address three days apart, a third 150 m away a week later, a
    fourth 300 m north, and a fifth far away:

    >>> x = [0, 0, 150, 0, 5000]
    >>> y = [0, 0, 0, 300, 0]
    >>> t = [0, 3, 10, 1, 2]
    >>> result = knox(x, y, t, distance_bands=(0, 1, 200, 400), time_bands=(0, 7, 14),
    ...               permutations=99, seed=1)
    >>> result.observed
    array([[1, 0],
           [0, 2],
           [2, 1]])
    >>> result.n_pairs_considered
    6
    >>> bool((result.p_values >= 1 / 100).all() and (result.p_values <= 1).all())
    True
    >>> result.n_tests, round(result.expected_by_chance(0.05), 2)
    (6, 0.3)
    >>> result.to_frame().columns[:4].tolist()
    ['distance_from', 'distance_to', 'time_from', 'time_to']
    """
    xs, ys, ts = as_events(x, y, t)
    distance_edges = as_edges(distance_bands, name="distance_bands", unit="m")
    time_edges = as_edges(time_bands, name="time_bands", unit="days")
    permutations = _whole(permutations, name="permutations", minimum=1)
    seed = _whole(seed, name="seed", minimum=0)
    if workers is not None:
        workers = _whole(workers, name="workers", minimum=1)
    if not max_memory > 0:
        raise ValueError(f"max_memory is a positive number of bytes, not {max_memory!r}.")

    pairs = candidate_pairs(xs, ys, distance_edges, max_memory=max_memory)
    coded = time_codes(ts[pairs.order], time_edges)
    observed = observed_counts(pairs, coded, time_edges)
    summary = permutation_summary(
        pairs,
        coded,
        observed,
        permutations=permutations,
        seed=seed,
        workers=workers,
        progress=progress,
    )
    expected = summary.mean
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(expected > 0, observed / expected, np.nan)
        z = np.where(summary.std > 0, (observed - expected) / summary.std, np.nan)
    tested = (observed > 0) | (summary.maximum > 0)
    p_values = np.where(tested, (summary.exceedances + 1) / (permutations + 1), np.nan)
    return KnoxResult(
        distance_bands=tuple(float(e) for e in distance_edges),
        time_bands=tuple(float(e) for e in time_edges),
        observed=_frozen(observed),
        expected=_frozen(expected),
        ratio=_frozen(ratio),
        p_values=_frozen(p_values),
        tested=_frozen(tested),
        z_scores=_frozen(z),
        exceedances=_frozen(summary.exceedances),
        permuted_std=_frozen(summary.std),
        permuted_min=_frozen(summary.minimum),
        permuted_max=_frozen(summary.maximum),
        permutations=permutations,
        seed=seed,
        n_events=int(xs.size),
        n_pairs_considered=pairs.n_pairs,
    )


def _check_alpha(alpha: float) -> None:
    if not 0.0 < alpha < 1.0:
        raise ValueError(f"alpha is a probability between 0 and 1, not {alpha}.")


def _whole(value: object, *, name: str, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise ValueError(f"{name} must be a whole number, not {value!r}.")
    if value < minimum:
        raise ValueError(f"{name} must be at least {minimum}, not {value}.")
    return int(value)


def _frozen(array: np.ndarray) -> np.ndarray:
    out = np.array(array, copy=True)
    out.flags.writeable = False
    return out
