"""Problems a police team works on with SARA: scanning, analysis, response, assessment.

A problem belongs to its municipalities (one, or several alcaldías of one state, like an
intervention across places). What scanning found is kept as ``evidence`` when the problem is
accepted; analyses attached to it are frozen snapshots (:class:`ProblemAnalysis` refuses to
change); its responses are interventions of the registry with a situational technique,
partners, an owner and process milestones (planned against done).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from civica.problems.catalog import BY_CODE, CHEERS_KEYS, Priority, Stage, technique_choices


class Problem(models.Model):
    title = models.CharField(_("title"), max_length=200)
    municipality = models.ForeignKey(
        "territory.Municipality",
        on_delete=models.PROTECT,
        related_name="problems",
        verbose_name=_("municipality"),
    )
    more_municipalities = models.ManyToManyField(
        "territory.Municipality",
        blank=True,
        related_name="problems_also",
        verbose_name=_("other municipalities"),
    )
    stage = models.CharField(
        _("stage"), max_length=12, choices=Stage.choices, default=Stage.SCANNING
    )
    priority = models.CharField(
        _("priority"), max_length=8, choices=Priority.choices, default=Priority.MEDIUM
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="problems_owned",
        verbose_name=_("owner"),
    )
    crimes = models.JSONField(_("crimes"), default=list)
    sectors = models.ManyToManyField(
        "territory.Sector", blank=True, related_name="problems", verbose_name=_("sectors")
    )
    incident_layer = models.CharField(_("incident layer"), max_length=80, blank=True)
    source = models.CharField(
        _("found by"),
        max_length=40,
        blank=True,
        help_text=_("The scanning source that proposed it; empty when entered by hand."),
    )
    evidence = models.JSONField(
        _("evidence"),
        default=dict,
        blank=True,
        help_text=_("What scanning found, as it was when the problem was accepted."),
    )
    cheers = models.JSONField(_("CHEERS test"), default=dict, blank=True)
    cheers_notes = models.TextField(_("CHEERS notes"), blank=True)
    offender = models.TextField(_("offender"), blank=True)
    target = models.TextField(_("target or victim"), blank=True)
    place = models.TextField(_("place"), blank=True)
    handler = models.TextField(_("handler"), blank=True)
    guardian = models.TextField(_("guardian"), blank=True)
    manager = models.TextField(_("place manager"), blank=True)
    hypotheses = models.TextField(_("hypotheses"), blank=True)
    description = models.TextField(_("description"), blank=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accepted by"),
    )
    closed_note = models.TextField(_("what was done with the result"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["municipality__cvegeo", "-created_at"]
        verbose_name = _("problem")
        verbose_name_plural = _("problems")

    def __str__(self) -> str:
        return self.title

    def municipalities(self) -> list:
        others = sorted(
            (m for m in self.more_municipalities.all() if m.pk != self.municipality_id),
            key=lambda m: m.cvegeo,
        )
        return [self.municipality, *others]

    @property
    def municipality_ids(self) -> set[int]:
        return {m.pk for m in self.municipalities()}

    @property
    def places_label(self) -> str:
        from civica.interventions.models import names_list

        return names_list([m.name for m in self.municipalities()])

    @property
    def cheers_passed(self) -> bool:
        return all(self.cheers.get(key) for key in CHEERS_KEYS)

    def clean(self):
        if not isinstance(self.crimes, list) or any(
            not isinstance(c, str) or not c.strip() for c in self.crimes
        ):
            raise ValidationError(
                {"crimes": _("Crimes are names, one per item; remove the empty ones.")}
            )


class AnalysisKind(models.TextChoices):
    HOTSPOTS = "hotspots", _("Hot-spot map (Gi*)")
    NEAR_REPEAT = "near_repeat", _("Near-repeat table (Knox)")
    TEMPORAL = "temporal_profile", _("Temporal profile (hour × weekday, season)")


class FrozenError(ValidationError):
    """An attached analysis was about to change."""


class ProblemAnalysis(models.Model):
    """An analysis attached to a problem as it came out: its parameters and its result, never
    recomputed (the data may change; the analysis the team read does not)."""

    problem = models.ForeignKey(
        Problem, on_delete=models.CASCADE, related_name="analyses", verbose_name=_("problem")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=AnalysisKind.choices)
    parameters = models.JSONField(_("parameters"), default=dict)
    result = models.JSONField(_("result"), default=dict)
    summary = models.TextField(_("summary"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        ordering = ["problem", "created_at"]
        verbose_name = _("problem analysis")
        verbose_name_plural = _("problem analyses")

    def __str__(self) -> str:
        return f"{self.problem}: {self.get_kind_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None and type(self).objects.filter(pk=self.pk).exists():
            raise FrozenError(
                _("An attached analysis is a frozen snapshot; attach a new one instead."),
                code="frozen",
            )
        super().save(*args, **kwargs)


class ProblemResponse(models.Model):
    problem = models.ForeignKey(
        Problem, on_delete=models.CASCADE, related_name="responses", verbose_name=_("problem")
    )
    intervention = models.ForeignKey(
        "interventions.Intervention",
        on_delete=models.PROTECT,
        related_name="problem_responses",
        verbose_name=_("intervention"),
    )
    technique = models.CharField(
        _("situational technique"), max_length=32, choices=technique_choices()
    )
    partners = models.ManyToManyField(
        "organizations.Organization",
        blank=True,
        related_name="problem_responses",
        verbose_name=_("partners"),
    )
    owner = models.CharField(_("owner"), max_length=200)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["problem", "start_date", "pk"]
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        constraints = [
            models.UniqueConstraint(
                fields=["problem", "intervention"], name="problem_response_once_per_intervention"
            )
        ]

    def __str__(self) -> str:
        return f"{self.problem}: {self.intervention}"

    @property
    def technique_entry(self):
        return BY_CODE.get(self.technique)

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date is before the start date.")})


class Milestone(models.Model):
    """A step of the response's process: planned on a date, done (or not) on another."""

    response = models.ForeignKey(
        ProblemResponse,
        on_delete=models.CASCADE,
        related_name="milestones",
        verbose_name=_("response"),
    )
    name = models.CharField(_("milestone"), max_length=200)
    planned_date = models.DateField(_("planned"))
    done_date = models.DateField(_("done"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["response", "planned_date", "pk"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self) -> str:
        return self.name

    @property
    def on_time(self) -> bool | None:
        """Done by the planned date; ``None`` while not done."""
        if self.done_date is None:
            return None
        return self.done_date <= self.planned_date
