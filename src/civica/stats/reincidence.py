"""Reincidence after a civic-justice resolution: cohort shares and Kaplan–Meier curves.

The cohort is the persons with a resolution among the rows given (the caller chooses the
period); each person enters once, at the first of their resolutions (the *index*
resolution), with the group of that resolution (e.g. the sanction the judge chose) and
whether they were an adolescent then. The event is the person's next presentation (any
falta) strictly after the index resolution; persons are matched by the key the caller
passes (a keyed blind index, never a name).

Two readings, always with their denominators:

* :attr:`Reincidence.table` — the share with a new presentation within 6 and 12 calendar
  months of the resolution. Only persons whose whole window lies before the end of their
  observation count in that window's denominator; the others are reported as *still under
  observation* (and how many of them already came back), never as "not returned".
* :attr:`Reincidence.curves` — Kaplan–Meier curves of the time to a new presentation by
  group, with pointwise log–log ("exponential Greenwood") confidence bands and the numbers
  at risk; every person counts until their observation ends (right censoring).

Adolescents (12–17 at the index resolution) are kept apart and their new presentation is
called *nuevo contacto* (``measure == "new_contact"``): Mexican law forbids treating it as
reincidence, so their rows never enter the reincidence figures.

The groups are chosen by the judge for different persons, so a difference between curves
is a comparison of those groups, not an effect of the sanction (note
``reincidence_groups_not_an_effect``, on every result).

Example
-------
>>> import pandas as pd
>>> resolutions = pd.DataFrame({
...     "person": ["a", "b", "c"],
...     "date": pd.to_datetime(["2024-01-10", "2024-01-15", "2024-02-01"]),
...     "group": ["multa", "multa", "arresto"],
...     "adolescent": [False, False, False],
...     "observed_until": pd.to_datetime(["2025-06-30"] * 3),
... })
>>> presentations = pd.DataFrame({
...     "person": ["a", "a", "c"],
...     "date": pd.to_datetime(["2024-01-09", "2024-03-01", "2025-01-20"]),
... })
>>> result = reincidence(resolutions, presentations)
>>> row = result.row("multa", window_months=6)
>>> (row.events, row.observed, row.share)
(1, 2, 0.5)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.special import ndtri

from civica.stats._notes import Note, read_only

__all__ = [
    "ADOLESCENT",
    "ADULT",
    "ALL_GROUPS",
    "CohortRow",
    "Reincidence",
    "SurvivalCurve",
    "add_months",
    "reincidence",
]

ADULT = "adult"
ADOLESCENT = "adolescent"
ALL_GROUPS = "*"
"""The group name of the rows and curves that take every group together."""

_MEASURE = {ADULT: "reincidence", ADOLESCENT: "new_contact"}
_EPOCH = np.datetime64("1900-01-01", "D")
_SHIFT = 1 << 22  # days since 1900 fit in 22 bits until the year 13,000


@dataclass(frozen=True)
class CohortRow:
    """The share with a new presentation within a window, for one group and population.

    ``persons`` are the group's persons in the cohort; ``observed`` (the denominator) those
    whose whole window was observed; ``under_observation = persons - observed``, of whom
    ``returned_so_far`` already had a new presentation. ``events`` counts new presentations
    within the window among the observed; ``share = events / observed`` (``None`` without
    anyone observed) with its Wilson interval ``lower``–``upper``. ``measure`` is
    ``"reincidence"`` for adults and ``"new_contact"`` for adolescents."""

    group: str
    population: str
    measure: str
    window_months: int
    persons: int
    observed: int
    under_observation: int
    returned_so_far: int
    events: int
    share: float | None
    lower: float | None
    upper: float | None


@dataclass(frozen=True, eq=False)
class SurvivalCurve:
    """A Kaplan–Meier curve of the time (days) from the index resolution to a new
    presentation.

    ``days[0] == 0`` and ``survival[0] == 1``; then one step at each day with an event:
    ``survival`` is the share still without a new presentation, ``lower``/``upper`` its
    pointwise band, ``at_risk``/``events_at`` the persons at risk just before that day and
    the new presentations on it (as in statsmodels' ``SurvfuncRight`` and lifelines).
    ``risk_table`` holds ``(month, persons at risk)`` at whole months for the table under
    a chart."""

    group: str
    population: str
    measure: str
    persons: int
    events: int
    days: np.ndarray
    survival: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    at_risk: np.ndarray
    events_at: np.ndarray
    risk_table: tuple[tuple[int, int], ...]

    def survival_at(self, day: float) -> float:
        """S(day): the step value in force on that day."""
        return float(self.survival[np.searchsorted(self.days, day, side="right") - 1])

    def returned_by(self, day: float) -> float:
        """1 − S(day): the estimated share with a new presentation by that day."""
        return 1.0 - self.survival_at(day)


@dataclass(frozen=True, eq=False)
class Reincidence:
    """Cohort table and curves; ``persons`` and ``adolescents`` count the cohort,
    ``notes`` say how to read it (always ``reincidence_groups_not_an_effect``)."""

    table: tuple[CohortRow, ...]
    curves: tuple[SurvivalCurve, ...]
    persons: int
    adolescents: int
    windows: tuple[int, ...]
    confidence: float
    notes: tuple[Note, ...]

    def row(
        self, group: str = ALL_GROUPS, *, window_months: int, population: str = ADULT
    ) -> CohortRow:
        for row in self.table:
            if (row.group, row.window_months, row.population) == (
                group,
                window_months,
                population,
            ):
                return row
        raise KeyError((group, window_months, population))

    def curve(self, group: str = ALL_GROUPS, *, population: str = ADULT) -> SurvivalCurve:
        for curve in self.curves:
            if (curve.group, curve.population) == (group, population):
                return curve
        raise KeyError((group, population))


def add_months(days: np.ndarray, months: int) -> np.ndarray:
    """Dates (``datetime64[D]``) moved ``months`` calendar months on, the day clipped to the
    month's length (31 January + 1 month = 29 February in a leap year)."""
    days = np.asarray(days, dtype="datetime64[D]")
    month = days.astype("datetime64[M]")
    day_of_month = (days - month.astype("datetime64[D]")).astype(np.int64)
    target = month + np.timedelta64(months, "M")
    length = ((target + np.timedelta64(1, "M")).astype("datetime64[D]")) - target.astype(
        "datetime64[D]"
    )
    offset = np.minimum(day_of_month, length.astype(np.int64) - 1)
    return target.astype("datetime64[D]") + offset.astype("timedelta64[D]")


def _days(values, what: str) -> np.ndarray:
    array = pd.to_datetime(pd.Series(values), errors="coerce").to_numpy("datetime64[D]")
    if np.isnat(array).any():
        raise ValueError(f"Every {what} is a date; {int(np.isnat(array).sum())} are missing.")
    return array


def _columns(frame: pd.DataFrame, needed: Sequence[str], what: str) -> None:
    missing = [name for name in needed if name not in frame.columns]
    if missing:
        raise ValueError(f"The {what} need the columns {', '.join(missing)}.")


def _wilson(events: int, n: int, z: float) -> tuple[float | None, float | None]:
    if n == 0:
        return None, None
    p = events / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return float(max(0.0, centre - half)), float(min(1.0, centre + half))


def reincidence(
    resolutions: pd.DataFrame,
    presentations: pd.DataFrame,
    *,
    windows: Sequence[int] = (6, 12),
    confidence: float = 0.95,
    risk_months: Sequence[int] | None = None,
    curves: bool = True,
) -> Reincidence:
    """Reincidence (adults) and new contact (adolescents) after an index resolution.

    Parameters
    ----------
    resolutions : DataFrame
        One row per resolution with ``person`` (the linking key), ``date``, ``group``,
        ``adolescent`` (bool, at that resolution) and ``observed_until`` (the last day
        the records of the person's juzgado are complete; a date, the same for every row
        when the data have one end).
    presentations : DataFrame
        ``person`` and ``date`` of presentations (every one the records hold; only those
        strictly after a person's index resolution, up to ``observed_until``, are events).
    windows : months
        The windows of the cohort table (default 6 and 12).
    confidence : float
        Level of the Wilson intervals and the Kaplan–Meier bands.
    risk_months : months
        Where the number-at-risk table is read (default every 3 months up to the longest
        follow-up, at least the longest window).
    curves : bool
        ``False``: the cohort table only (``curves`` empty), for a figure that reads the
        shares and not the Kaplan–Meier curves.
    """
    _columns(
        resolutions, ("person", "date", "group", "adolescent", "observed_until"), "resolutions"
    )
    _columns(presentations, ("person", "date"), "presentations")
    if not 0 < confidence < 1:
        raise ValueError(f"A confidence level is between 0 and 1, not {confidence}.")
    windows = tuple(sorted({int(w) for w in windows}))
    if not windows or windows[0] <= 0:
        raise ValueError("Windows are whole months, 1 or more.")
    z = float(ndtri(0.5 + confidence / 2))  # the normal quantile (what norm.ppf computes)

    if resolutions["person"].isna().any() or presentations["person"].isna().any():
        raise ValueError("Every row needs the person's key.")
    r_day = _days(resolutions["date"], "resolution date")
    r_end = _days(resolutions["observed_until"], "end of observation")
    p_day = _days(presentations["date"], "presentation date")
    if (r_end < r_day).any():
        raise ValueError(
            f"{int((r_end < r_day).sum())} resolutions fall after the end of their observation."
        )

    # One integer code per person over both tables.
    codes, _uniques = pd.factorize(
        pd.concat([resolutions["person"], presentations["person"]], ignore_index=True)
    )
    r_code = codes[: len(resolutions)].astype(np.int64)
    p_code = codes[len(resolutions) :].astype(np.int64)

    # Index resolution: the first per person (ties: the first row given).
    order = np.lexsort((np.arange(len(r_code)), (r_day - _EPOCH).astype(np.int64), r_code))
    first = order[np.r_[True, r_code[order][1:] != r_code[order][:-1]]] if len(order) else order
    person = r_code[first]
    start = r_day[first]
    end = r_end[first]
    group_code, group_names = pd.factorize(resolutions["group"].astype(str).to_numpy()[first])
    adolescent = resolutions["adolescent"].astype(bool).to_numpy()[first]

    # The next presentation strictly after the index day: one sorted search over
    # person × day packed in one integer.
    packed = np.sort(p_code * _SHIFT + (p_day - _EPOCH).astype(np.int64))
    query = person * _SHIFT + (start - _EPOCH).astype(np.int64)
    at = np.searchsorted(packed, query, side="right")
    found = at < len(packed)
    nxt = np.where(found, packed[np.minimum(at, len(packed) - 1)], -1)
    found &= (nxt // _SHIFT) == person
    next_day = np.where(found, nxt % _SHIFT, np.iinfo(np.int64).max)
    start_n = (start - _EPOCH).astype(np.int64)
    end_n = (end - _EPOCH).astype(np.int64)
    returned = found & (next_day <= end_n)  # seen again while observed
    time = np.where(returned, next_day - start_n, end_n - start_n)

    populations = {ADULT: ~adolescent, ADOLESCENT: adolescent}
    groups = sorted(str(g) for g in group_names)
    code_of = {str(g): i for i, g in enumerate(group_names)}
    window_end = {w: (add_months(start, w) - _EPOCH).astype(np.int64) for w in windows}

    table: list[CohortRow] = []
    for population, in_population in populations.items():
        if not in_population.any():
            continue
        for name in [ALL_GROUPS, *groups]:
            mask = (
                in_population
                if name == ALL_GROUPS
                else in_population & (group_code == code_of[name])
            )
            persons = int(mask.sum())
            if persons == 0:
                continue
            for w in windows:
                complete = mask & (window_end[w] <= end_n)
                pending = mask & ~complete
                events = int((complete & returned & (next_day <= window_end[w])).sum())
                observed = int(complete.sum())
                lower, upper = _wilson(events, observed, z)
                table.append(
                    CohortRow(
                        group=name,
                        population=population,
                        measure=_MEASURE[population],
                        window_months=w,
                        persons=persons,
                        observed=observed,
                        under_observation=persons - observed,
                        returned_so_far=int((pending & returned).sum()),
                        events=events,
                        share=events / observed if observed else None,
                        lower=lower,
                        upper=upper,
                    )
                )

    longest = int(time.max()) if len(time) else 0
    if risk_months is None:
        top = max(windows[-1], int(np.ceil(longest / 30.4375)))
        risk_months = range(0, top + 1, 3)
    drawn: list[SurvivalCurve] = []
    for population, in_population in populations.items():
        if not curves or not in_population.any():
            continue
        for name in [ALL_GROUPS, *groups]:
            mask = (
                in_population
                if name == ALL_GROUPS
                else in_population & (group_code == code_of[name])
            )
            if mask.any():
                drawn.append(
                    _curve(
                        time[mask],
                        returned[mask],
                        name,
                        population,
                        z,
                        risk_months,
                    )
                )

    notes = [
        Note(
            "reincidence_groups_not_an_effect",
            "The groups are the sanctions the judge chose for different persons: a difference "
            "between them is a comparison of those groups, not an effect of the sanction.",
        )
    ]
    for w in windows:
        pending = sum(
            row.under_observation
            for row in table
            if row.group == ALL_GROUPS and row.window_months == w
        )
        if pending:
            notes.append(
                Note(
                    "reincidence_under_observation",
                    f"{pending} persons resolved less than {w} months before the end of their "
                    f"records are still under observation and are left out of the {w}-month "
                    "denominators.",
                    {"n": pending, "months": w},
                )
            )
    if adolescent.any():
        notes.append(
            Note(
                "reincidence_adolescents_new_contact",
                f"{int(adolescent.sum())} adolescents are counted apart: their new presentation "
                "is a new contact (a program outcome), never reincidence.",
                {"n": int(adolescent.sum())},
            )
        )
    return Reincidence(
        table=tuple(table),
        curves=tuple(drawn),
        persons=len(person),
        adolescents=int(adolescent.sum()),
        windows=windows,
        confidence=confidence,
        notes=tuple(notes),
    )


def _curve(time, event, group, population, z, risk_months) -> SurvivalCurve:
    """Product-limit estimate by statsmodels over the distinct (time, event) pairs with
    their frequencies; Greenwood's variance (statsmodels uses Tsiatis' with weights) and the
    log–log band computed here from its risk sets, as lifelines does."""
    time = time.astype(np.int64)
    tally = np.bincount(time * 2 + event.astype(np.int64), minlength=2 * (int(time.max()) + 1))
    kept = np.flatnonzero(tally)
    pairs, counts = np.stack([kept // 2, kept % 2]), tally[kept]
    persons = len(time)
    events = int(event.sum())
    if events:
        # Imported here: only the curves need statsmodels (~0.3 s to import), not the
        # cohort table of the dashboard (``curves=False``).
        from statsmodels.duration.survfunc import SurvfuncRight

        fit = SurvfuncRight(pairs[0], pairs[1], freq_weights=counts.astype(np.float64))
        day = fit.surv_times.astype(np.int64)
        s = np.asarray(fit.surv_prob, dtype=np.float64)
        n = np.asarray(fit.n_risk, dtype=np.float64)
        d = np.asarray(fit.n_events, dtype=np.float64)
        with np.errstate(divide="ignore", invalid="ignore"):
            greenwood = np.cumsum(np.where(n > d, d / (n * (n - d)), np.inf))
            log_s = np.log(s)
            spread = z * np.sqrt(greenwood) / np.abs(log_s)
            theta = np.log(-log_s)
            lower = np.exp(-np.exp(theta + spread))
            upper = np.exp(-np.exp(theta - spread))
        # S = 1 cannot happen after an event; S = 0 (everyone returned) has a zero band.
        lower = np.where(s <= 0, 0.0, np.nan_to_num(lower, nan=0.0))
        upper = np.where(s <= 0, 0.0, np.nan_to_num(upper, nan=1.0))
    else:
        day = s = n = d = lower = upper = np.zeros(0)
    days = np.r_[0, day].astype(np.int64)
    survival = np.r_[1.0, s]
    # Persons still at risk at day t: those whose time is t or more.
    still = np.cumsum(tally.reshape(-1, 2).sum(axis=1)[::-1])[::-1]
    risk_table = tuple(
        (int(m), int(still[int(np.ceil(m * 30.4375))]) if np.ceil(m * 30.4375) < len(still) else 0)
        for m in risk_months
    )
    return SurvivalCurve(
        group=group,
        population=population,
        measure=_MEASURE[population],
        persons=persons,
        events=events,
        days=read_only(days),
        survival=read_only(survival),
        lower=read_only(np.r_[1.0, lower]),
        upper=read_only(np.r_[1.0, upper]),
        at_risk=read_only(np.r_[persons, n].astype(np.int64)),
        events_at=read_only(np.r_[0, d].astype(np.int64)),
        risk_table=risk_table,
    )
