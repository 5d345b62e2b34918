"""Private: check a units × months panel for synthetic control and name what is wrong.

Every refusal says which units and months are at fault and what to change, because a
synthetic control fitted on a filled-in or negative series still prints weights and an
effect that look valid.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from civica.errors import DataQuestionError

MIN_PRE_MONTHS = 12
"""Fewest months before the start: fewer cannot tell a trend from a season (Abadie 2021 §4)."""

MIN_DONORS = 2
"""Fewest donors: with one the "synthetic" unit is that donor and nothing is estimated."""

_SHOWN = 5  # units or months listed by name in a message before "and N more"


class SyntheticControlError(DataQuestionError):
    """The panel cannot support a synthetic control; the message says why and what to change.

    ``units`` and ``months`` name the cells at fault (empty when the problem is not about
    particular cells), so a page can highlight them.
    """

    def __init__(self, message: str, *, units: tuple = (), months: tuple = ()) -> None:
        super().__init__(message)
        self.units = tuple(units)
        self.months = tuple(months)


@dataclass(frozen=True)
class Panel:
    """A checked panel: treated row first, then donors; columns are months in order."""

    values: np.ndarray  # (1 + donors) × months, float, finite, non-negative
    treated: Hashable
    donors: tuple
    months: tuple
    n_pre: int


def _listed(labels: Iterable) -> str:
    labels = list(labels)
    shown = ", ".join(str(label) for label in labels[:_SHOWN])
    more = len(labels) - _SHOWN
    return shown + (f" and {more} more" if more > 0 else "")


def as_frame(outcomes: object) -> pd.DataFrame:
    """The outcomes as a units × months frame (a 2-D array gets labels 0…n−1)."""
    if isinstance(outcomes, pd.DataFrame):
        frame = outcomes
    else:
        array = np.asarray(outcomes)
        if array.ndim != 2:
            raise SyntheticControlError(
                f"Outcomes must be a table of units (rows) by months (columns); got an "
                f"array with {array.ndim} dimension(s)."
            )
        frame = pd.DataFrame(array)
    if frame.index.has_duplicates:
        twice = frame.index[frame.index.duplicated()].unique()
        raise SyntheticControlError(
            f"Units appear more than once: {_listed(twice)}. Give one row per unit "
            f"(sum or choose the rows before fitting).",
            units=tuple(twice),
        )
    if frame.columns.has_duplicates:
        twice = frame.columns[frame.columns.duplicated()].unique()
        raise SyntheticControlError(
            f"Months appear more than once: {_listed(twice)}. Give one column per month.",
            months=tuple(twice),
        )
    _check_month_order(frame.columns)
    try:
        frame = frame.astype(float)
    except (TypeError, ValueError) as error:
        raise SyntheticControlError(
            f"Outcomes must be numbers (counts or rates): {error}."
        ) from None
    return frame


def _check_month_order(columns: pd.Index) -> None:
    if columns.inferred_type == "string":
        # "2024-01"-style text sorts like the months it names; other text ("Enero 2024")
        # cannot be checked, and its given order is taken as the order.
        try:
            columns = pd.PeriodIndex(columns, freq="M")
        except (ValueError, TypeError):
            return
    try:
        ordered = columns.is_monotonic_increasing
    except TypeError:
        return  # labels that cannot be compared: their given order is the order
    if not ordered and columns.inferred_type in {"period", "datetime64", "date", "integer"}:
        raise SyntheticControlError(
            "Months must be in chronological order from left to right; sort the columns "
            "(outcomes.sort_index(axis=1)) before fitting."
        )


def prepare(
    outcomes: object,
    treated: Hashable,
    start: Hashable,
    donors: Iterable | None,
    *,
    min_pre_months: int = MIN_PRE_MONTHS,
) -> Panel:
    """Check the panel and put the treated unit's row first; raise what is wrong."""
    frame = as_frame(outcomes)
    if treated not in frame.index:
        raise SyntheticControlError(
            f"The treated unit {treated!r} is not a row of the outcomes.", units=(treated,)
        )
    if start not in frame.columns:
        raise SyntheticControlError(
            f"The start month {start!r} is not a column of the outcomes; give the label of "
            f"the first month with the intervention in place.",
            months=(start,),
        )
    donors = _donor_labels(frame, treated, donors)
    n_pre = int(frame.columns.get_loc(start))
    n_post = len(frame.columns) - n_pre
    if n_pre < min_pre_months:
        raise SyntheticControlError(
            f"Only {n_pre} month(s) before the start {start!r}; a synthetic control needs "
            f"at least {min_pre_months} to match trend and season. Add earlier months or "
            f"use a before/after comparison instead.",
            months=(start,),
        )
    if n_post < 1:
        raise SyntheticControlError("There is no month from the start on to measure an effect.")
    if len(donors) < MIN_DONORS:
        raise SyntheticControlError(
            f"Only {len(donors)} donor unit(s); a synthetic control needs at least "
            f"{MIN_DONORS} (and about 20 for a placebo p-value below 0.05). Add comparable "
            f"municipalities to the donor pool.",
            units=donors,
        )
    block = frame.loc[[treated, *donors]]
    _check_cells(block)
    values = block.to_numpy(dtype=float, copy=True)
    pre = values[0, :n_pre]
    if np.ptp(pre) == 0.0:
        raise SyntheticControlError(
            f"The treated unit {treated!r} has the same value ({pre[0]:g}) in every month "
            f"before the start, so there is no path to match and no pre-period error to "
            f"compare the effect with. Choose a crime or a longer period where it varies.",
            units=(treated,),
        )
    values.flags.writeable = False
    return Panel(values, treated, tuple(donors), tuple(frame.columns), n_pre)


def _donor_labels(frame: pd.DataFrame, treated: Hashable, donors: Iterable | None) -> tuple:
    if donors is None:
        return tuple(label for label in frame.index if label != treated)
    donors = tuple(donors)
    if treated in donors:
        raise SyntheticControlError(
            f"The treated unit {treated!r} is also in the donor pool; remove it from the "
            f"donors (a unit cannot be its own control).",
            units=(treated,),
        )
    if len(set(donors)) != len(donors):
        twice = pd.Index(donors)[pd.Index(donors).duplicated()].unique()
        raise SyntheticControlError(
            f"Donors listed more than once: {_listed(twice)}.", units=tuple(twice)
        )
    unknown = [label for label in donors if label not in frame.index]
    if unknown:
        raise SyntheticControlError(
            f"Donors not among the rows of the outcomes: {_listed(unknown)}.",
            units=tuple(unknown),
        )
    return donors


def _check_cells(block: pd.DataFrame) -> None:
    values = block.to_numpy(dtype=float)
    missing = np.isnan(values)
    if missing.any():
        rows = missing.any(axis=1)
        units = tuple(block.index[rows])
        months = tuple(block.columns[missing.any(axis=0)])
        everywhere = block.columns[missing.all(axis=0)]
        if len(everywhere):
            detail = (
                f"No unit has a value for {_listed(everywhere)} (not published yet?): end the "
                f"window before it."
            )
        else:
            listed = [
                f"{label}: {_listed(block.columns[row])}"
                for label, row in zip(units[:_SHOWN], missing[rows][:_SHOWN], strict=False)
            ]
            more = len(units) - _SHOWN
            detail = (
                f"Months without a value (not reported) in {len(units)} unit(s) — "
                + "; ".join(listed)
                + (f"; and {more} more unit(s)" if more > 0 else "")
                + ". Drop these units from the donor pool, or choose months that all units "
                "reported."
            )
        raise SyntheticControlError(
            f"{detail} A synthetic control needs every month of every unit. Do not fill "
            f"them with zeros: an unreported month is not a month without crime.",
            units=units,
            months=months,
        )
    if np.isinf(values).any():
        bad = np.isinf(values)
        units = tuple(block.index[bad.any(axis=1)])
        raise SyntheticControlError(
            f"Infinite values in {_listed(units)}; a rate divided by a zero population? "
            f"Fix the population or use counts.",
            units=units,
            months=tuple(block.columns[bad.any(axis=0)]),
        )
    negative = values < 0
    if negative.any():
        units = tuple(block.index[negative.any(axis=1)])
        months = tuple(block.columns[negative.any(axis=0)])
        raise SyntheticControlError(
            f"Negative values in {_listed(units)} (months {_listed(months)}); crime counts "
            f"and rates cannot be negative. Correct the source rows (a revision entered as "
            f"a difference?) before fitting.",
            units=units,
            months=months,
        )
