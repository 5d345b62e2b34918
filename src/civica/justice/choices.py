"""The choices of a civic-justice case (kept apart from the models so the legal rules can
name them without importing the models)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Detection(models.TextChoices):
    FLAGRANCY = "flagrancia", _("Caught in the act (flagrancia)")
    REPORT = "denuncia", _("Report or complaint")
    CALL_911 = "911", _("911 call")


class Intoxication(models.TextChoices):
    NONE = "none", _("None")
    ALCOHOL = "alcohol", _("Alcohol")
    DRUGS = "drugs", _("Other substances")
    BOTH = "both", _("Alcohol and other substances")


class RiskLevel(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class Sanction(models.TextChoices):
    REPRIMAND = "amonestacion", _("Reprimand (amonestación)")
    FINE = "multa", _("Fine")
    ARREST = "arresto", pgettext_lazy("sanction", "Arrest")
    COMMUNITY_WORK = "trabajo", _("Community work")
    MEASURE = "mmcc", _("Measure to improve coexistence (MMCC)")
    NONE = "ninguna", _("None")


class Commutation(models.TextChoices):
    NOT_ASKED = "not_asked", _("Not asked")
    ASKED = "asked", _("Asked, pending")
    GRANTED = "granted", _("Granted")
    DENIED = "denied", _("Denied")


class Occupation(models.TextChoices):
    WORKER = "worker", _("Day labourer, worker or employee")
    NO_INCOME = "no_income", _("Without income")
    OTHER = "other", _("Other (self-employed, business, unknown)")


class Closure(models.TextChoices):
    COMPLIED = "complied", _("Sanction or measure complied")
    NOT_RESPONSIBLE = "not_responsible", _("Not responsible")
    CONCILIATED = "conciliated", _("Settled by conciliation or mediation")
    NONCOMPLIANCE = "noncompliance", _("Non-compliance")
    OTHER = "other", _("Other")


class FollowUpKind(models.TextChoices):
    COMMUNITY_HOURS = "hours", _("Community-work hours served")
    MEASURE_ATTENDANCE = "attendance", _("Attendance at the measure")
    NONCOMPLIANCE = "noncompliance", _("Non-compliance")
