"""Private helpers of the panel estimators: a long frame checked and turned into matrices.

Both :mod:`~civica.stats.panel` and :mod:`~civica.stats.staggered` need a balanced panel of
whole counts (every unit observed in every period); a hole is never filled with zero,
because a missing month and a month with no crime are different facts.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from civica.errors import DataQuestionError
from civica.stats._notes import Note
from civica.stats.evaluation import SMALL_COUNT

SHOWN = 5
"""How many offending units or periods an error names before saying "and N more"."""

FEW_CLUSTERS = 30
"""Below this many units (clusters), cluster-robust standard errors are themselves noisy."""


class PanelDataError(DataQuestionError):
    """The panel cannot be estimated as given; the message says what is wrong and what to do."""


def listed(values: object) -> str:
    """A short readable list of labels: the first few, then how many more."""
    items = [str(v) for v in values]
    head = ", ".join(items[:SHOWN])
    return head if len(items) <= SHOWN else f"{head} and {len(items) - SHOWN} more"


@dataclass(frozen=True)
class Panel:
    """A balanced panel: unit and period labels (periods sorted) and (units × periods) arrays."""

    units: np.ndarray
    periods: np.ndarray
    values: dict[str, np.ndarray]


def _months_missing(periods: pd.Index) -> list[str]:
    """Calendar months absent between the first and last period, when periods are dates."""
    if isinstance(periods.dtype, pd.PeriodDtype):
        months = periods.asfreq("M")
    elif pd.api.types.is_datetime64_any_dtype(periods.dtype):
        months = pd.PeriodIndex(periods, freq="M")
    else:
        return []
    full = pd.period_range(months.min(), months.max(), freq="M")
    return [str(m) for m in full.difference(months)]


def balanced_panel(
    frame: pd.DataFrame,
    *,
    unit: str,
    period: str,
    counts: tuple[str, ...],
    others: tuple[str, ...] = (),
) -> Panel:
    """Check a long frame and pivot it to (units × periods) arrays.

    ``counts`` columns must hold non-negative whole numbers; ``others`` columns any known
    number. Raises :class:`PanelDataError` for absent columns, missing or duplicated cells,
    gaps in a monthly calendar, NaN values, and negative or fractional counts.
    """
    if not isinstance(frame, pd.DataFrame):
        raise PanelDataError(
            "The panel is a pandas DataFrame in long form (one row per unit and period)."
        )
    wanted = (unit, period, *counts, *others)
    absent = [c for c in wanted if c not in frame.columns]
    if absent:
        raise PanelDataError(
            f"The panel has no column {listed(absent)}; its columns are {listed(frame.columns)}. "
            "Name the columns with the unit, period, count and treatment arguments."
        )
    if frame.empty:
        raise PanelDataError("The panel has no rows.")
    for key in (unit, period):
        if frame[key].isna().any():
            raise PanelDataError(
                f"{int(frame[key].isna().sum())} rows have no {key}; every row needs one."
            )
    duplicated = frame.duplicated([unit, period], keep=False)
    if duplicated.any():
        pairs = frame.loc[duplicated, [unit, period]].drop_duplicates()
        raise PanelDataError(
            f"{len(pairs)} unit-period pairs appear more than once (e.g. "
            f"{listed(f'{u} {p}' for u, p in pairs.itertuples(index=False))}); sum them into one "
            "row each before estimating."
        )
    units = pd.Index(pd.unique(frame[unit])).sort_values()
    periods = pd.Index(pd.unique(frame[period])).sort_values()
    gap = _months_missing(periods)
    if gap:
        raise PanelDataError(
            f"The months {listed(gap)} are missing from every unit. Add them with their counts "
            "(0 where no crime was recorded), or cut the panel where the data is complete; a "
            "missing month is never taken as zero."
        )
    present = frame.groupby(unit, sort=True)[period].nunique()
    short = present[present < len(periods)]
    if len(short):
        wide = frame.pivot(index=unit, columns=period, values=counts[0] if counts else others[0])
        wide = wide.reindex(index=units, columns=periods)
        first = short.index[0]
        holes = wide.columns[wide.loc[first].isna()]
        raise PanelDataError(
            f"{len(short)} units lack some periods (e.g. {first} has no row for {listed(holes)}); "
            f"units: {listed(short.index)}. Every unit needs every period: add the missing rows "
            "with their counts (0 where no crime was recorded) or drop those units. A missing "
            "month is never taken as zero."
        )
    values = {}
    for column in (*counts, *others):
        numbers = pd.to_numeric(frame[column], errors="coerce")
        bad = numbers.isna()
        if bad.any():
            rows = frame.loc[bad, [unit, period]].head(SHOWN)
            raise PanelDataError(
                f"{int(bad.sum())} rows have no number in {column} (e.g. "
                f"{listed(f'{u} {p}' for u, p in rows.itertuples(index=False))}). A missing value "
                "is not zero: fill in the real count or drop the unit."
            )
        if column in counts and (
            (numbers < 0).any() or (numbers != np.floor(numbers)).any() or np.isinf(numbers).any()
        ):
            raise PanelDataError(f"{column} holds counts: non-negative whole numbers only.")
        wide = (
            pd.DataFrame({"u": frame[unit].to_numpy(), "p": frame[period].to_numpy(), "v": numbers})
            .pivot(index="u", columns="p", values="v")
            .reindex(index=units, columns=periods)
        )
        values[column] = wide.to_numpy(dtype=float)
    return Panel(units.to_numpy(), periods.to_numpy(), values)


def design_notes(clusters, baseline, staggered, selected, dropped=()) -> tuple[Note, ...]:
    """The remarks every panel design shares: few units, small baseline, staggering, RTM."""
    notes = []
    if clusters < FEW_CLUSTERS:
        notes.append(
            Note(
                "few_clusters",
                f"Only {clusters} units: cluster-robust intervals are approximate with fewer than "
                f"{FEW_CLUSTERS}; read them as rough and prefer more comparison units.",
            )
        )
    if baseline < SMALL_COUNT:
        notes.append(
            Note(
                "small_counts",
                f"The treated units had {baseline} events before the start (fewer than "
                f"{SMALL_COUNT}): a percent change this small base swings widely by chance.",
            )
        )
    if staggered:
        notes.append(
            Note(
                "staggered",
                "Units start at different periods: with effects that change over time the two-way "
                "estimate mixes comparisons; check it with the staggered (Callaway–Sant'Anna) one.",
            )
        )
    if selected:
        notes.append(
            Note(
                "regression_to_mean",
                "The treated units were chosen for being high in the baseline months; part of the "
                "fall would have happened anyway (regression to the mean). Choose units on data "
                "before the baseline or compare with equally high untreated units.",
            )
        )
    if dropped:
        notes.append(
            Note(
                "dropped_units",
                f"{len(dropped)} units had no events at all and add no information: "
                f"{listed(dropped)}.",
            )
        )
    return tuple(notes)
