"""Private helpers: numeric inputs as broadcast float arrays, outputs as read-only arrays."""

from __future__ import annotations

import sys

import numpy as np


def as_float_arrays(*values: object) -> tuple[list[np.ndarray], bool]:
    """Broadcast the inputs to float arrays; the flag says whether all of them were scalars.

    ``None`` and ``pandas.NA`` become NaN, so a missing value in a list, an object array or a
    nullable pandas column is missing, not an error.
    """
    arrays = []
    for value in values:
        array = np.asarray(value, dtype=object if _has_none(value) else None)
        if array.dtype == object:
            na = getattr(sys.modules.get("pandas"), "NA", None)  # no pandas, no pandas.NA
            flat = [np.nan if v is None or v is na else v for v in array.ravel()]
            array = np.array(flat, dtype=float).reshape(array.shape)
        arrays.append(np.asarray(array, dtype=float))
    scalar = all(array.ndim == 0 for array in arrays)
    return list(np.broadcast_arrays(*arrays)), scalar


def _has_none(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, list | tuple):
        return any(v is None for v in value)
    return False


def finish(array: np.ndarray, scalar: bool) -> float | np.ndarray:
    """A Python float for scalar input, otherwise a read-only copy of the array."""
    if scalar:
        return float(array)
    out = np.array(array, dtype=float, copy=True)
    out.flags.writeable = False
    return out


def check_counts(counts: np.ndarray, *, what: str = "count") -> None:
    """Counts are non-negative whole numbers; NaN (missing) is allowed."""
    known = counts[~np.isnan(counts)]
    if (known < 0).any():
        raise ValueError(f"A {what} cannot be negative.")
    if np.isinf(known).any() or (known != np.floor(known)).any():
        raise ValueError(f"A {what} is a whole number of events.")


def check_level(level: float) -> float:
    level = float(level)
    if not 0.0 < level < 1.0:
        raise ValueError(f"A confidence level is between 0 and 1, not {level}.")
    return level
