"""Screening instruments held as versioned data, and the screenings that apply them.

Instruments such as GRYD's YSET are licensed content (DOMAIN.md §6): nothing about their
items or thresholds is in the code. An instrument version is a JSON definition::

    {"scales": [{"code": "AT", "label": "Antisocial tendencies", "items": ["at1", "at2"],
                 "item_labels": {"at1": "…", "at2": "…"},
                 "scoring": "sum", "threshold": 5}, ...],
     "eligibility": {"min_scales": 4},
     "answers": {"min": 0, "max": 4}}

A scale's score is the sum (or mean) of its items' answers; a scale is "at or above" when its
score ≥ threshold; the person is eligible when at least ``min_scales`` scales are. Once a
screening uses a version, the version is frozen: a change is a new version.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from civica.core.crypto import EncryptedTextField
from civica.participants.models.people import Person

RETEST_MONTHS = 6


@dataclass(frozen=True)
class Scoring:
    scores: dict[str, float]
    at_or_above: list[str]
    eligible: bool


def check_definition(definition: dict) -> list[str]:
    """Problems of an instrument definition, as readable lines (empty when it is sound)."""
    from django.utils.translation import gettext

    problems = []
    scales = definition.get("scales") if isinstance(definition, dict) else None
    if not scales:
        return [gettext("The instrument has no scales.")]
    seen_items: set[str] = set()
    codes = set()
    for position, scale in enumerate(scales, start=1):
        code = scale.get("code")
        name = code or position
        if not code:
            problems.append(gettext("Scale %(n)s has no code.") % {"n": position})
        elif code in codes:
            problems.append(gettext("Scale code %(code)s is repeated.") % {"code": code})
        codes.add(code)
        if not scale.get("items"):
            problems.append(gettext("Scale %(scale)s has no items.") % {"scale": name})
        for item in scale.get("items", []):
            if item in seen_items:
                problems.append(
                    gettext("Item %(item)s is in more than one scale.") % {"item": item}
                )
            seen_items.add(item)
        if scale.get("scoring", "sum") not in {"sum", "mean"}:
            problems.append(
                gettext("Scale %(scale)s: scoring must be sum or mean.") % {"scale": name}
            )
        if not isinstance(scale.get("threshold"), int | float):
            problems.append(gettext("Scale %(scale)s has no numeric threshold.") % {"scale": name})
    min_scales = (definition.get("eligibility") or {}).get("min_scales")
    if not isinstance(min_scales, int) or not 1 <= min_scales <= len(scales):
        problems.append(
            gettext("Eligibility needs min_scales between 1 and %(n)s.") % {"n": len(scales)}
        )
    return problems


class Instrument(models.Model):
    code = models.SlugField(_("code"), max_length=40)
    version = models.PositiveIntegerField(_("version"))
    name = models.CharField(_("name"), max_length=200)
    definition = models.JSONField(_("definition"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code", "-version"]
        verbose_name = _("screening instrument")
        verbose_name_plural = _("screening instruments")
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="participants_instrument_v")
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"

    def clean(self) -> None:
        problems = check_definition(self.definition)
        if problems:
            raise ValidationError({"definition": [ValidationError(p) for p in problems]})
        if self.pk and Screening.objects.filter(instrument_id=self.pk).exists():
            stored = Instrument.objects.get(pk=self.pk)
            if stored.definition != self.definition:
                raise ValidationError(
                    _("Screenings already use this version: save the change as a new version."),
                    code="instrument_in_use",
                )

    @property
    def scales(self) -> list[dict]:
        return self.definition["scales"]

    @property
    def items(self) -> list[str]:
        return [item for scale in self.scales for item in scale["items"]]

    def score(self, answers: dict[str, float]) -> Scoring:
        """Scores per scale, the scales at or above threshold, and eligibility.

        Raises ``ValidationError`` naming the missing items or out-of-range answers.
        """
        bounds = self.definition.get("answers") or {}
        low, high = bounds.get("min"), bounds.get("max")
        missing = [item for item in self.items if answers.get(item) in (None, "")]
        if missing:
            raise ValidationError(
                _("Answer every item; missing: %(items)s."),
                code="items_missing",
                params={"items": ", ".join(missing)},
            )
        values = {}
        for item in self.items:
            try:
                value = float(answers[item])
            except (TypeError, ValueError):
                raise ValidationError(
                    _("Item %(item)s: the answer must be a number."),
                    code="item_not_number",
                    params={"item": item},
                ) from None
            if (low is not None and value < low) or (high is not None and value > high):
                raise ValidationError(
                    _("Item %(item)s: the answer must be between %(low)s and %(high)s."),
                    code="item_out_of_range",
                    params={"item": item, "low": low, "high": high},
                )
            values[item] = value
        scores = {}
        for scale in self.scales:
            total = sum(values[item] for item in scale["items"])
            if scale.get("scoring", "sum") == "mean":
                total /= len(scale["items"])
            scores[scale["code"]] = round(total, 4)
        above = [s["code"] for s in self.scales if scores[s["code"]] >= s["threshold"]]
        eligible = len(above) >= self.definition["eligibility"]["min_scales"]
        return Scoring(scores=scores, at_or_above=above, eligible=eligible)


class Screening(models.Model):
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="screenings")
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+"
    )
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="screenings")
    date = models.DateField(_("date"))
    answers = EncryptedTextField(_("answers"))
    scores = models.JSONField(_("scores per scale"))
    at_or_above = models.JSONField(_("scales at or above threshold"))
    eligible = models.BooleanField(_("eligible"))
    retest_of = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="retests"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("screening")
        verbose_name_plural = _("screenings")

    def __str__(self) -> str:
        return f"{self.person.pid} {self.instrument} {self.date}"

    def changes(self) -> list[dict]:
        """Per scale: the earlier score, this score and the change (for a retest)."""
        if self.retest_of is None:
            return []
        before = self.retest_of.scores
        return [
            {
                "scale": code,
                "before": before.get(code),
                "after": score,
                "change": None if before.get(code) is None else round(score - before[code], 4),
            }
            for code, score in self.scores.items()
        ]


def earliest_retest(previous: dt.date) -> dt.date:
    return previous + relativedelta(months=RETEST_MONTHS)
