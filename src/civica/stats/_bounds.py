"""Private helper of the estimators: interval bounds on the log scale taken back honestly.

A log-scale interval with a huge standard error (one treated cluster under a jackknife, a
*t* with one degree of freedom) has an upper bound beyond any float: ``math.exp`` would raise
``OverflowError``. The honest answer is "no upper bound", carried as infinity, which every
page words as such ("sin límite superior" / "no upper bound").
"""

from __future__ import annotations

import math

__all__ = ["exp_bound"]

_LARGEST_LOG = math.log(1.7976931348623157e308)


def exp_bound(value: float) -> float:
    """``exp(value)``; infinity when that is beyond the largest float (no upper bound)."""
    return math.inf if value > _LARGEST_LOG else math.exp(value)
