"""Targets against actuals: the status rule and disclosure control. Pure functions.

Status (docs/monitoring.md):

* no actual value → ``not_available``; no target → ``no_target``;
* "increase is better": actual ≥ target → ``met``; while the period runs, actual ≥ target ×
  share of the period elapsed → ``on_track`` (targets accrue evenly over the period);
  otherwise ``behind``;
* "decrease is better": the target is a ceiling. After the period, actual ≤ target →
  ``met``; while it runs, actual ≤ target → ``on_track``; above it → ``behind``.
"""

from __future__ import annotations

import string
from enum import StrEnum

from django.utils.translation import gettext as _

from civica.tables import number_text

__all__ = ["Status", "check_statement", "fill_statement", "format_number", "status_of", "suppress"]


class Status(StrEnum):
    MET = "met"
    ON_TRACK = "on_track"
    BEHIND = "behind"
    NO_TARGET = "no_target"
    NOT_AVAILABLE = "not_available"


def status_of(*, actual, target, direction: str, elapsed: float) -> Status:
    """Status of ``actual`` against ``target`` with ``elapsed`` (0–1) of the period past."""
    if actual is None:
        return Status.NOT_AVAILABLE
    if target is None:
        return Status.NO_TARGET
    if direction == "decrease":
        if actual > target:
            return Status.BEHIND
        return Status.MET if elapsed >= 1 else Status.ON_TRACK
    if actual >= target:
        return Status.MET
    if elapsed < 1 and actual >= target * elapsed:
        return Status.ON_TRACK
    return Status.BEHIND


def suppress(values: list[float | None], threshold: int) -> list[bool]:
    """Which counts to hide: primary suppression of every count from 1 to ``threshold``−1,
    then secondary suppression of the smallest other non-zero count when only one of the
    group is hidden, so it cannot be recovered from the total by subtraction.
    (Zero counts are shown: they disclose nobody.)"""
    hidden = [v is not None and 0 < v < threshold for v in values]
    if sum(hidden) == 1:
        candidates = [
            (v, i) for i, v in enumerate(values) if not hidden[i] and v is not None and v > 0
        ]
        if candidates:
            hidden[min(candidates)[1]] = True
    return hidden


def format_number(value: float | None, language: str, *, decimals: int | None = None) -> str:
    """The figure in the language's one number format (:func:`civica.tables.number_text`)."""
    return number_text(value, language, decimals=decimals)


class _Statement(string.Formatter):
    """``{cities}`` is a number in the language's format; ``{cities|ciudad|ciudades}`` the
    singular form when that number is exactly 1, else the plural (the rule Spanish and
    English share: 0 and 1.5 take the plural)."""

    def __init__(self, language: str):
        super().__init__()
        self.language = language

    def get_value(self, key, args, kwargs):
        if isinstance(key, str) and "|" in key:
            name, one, many = _plural_field(key)
            return one if kwargs[name] == 1 else many
        value = kwargs[key]
        return value if isinstance(value, str) else format_number(value, self.language)


def _plural_field(key: str) -> tuple[str, str, str]:
    pieces = key.split("|")
    if len(pieces) != 3 or not pieces[0]:
        raise ValueError(
            _("“{%(field)s}” should name a number and two forms, e.g. {cities|city|cities}.")
            % {"field": key}
        )
    return pieces[0], pieces[1], pieces[2]


# A statement may hold alternatives, the first whose values are all there is used: e.g. "a
# reduction of 6–69%" when every city's crime fell, else "changes of −69% to +22%".
ALTERNATIVES = " || "


def fill_statement(template: str, values: dict, language: str) -> str:
    """A fact-sheet sentence from the catalogue: numbers formatted for ``language``, text
    values (a period, a range "6–69") as they are, and plural choices resolved.
    Alternatives separated by `` || `` are tried in order; a name the values of every one
    lack raises ``KeyError``."""
    *first, last = template.split(ALTERNATIVES)
    for alternative in first:
        try:
            return _Statement(language).vformat(alternative, (), values)
        except KeyError:
            continue
    return _Statement(language).vformat(last, (), values)


def check_statement(template: str) -> None:
    """Raise ``ValueError`` saying what is wrong when ``template`` cannot be a statement
    (unbalanced braces, a plural choice without two forms, a field with ``.``/``[`` in it)."""
    try:
        fields = [
            f
            for alternative in template.split(ALTERNATIVES)
            for _text, f, _spec, _conv in string.Formatter().parse(alternative)
            if f
        ]
    except ValueError as error:
        raise ValueError(
            _("%(error)s; write a literal brace twice: {{ or }}.") % {"error": error}
        ) from None
    for field in fields:
        if "|" in field:
            _plural_field(field)
        if not field.split("|")[0].isidentifier() or any(c in field for c in ".[]"):
            raise ValueError(
                _(
                    "“{%(field)s}” is not a value name; use e.g. {value}, {period}, {cities} "
                    "or {cities|city|cities}."
                )
                % {"field": field}
            )
