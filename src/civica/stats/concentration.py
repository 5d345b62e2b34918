"""How concentrated crime is: the concentration curve, Gini coefficients, top shares.

Crime concentrates in few places: in city after city a few percent of street segments or
cells hold half of the incidents. The concentration curve shows it whole (the share of
incidents against the share of places, busiest places first); :attr:`Concentration.gini`
sums it up in one number; :meth:`Concentration.share_top` and
:meth:`Concentration.units_for_share` answer "how much crime is in the top 5% of places"
and "how few places hold half of the crime".
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from civica.stats._notes import Note, read_only

__all__ = ["Concentration", "concentration"]

_SPARSE_MEAN = 1.0


@dataclass(frozen=True, eq=False)
class Concentration:
    """The concentration curve of incidents over units and its summaries.

    Attributes
    ----------
    units : int
        Units counted (NaN counts are left out).
    incidents : float
        Total count.
    counts : numpy.ndarray
        The counts sorted from the busiest unit down (ties keep their input order).
    unit_share, incident_share : numpy.ndarray
        The curve, ``units + 1`` points from (0, 0) to (1, 1): after the ``k`` busiest
        units, ``unit_share[k] = k / units`` and ``incident_share[k]`` is their share of the
        incidents (NaN when there are none).
    gini : float
        Gini coefficient with the small-sample factor ``n / (n - 1)``, so that all
        incidents in one unit give 1 and equal counts give 0 (NaN for a single unit or no
        incidents).
    gini_raw : float
        Without the factor: :math:`\\sum_i\\sum_j |x_i - x_j| / (2 n^2 \\bar x)`.
    gini_generalized : float
        Bernasco & Steenbeek's generalised Gini, measured against the most equal spread
        the data allow (see :func:`concentration`); equals ``gini_raw`` when there are at
        least as many incidents as units.
    notes : tuple of Note
        ``sparse_counts`` when there is less than about one incident per unit.
    """

    units: int
    incidents: float
    counts: np.ndarray
    unit_share: np.ndarray
    incident_share: np.ndarray
    gini: float
    gini_raw: float
    gini_generalized: float
    notes: tuple[Note, ...]

    def share_top(self, fraction: float) -> float:
        """Share of the incidents in the busiest ``fraction`` of the units.

        ``fraction × units`` is rarely a whole number: the curve is read between whole
        units by linear interpolation (a part of the next unit's incidents), so the answer
        is continuous in ``fraction``. Ties cannot change it: tied units have equal counts,
        so which of them comes first does not move the curve.

        Examples
        --------
        >>> concentration([0, 0, 0, 10, 5, 5]).share_top(0.5)
        1.0
        """
        fraction = _fraction(fraction, "fraction of units")
        return float(np.interp(fraction, self.unit_share, self.incident_share))

    def units_for_share(self, share: float) -> float:
        """Smallest fraction of the units, busiest first, that holds ``share`` of incidents.

        The inverse of :meth:`share_top` (interpolated the same way), e.g. ``0.5`` answers
        "what share of places holds half of the crime".

        Examples
        --------
        >>> concentration([0, 0, 0, 10, 5, 5]).units_for_share(0.5)
        0.16666666666666666
        """
        share = _fraction(share, "share of incidents")
        if np.isnan(self.incident_share).any():
            return float("nan")
        # The first point where the curve reaches the share, then back along its segment.
        k = int(np.searchsorted(self.incident_share, share, side="left"))
        if k == 0:
            return 0.0
        y0, y1 = self.incident_share[k - 1], self.incident_share[k]
        x0, x1 = self.unit_share[k - 1], self.unit_share[k]
        return float(x0 + (share - y0) / (y1 - y0) * (x1 - x0))


def concentration(counts: object) -> Concentration:
    """Concentration curve and Gini coefficients of incident counts over places.

    Parameters
    ----------
    counts : array_like
        Incidents per unit (cells, street segments, sectors), any shape, non-negative;
        include the units with no incident, which are most of the story. NaN leaves a unit
        out (a cell outside the study area).

    Returns
    -------
    Concentration

    Raises
    ------
    ValueError
        For a negative or infinite count, or no unit at all.

    Notes
    -----
    With the counts sorted ascending, :math:`x_{(1)} \\le \\dots \\le x_{(n)}`, and
    :math:`c = \\sum x`:

    .. math::

        G_{raw} = \\frac{2\\sum_i i\\, x_{(i)}}{n\\,c} - \\frac{n + 1}{n}, \\qquad
        G = \\frac{n}{n - 1}\\, G_{raw}.

    :math:`G_{raw}` never reaches 1 (all incidents in one unit give :math:`1 - 1/n`); the
    factor :math:`n/(n-1)` fixes that and is what DescTools and lorenzgini call the
    unbiased Gini.

    When there are fewer incidents than units (:math:`c < n`), even incidents scattered at
    random leave most units empty and look concentrated: sparse counts inflate
    concentration. Bernasco & Steenbeek (2017) therefore compare the curve with the most
    equal spread possible, one incident in each of :math:`c` units, instead of with
    perfect equality. The generalised Gini is the area between that line of maximal
    equality and the Lorenz curve, over the area under the line:
    :math:`G' = 1 - \\tfrac{n}{c}(1 - G_{raw})` for :math:`c < n`, and :math:`G_{raw}`
    otherwise (it reproduces the examples of their ``lorenzgini`` package: 0.80 and 0.75
    for counts 5, 2, 1 and seven zeros). A note flags a mean below about one incident
    per unit.

    References
    ----------
    .. [1] Bernasco, W., & Steenbeek, W. (2017). More places than crimes: implications
       for evaluating the law of crime concentration at place. *Journal of Quantitative
       Criminology* 33(3), 451–467. https://doi.org/10.1007/s10940-016-9324-7
    .. [2] Weisburd, D. (2015). The law of crime concentration and the criminology of
       place. *Criminology* 53(2), 133–157. https://doi.org/10.1111/1745-9125.12070
    .. [3] Lorenz, M. O. (1905). Methods of measuring the concentration of wealth.
       *Publications of the American Statistical Association* 9(70), 209–219.

    Examples
    --------
    >>> result = concentration([0, 0, 0, 10])
    >>> result.gini, result.gini_raw, result.share_top(0.25)
    (1.0, 0.75, 1.0)
    """
    values = np.asarray(counts, dtype=float).ravel()
    values = values[~np.isnan(values)]
    if values.size == 0:
        raise ValueError("Concentration needs at least one unit.")
    if np.isinf(values).any() or (values < 0).any():
        raise ValueError("A count is a finite number, 0 or more.")
    n = values.size
    total = float(values.sum())
    order = np.argsort(-values, kind="stable")
    descending = values[order]
    unit_share = np.arange(n + 1) / n
    if total > 0:
        incident_share = np.concatenate([[0.0], np.cumsum(descending) / total])
        incident_share[-1] = 1.0
        ascending = descending[::-1]
        gini_raw = float(2 * np.sum(np.arange(1, n + 1) * ascending) / (n * total) - (n + 1) / n)
        gini_raw = max(gini_raw, 0.0)  # round-off on equal counts
        gini = gini_raw * n / (n - 1) if n > 1 else float("nan")
        generalized = 1 - n / total * (1 - gini_raw) if total < n else gini_raw
    else:
        incident_share = np.full(n + 1, np.nan)
        gini = gini_raw = generalized = float("nan")
    notes = []
    mean = total / n
    if mean < _SPARSE_MEAN:
        notes.append(
            Note(
                "sparse_counts",
                f"There are {total:,.0f} incidents for {n:,} units ({mean:.2f} per unit): "
                "sparse counts inflate concentration, since even incidents spread at random "
                "leave most units empty. Compare with gini_generalized (Bernasco & "
                "Steenbeek 2017), use larger units or longer periods.",
                {"incidents": float(total), "units": n, "mean": float(mean)},
            )
        )
    return Concentration(
        units=n,
        incidents=total,
        counts=read_only(descending),
        unit_share=read_only(unit_share),
        incident_share=read_only(incident_share),
        gini=gini,
        gini_raw=gini_raw,
        gini_generalized=generalized,
        notes=tuple(notes),
    )


def _fraction(value: float, what: str) -> float:
    value = float(value)
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"A {what} is between 0 and 1, not {value}.")
    return value
