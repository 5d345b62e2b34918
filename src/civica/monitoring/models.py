"""Program records (activities and the municipalities they cover) and the indicator
catalogue with its targets.

Indicators are data: the catalogue names a computation (``civica.indicators``)
and its parameters, so no indicator code appears in the program logic.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class ProgramGoal(models.TextChoices):
    COMMUNITY_PREVENTION = "community_prevention", _("Community violence prevention")
    HIGH_RISK_YOUTH = "high_risk_youth", _("High-risk youth")
    LOCAL_INSTITUTIONS = "local_institutions", _("Local institutions and civic justice")


class Component(models.TextChoices):
    CIVIC_JUSTICE = "civic_justice", _("Civic justice")
    PROBLEM_ORIENTED_POLICING = "problem_oriented_policing", _("Problem-oriented policing")
    POLICE_WORKING_CONDITIONS = "police_working_conditions", _("Police working conditions")
    YOUTH_REINSERTION = "youth_reinsertion", _("Youth reinsertion")
    WOMEN_IN_DETENTION = "women_in_detention", _("Young women in detention")
    COMMUNITY_PREVENTION = "community_prevention", _("Community prevention")


class SupportType(models.TextChoices):
    DIRECT = "direct", _("Direct technical assistance")
    COLLABORATIVE = "collaborative", _("Collaborative effort")


class Direction(models.TextChoices):
    INCREASE = "increase", _("Increase is better")
    DECREASE = "decrease", _("Decrease is better")


def _check_choices(values, choices, field: str, errors: dict) -> None:
    if not isinstance(values, list):
        errors[field] = _("Give a list of values.")
        return
    unknown = [v for v in values if v not in choices.values]
    if unknown:
        errors[field] = _("Unknown values %(values)s; use %(choices)s.") % {
            "values": ", ".join(map(str, unknown)),
            "choices": ", ".join(choices.values),
        }


def _period_errors(start, end, errors: dict) -> None:
    if start and end and end < start:
        errors["end_date"] = _(
            "The end date %(end)s is before the start date %(start)s; correct either date."
        ) % {"end": end, "start": start}


class Activity(models.Model):
    code = models.SlugField(
        _("code"), max_length=60, unique=True, help_text=_("Short stable name used in CSV files.")
    )
    name = models.CharField(_("name"), max_length=200)
    implementer = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="activities",
        verbose_name=_("implementer"),
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    goals = models.JSONField(
        _("program goals"), default=list, help_text=_("One or more of the program's goals.")
    )
    description = models.TextField(_("description"), blank=True)
    synthetic = models.BooleanField(_("synthetic"), default=False)

    class Meta:
        ordering = ["start_date", "name"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="activity_end_not_before_start",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        errors: dict = {}
        _period_errors(self.start_date, self.end_date, errors)
        _check_choices(self.goals, ProgramGoal, "goals", errors)
        if not errors.get("goals") and not self.goals:
            errors["goals"] = _("Name at least one program goal.")
        if errors:
            raise ValidationError(errors)

    def goal_labels(self) -> list[str]:
        return [str(ProgramGoal(g).label) for g in self.goals if g in ProgramGoal.values]


class BudgetLine(models.Model):
    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="budget_lines", verbose_name=_("activity")
    )
    item = models.CharField(_("item"), max_length=200)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, default="USD")

    class Meta:
        ordering = ["activity", "item"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")

    def __str__(self) -> str:
        return f"{self.item}: {self.amount} {self.currency}"


class CoverageQuerySet(models.QuerySet):
    def overlapping(self, start, end):
        """Coverage in force on at least one day from ``start`` to ``end``."""
        return self.filter(start_date__lte=end, end_date__gte=start)

    def with_component(self, component: str | None):
        if not component:
            return self
        # JSON containment is not portable to SQLite; component lists are short.
        ids = [c.pk for c in self.only("pk", "components") if component in c.components]
        return self.filter(pk__in=ids)


class Coverage(models.Model):
    """An activity supporting one municipality for a time, directly or collaboratively."""

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="coverage", verbose_name=_("activity")
    )
    municipality = models.ForeignKey(
        "territory.Municipality",
        on_delete=models.PROTECT,
        related_name="coverage",
        verbose_name=_("municipality"),
    )
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("to"))
    support_type = models.CharField(_("support type"), max_length=16, choices=SupportType.choices)
    components = models.JSONField(_("components"), default=list)
    synthetic = models.BooleanField(_("synthetic"), default=False)

    objects = CoverageQuerySet.as_manager()

    class Meta:
        ordering = ["activity", "municipality__cvegeo", "start_date"]
        verbose_name = _("coverage")
        verbose_name_plural = _("coverage")
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "municipality", "start_date"], name="coverage_unique_start"
            ),
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="coverage_end_not_before_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.activity} · {self.municipality}"

    @property
    def component_labels(self) -> list[str]:
        """The components supported, in the reader's language (the stored codes otherwise)."""
        labels = dict(Component.choices)
        return [str(labels.get(code, code)) for code in self.components]

    def clean(self):
        errors: dict = {}
        _period_errors(self.start_date, self.end_date, errors)
        _check_choices(self.components, Component, "components", errors)
        if not errors.get("components") and not self.components:
            errors["components"] = _("Name at least one component supported.")
        activity = self.activity if self.activity_id else None
        if activity and self.start_date and self.start_date < activity.start_date:
            errors["start_date"] = _(
                "Coverage starts on %(date)s, before the activity “%(activity)s” starts "
                "(%(start)s); coverage must lie inside the activity's period."
            ) % {"date": self.start_date, "activity": activity, "start": activity.start_date}
        if activity and self.end_date and self.end_date > activity.end_date:
            errors["end_date"] = _(
                "Coverage ends on %(date)s, after the activity “%(activity)s” ends "
                "(%(end)s); coverage must lie inside the activity's period."
            ) % {"date": self.end_date, "activity": activity, "end": activity.end_date}
        if errors:
            raise ValidationError(errors)


class Indicator(models.Model):
    code = models.CharField(_("code"), max_length=40, unique=True)
    name_es = models.CharField(_("name (Spanish)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    definition_es = models.TextField(_("definition (Spanish)"))
    definition_en = models.TextField(_("definition (English)"))
    unit = models.CharField(_("unit"), max_length=40)
    numerator = models.TextField(_("numerator"), blank=True)
    denominator = models.TextField(_("denominator"), blank=True)
    disaggregations = models.JSONField(_("required disaggregations"), default=list, blank=True)
    direction = models.CharField(_("direction of change"), max_length=8, choices=Direction.choices)
    data_source = models.CharField(_("data source"), max_length=200)
    computation = models.CharField(_("computation"), max_length=60)
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    disclosure_control = models.BooleanField(
        _("disclosure control"),
        default=False,
        help_text=_("Counts of people: cells below the threshold are suppressed in outputs."),
    )
    statement_es = models.TextField(_("fact sheet statement (Spanish)"), blank=True)
    statement_en = models.TextField(_("fact sheet statement (English)"), blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        return f"{self.code} · {self.name_es}"

    def clean(self):
        from civica.indicators import registry
        from civica.monitoring.status import check_statement

        errors = {}
        try:
            registry.check(self.computation, self.parameters)
        except ValueError as error:
            errors["computation"] = str(error)
        for field in ("statement_es", "statement_en"):
            try:
                check_statement(getattr(self, field))
            except ValueError as error:
                errors[field] = str(error)
        if errors:
            raise ValidationError(errors)

    def localized(self, field: str, language: str) -> str:
        suffix = "en" if (language or "").startswith("en") else "es"
        return getattr(self, f"{field}_{suffix}") or getattr(self, f"{field}_es")


class Target(models.Model):
    """The value an indicator should reach in a period, nationally or in one territory."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="targets", verbose_name=_("indicator")
    )
    period = models.CharField(_("period"), max_length=24, help_text=_("E.g. FY2023, FY2023Q1."))
    state = models.ForeignKey(
        "territory.State", on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("state")
    )
    municipality = models.ForeignKey(
        "territory.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("municipality"),
    )
    value = models.FloatField(_("target"))

    class Meta:
        ordering = ["indicator", "period"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period", "state", "municipality"],
                name="target_unique_territory",
            ),
            # NULL never equals NULL in a unique index (SQLite and PostgreSQL), so the
            # constraint above lets national and state targets repeat: these two close it.
            models.UniqueConstraint(
                fields=["indicator", "period"],
                condition=models.Q(state__isnull=True, municipality__isnull=True),
                name="target_unique_national",
                violation_error_message=_(
                    "This indicator already has a national target for this period; edit that "
                    "target instead of adding another."
                ),
            ),
            models.UniqueConstraint(
                fields=["indicator", "period", "state"],
                condition=models.Q(state__isnull=False, municipality__isnull=True),
                name="target_unique_state",
                violation_error_message=_(
                    "This indicator already has a target for this state and period; edit that "
                    "target instead of adding another."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.period}: {self.value:g}"

    def clean(self):
        from civica.monitoring.periods import parse_period

        errors: dict = {}
        try:
            parse_period(self.period)
        except ValueError as error:
            errors["period"] = str(error)
        if self.state_id and self.municipality_id:
            errors["municipality"] = _("Give a state or a municipality, not both.")
        if errors:
            raise ValidationError(errors)


class FactSheetText(models.Model):
    """The editable overview paragraph of the fact sheet, one per language."""

    language = models.CharField(
        _("language"), max_length=5, unique=True, choices=[("es", "Español"), ("en", "English")]
    )
    title = models.CharField(_("title"), max_length=200)
    overview = models.TextField(_("overview"))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("fact sheet text")
        verbose_name_plural = _("fact sheet texts")

    def __str__(self) -> str:
        return f"{self.title} ({self.language})"


class InputChange(models.Model):
    """Changes to one app's records, counted by a database trigger on every insert, update
    and delete of the app's tables (``civica.monitoring.kept``): the version of the app is
    the sum of ``changes`` over its rows, so a kept indicator value knows whether what it
    was computed from has changed. PostgreSQL appends a row per writing statement (no row
    that two writers both update) and folds an app's rows into one now and then; SQLite,
    one writer at a time, keeps one row per app and adds to it."""

    app = models.CharField(_("app"), max_length=50, db_index=True)
    changes = models.BigIntegerField(_("changes"), default=1)

    class Meta:
        verbose_name = _("input change")
        verbose_name_plural = _("input changes")

    def __str__(self) -> str:
        return f"{self.app} +{self.changes}"


class KeptResult(models.Model):
    """One indicator computation's result for one selection (period, places, filters,
    language, day), kept with the versions of the inputs it read; read again only while
    those versions are unchanged (``civica.monitoring.kept``)."""

    key = models.CharField(_("key"), max_length=64, unique=True)
    computation = models.CharField(_("computation"), max_length=100)
    versions = models.CharField(_("input versions"), max_length=500)
    day = models.DateField(_("day"))
    result = models.JSONField(_("result"))
    computed_at = models.DateTimeField(_("computed"), auto_now=True)

    class Meta:
        verbose_name = _("kept indicator result")
        verbose_name_plural = _("kept indicator results")

    def __str__(self) -> str:
        return f"{self.computation} {self.day}"
