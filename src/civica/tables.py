"""How numbers are written in exported tables (CSV, JSON): one rule for every export."""

from __future__ import annotations

import math

__all__ = ["csv_value"]


def csv_value(value):
    """Empty for missing, an integer for whole numbers (counts), full precision otherwise."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value
