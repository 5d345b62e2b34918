"""How numbers are written in exported tables (CSV, JSON) and p-values everywhere: one rule each."""

from __future__ import annotations

import math

__all__ = ["csv_value", "p_value_text"]


def csv_value(value):
    """Empty for missing, an integer for whole numbers (counts), full precision otherwise."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def p_value_text(p: float | None) -> str:
    """A p-value as read: three decimals, and "<0.001" rather than a "0.000" that looks like
    certainty."""
    if p is None or (isinstance(p, float) and math.isnan(p)):
        return "—"
    return "<0.001" if p < 0.001 else f"{p:.3f}"
