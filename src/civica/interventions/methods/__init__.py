"""Evaluation methods, one module each, registered by name (see :mod:`.base` for the shape).

Everything that shows or reports a result goes through these functions, which find the
design's own method: the design page, ``civica interventions evaluate``, the program summary
and the fact sheet. Background jobs call :func:`evaluate` the same way: a plain function of
the requesting user and the design, returning the method's result object.
"""

from __future__ import annotations

# The method modules register themselves when first used (base.MODULES): importing them here
# would load SciPy and pandas whenever Django starts.
from civica.interventions.methods.base import (
    EvaluationMethod,
    Figures,
    Notice,
    method_for,
    register,
    registered,
)

__all__ = [
    "EvaluationMethod",
    "Figures",
    "Notice",
    "check_design",
    "evaluate",
    "figures",
    "freeze",
    "headline",
    "method_for",
    "page_data",
    "register",
    "registered",
    "table",
]


def check_design(design, targets, comparison) -> list:
    """The design method's own rules, as ``(field, ValidationError)`` pairs (empty: none broken)."""
    return method_for(design).check_design(design, targets, comparison)


def freeze(user, design) -> dict:
    """What the design's result depends on, fixed when it is locked."""
    return method_for(design).freeze(user, design)


def evaluate(user, design, progress=None):
    """The result of a locked design by its own method; ``progress(done, total)`` hears of
    the method's long inner loop, if it has one (synthetic control: each placebo fit)."""
    return method_for(design).evaluate(user, design, progress=progress)


def headline(result, language: str | None = None) -> str:
    return method_for(result.design).headline(result, language)


def page_data(result) -> dict:
    return method_for(result.design).page_data(result)


def figures(result) -> Figures:
    return method_for(result.design).figures(result)


def table(result) -> tuple[list[dict], dict]:
    return method_for(result.design).table(result)
