"""The one shape of an evaluation method, and the registry that finds a design's method by name.

Every method (before/after, panel, synthetic control, and the ones to come) is one module
that builds an :class:`EvaluationMethod` and passes it to :func:`register`. Pages, the CLI,
the program summary and the fact sheet never choose a method themselves: they call the
registry with the design, so a new method is one new module.

The entry points, all plain functions:

``check_design(design, targets, comparison)``
    The method's own design rules, run when the design is saved (before lock): a list of
    ``(field, ValidationError)`` naming what breaks which rule.
``freeze(user, design)``
    What the result depends on besides the design's fields, fixed when the design is locked
    (data snapshot, treated cohorts, donor pool): a JSON-able dict stored on the design.
``evaluate(user, design, progress=None)``
    The result object of a locked design (raises :class:`EvaluationError` with what to change).
    A method with a long inner loop (synthetic control's placebo fits) reports it through
    ``progress(done, total)`` (a background job's :func:`civica.jobs.progress.within`); the
    others answer within a second and ignore it.
``headline(result, language)``
    The one-sentence result in Spanish or English.
``page_data(result)``
    The context the design page shows.
``figures(result)``
    The machine-readable :class:`Figures`: estimate, bounds, p, df and standard error from one
    inference, used by the summary's p-values and Holm adjustment, JSON and the API.
``table(result)``
    The rows a CLI or export lists under the figures (areas and counts, event study, donor
    weights) and the method's own facts (data version, cohorts, warnings), as a dict.
"""

from __future__ import annotations

import importlib
import math
from collections.abc import Callable
from dataclasses import asdict, dataclass

from django.utils.translation import gettext as _

from civica.interventions.errors import EvaluationError

__all__ = [
    "EvaluationMethod",
    "Figures",
    "Notice",
    "method_for",
    "register",
    "registered",
    "require_locked",
]


@dataclass(frozen=True)
class Notice:
    """A warning shown with a result, translated when it is shown (not when it is made)."""

    code: str
    template: object  # a lazy translation
    params: tuple[tuple[str, object], ...] = ()

    def __str__(self) -> str:
        # A callable parameter is evaluated now, so labels inside it follow the shown language.
        return str(self.template) % {k: v() if callable(v) else v for k, v in self.params}


def _number(value: float | None) -> float | None:
    """A finite float, or None (JSON has no infinity: an unbounded side is ``None``)."""
    if value is None or not math.isfinite(value):
        return None
    return float(value)


@dataclass(frozen=True)
class Figures:
    """A result as numbers, all from the inference whose interval the page shows.

    ``estimate``, ``lower`` and ``upper`` are on the method's ratio scale (RIRR, IRR, observed
    over synthetic); ``percent_*`` are the same as percent changes. ``upper`` is infinite when
    the data cannot bound it (``as_dict`` writes ``None`` and ``upper_bounded: false``);
    ``lower``/``upper`` are ``None`` when the method gives no interval (synthetic control:
    its inference is the placebo rank). ``se`` is on the log scale; ``df`` is infinite for a
    normal reference and ``None`` when no *t* or normal reference applies. ``p_value`` is
    two-sided and is what the program summary adjusts (Holm). ``treated_*`` are the counts
    behind the percent (the page shows them beside it).
    """

    method: str
    measure: str  # "rirr" | "irr" | "observed_over_synthetic"
    inference: str  # "t_welch_satterthwaite" | "t_clusters" | "normal" | "placebo_in_space"
    scale: str  # "counts" | "rate_per_100k"
    estimate: float | None
    lower: float | None
    upper: float | None
    percent_change: float | None
    percent_lower: float | None
    percent_upper: float | None
    p_value: float | None
    df: float | None
    se: float | None
    level: float = 0.95
    treated_units: int | None = None  # sectors (or 1 municipality) under the intervention
    treated_before: float | None = None  # their events before the start
    treated_after: float | None = None  # and after it

    @property
    def significant(self) -> bool:
        """The shown interval excludes no change (equivalently p < 1 − level); the placebo
        p-value decides when there is no interval."""
        if self.lower is not None and self.upper is not None:
            return self.upper < 1 or self.lower > 1
        return self.p_value is not None and self.p_value < 1 - self.level

    def as_dict(self) -> dict:
        """Numbers for JSON: finite floats or ``None``; nothing as text."""
        data = asdict(self)
        for key in ("estimate", "lower", "upper", "percent_change", "percent_lower"):
            data[key] = _number(data[key])
        data["upper"] = _number(self.upper)
        data["percent_upper"] = _number(self.percent_upper)
        data["upper_bounded"] = self.upper is None or math.isfinite(self.upper)
        data["df"] = None if self.df is None or math.isinf(self.df) else float(self.df)
        data["se"] = _number(self.se)
        data["p_value"] = _number(self.p_value)
        data["significant"] = self.significant
        return data


@dataclass(frozen=True)
class EvaluationMethod:
    name: str  # a value of models.Method
    check_design: Callable
    freeze: Callable
    evaluate: Callable
    headline: Callable
    page_data: Callable
    figures: Callable
    table: Callable


_REGISTRY: dict[str, EvaluationMethod] = {}
# Where each method lives, imported on first use: the methods need SciPy and pandas, which
# Django's start (every page, every CLI call) should not pay for. A new method adds its line.
MODULES = {
    "before_after": "civica.interventions.methods.before_after",
    "panel": "civica.interventions.methods.panel",
    "synthetic_control": "civica.interventions.methods.synthetic_control",
}


def _load(name: str) -> None:
    if name not in _REGISTRY and name in MODULES:
        importlib.import_module(MODULES[name])


def register(method: EvaluationMethod) -> EvaluationMethod:
    if method.name in _REGISTRY and _REGISTRY[method.name] is not method:
        raise ValueError(f"An evaluation method named {method.name!r} is already registered.")
    _REGISTRY[method.name] = method
    return method


def registered() -> dict[str, EvaluationMethod]:
    for name in MODULES:
        _load(name)
    return dict(_REGISTRY)


def method_for(design_or_name) -> EvaluationMethod:
    """The registered method of a design (or of a method name), its module imported on the
    first call."""
    name = getattr(design_or_name, "method", design_or_name)
    _load(str(name))
    try:
        return _REGISTRY[str(name)]
    except KeyError:
        raise EvaluationError(
            _("No evaluation method named “%(name)s” is available.") % {"name": name}
        ) from None


def require_locked(design) -> None:
    if not design.is_locked:
        raise EvaluationError(
            _(
                "Lock the evaluation design before looking at results: the windows and "
                "comparison sectors must be fixed first."
            )
        )
