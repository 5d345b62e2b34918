"""The tamizaje scored with the juzgado's instrument (participants' versioned instruments).

The instrument's own scoring (``participants.models.Instrument.score``) gives the scores per
scale, the scales at or above their thresholds and eligibility; the risk level follows from
them, so two psychologists with the same answers record the same level:

* **high**: as many scales at or above threshold as the instrument asks for eligibility;
* **medium**: at least one scale at or above, fewer than that;
* **low**: none.

The answers themselves are not kept on the case (they describe the person in detail); the
scores are, with the instrument version that produced them.
"""

from __future__ import annotations

from civica.justice.choices import RiskLevel

__all__ = ["risk_level", "scored"]


def risk_level(scoring) -> str:
    if scoring.eligible:
        return RiskLevel.HIGH
    return RiskLevel.MEDIUM if scoring.at_or_above else RiskLevel.LOW


def scored(instrument, answers: dict) -> dict:
    """The screening stage's changes for ``answers`` (item → value): the instrument, its
    scores and the risk level. Raises ``ValidationError`` naming missing or wrong items."""
    scoring = instrument.score(answers)
    return {
        "instrument": instrument,
        "screening_scores": {
            "scores": scoring.scores,
            "at_or_above": scoring.at_or_above,
            "eligible": scoring.eligible,
        },
        "risk_level": risk_level(scoring),
    }
