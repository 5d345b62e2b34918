"""Private helpers: the sentences that explain a priority crime's rank.

English for now: :mod:`civica.stats` knows nothing of Django's translation machinery, and the
figures behind every sentence are on :class:`~civica.stats.priority.PriorityCrime` for a page
that words them in Spanish.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from civica.stats._text import (
    count_text,
    level_text,
    months_text,
    rate_text,
    ratio_text,
    share_text,
)

if TYPE_CHECKING:
    from civica.stats.intervals import RateRatio
    from civica.stats.priority import PriorityMethod


def _severity_word(value: float) -> str:
    if value >= 0.75:
        return "high"
    if value >= 0.4:
        return "medium"
    return "low"


def _span(b: int) -> str:
    return f"{b // 12}-year" if b % 12 == 0 else f"{b}-month"


def _ratio_sentence(ratio: RateRatio, against: str, level: float) -> str:
    ci = f"{level_text(level)} CI {ratio_text(ratio.lower)}–{ratio_text(ratio.upper)}"
    if ratio.corrected:
        ci += ", with 0.5 added to both counts because one was zero"
    sentence = f"rate {ratio_text(ratio.ratio)}× {against} ({ci})"
    if ratio.lower <= 1 <= ratio.upper:
        sentence += ", no clear difference"
    return sentence


def reasons_for(item: dict, method: PriorityMethod, area_noun: str) -> tuple[str, ...]:
    """Short English sentences with the figures behind one crime's place in the ranking."""
    w, b = int(method.window_months), int(method.baseline_months)
    count = item["count"]
    noun = "crime" if count == 1 else "crimes"
    volume = f"{count_text(count)} {noun} in the last {w} months"
    if not math.isnan(item["rate"]):
        volume += f" ({rate_text(item['rate'])} per 100,000 a year)"
    if not math.isnan(item["share"]):
        volume += f", {share_text(item['share'])} of the {area_noun}'s total"
    reasons = [volume]

    severity = item["components"].severity
    weight = f"{severity:.1f}" if round(severity * 10) == severity * 10 else f"{severity:.2f}"
    reasons.append(f"{_severity_word(severity)} severity (weight {weight})")

    own = item["own_ratio"]
    baseline = f"its own {_span(b)} baseline"
    if not item["baseline_seen"].size:
        reasons.append(f"{baseline} is not reported; trend not scored")
    elif count == 0 and item["baseline_count"] == 0:
        reasons.append(f"no crimes in the last {w} months nor in {baseline}")
    elif math.isnan(own.ratio):
        reasons.append(f"no population for {baseline}; trend not scored")
    else:
        reasons.append(_ratio_sentence(own, baseline, method.level))

    versus = item["state_ratio"]
    if not item["state_seen"].size:
        reasons.append("no state figures for this crime in the window; comparison not scored")
    elif count == 0 and item["state_count"] == 0:
        reasons.append(f"no crimes in the state in the last {w} months either")
    elif math.isnan(versus.ratio):
        reasons.append("no state population; comparison not scored")
    else:
        reasons.append(_ratio_sentence(versus, "the state's", method.level))

    if item["window_missing"]:
        missing = item["window_missing"]
        reasons.append(
            f"incomplete: {months_text(missing)} not reported, so the figures cover "
            f"{w - len(missing)} of the last {w} months"
        )
    if item["baseline_missing"] and item["baseline_seen"].size:
        missing = item["baseline_missing"]
        reasons.append(
            f"baseline incomplete: {len(missing)} of its {b} months not reported "
            f"({months_text(missing)})"
        )
    return tuple(reasons)
