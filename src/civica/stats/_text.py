"""Private helpers: crime labels compared without accents or stray spaces, numbers as text."""

from __future__ import annotations

import math
import unicodedata

from civica.stats.periods import Month


def normalise_label(label: object) -> str:
    """Case-, accent- and space-insensitive form of a crime label.

    SESNSP files carry trailing spaces and inconsistent accents in category names, so
    ``"Extorsión "`` and ``"extorsion"`` are the same crime.
    """
    text = unicodedata.normalize("NFKD", str(label))
    text = "".join(char for char in text if not unicodedata.combining(char))
    return " ".join(text.casefold().split())


def count_text(value: float) -> str:
    if value == int(value):
        return f"{int(value):,}"
    return f"{value:,.1f}"


def ratio_text(value: float) -> str:
    if math.isinf(value):
        return "∞"
    if value >= 10:
        return f"{value:,.0f}"
    if value >= 0.1:
        return f"{value:.1f}"
    return f"{value:.2f}"


def share_text(value: float) -> str:
    if 0 < value < 0.01:
        return f"{value:.1%}"
    return f"{value:.0%}"


def rate_text(value: float) -> str:
    return f"{value:,.1f}"


def level_text(level: float) -> str:
    return f"{level * 100:g}%"


def months_text(months: tuple[Month, ...], *, limit: int = 4) -> str:
    labels = [f"{year:04d}-{month:02d}" for year, month in months]
    if len(labels) > limit:
        return ", ".join(labels[:limit]) + f" and {len(labels) - limit} more"
    return ", ".join(labels)
