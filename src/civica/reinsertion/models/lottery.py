"""Fair allocation of places: a lottery over eligible applicants, stratified, seeded,
recorded and locked in one step before anyone sees who won; its waiting list, take-up,
crossovers and the outcomes the evaluation reads."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

#: Outcomes of a lottery's evaluation, in months after the draw.
OUTCOME_MONTHS = (6, 12)


class StratumField(models.TextChoices):
    SEX = "sex", _("Sex")
    MUNICIPALITY = "municipality", _("Municipality")
    RISK = "risk_level", _("Risk level")


class LotteryStatus(models.TextChoices):
    OPEN = "open", _("Taking applicants")
    DRAWN = "drawn", _("Drawn and locked")


class RiskLevel(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class Lottery(models.Model):
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="lotteries",
        verbose_name=_("organization"),
    )
    name = models.CharField(_("name"), max_length=200)
    track = models.CharField(_("program"), max_length=16)
    places = models.PositiveIntegerField(_("places"))
    strata = models.JSONField(_("stratified by"), default=list, blank=True)
    # The versioned screening instrument (participants) that decides eligibility; a screening
    # freezes its version, so the rule an applicant was judged by stays readable.
    instrument = models.ForeignKey(
        "participants.Instrument",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("eligibility screening instrument"),
    )
    status = models.CharField(
        _("status"), max_length=8, choices=LotteryStatus.choices, default=LotteryStatus.OPEN
    )
    seed = models.BigIntegerField(_("seed"), null=True, blank=True, editable=False)
    fingerprint = models.CharField(max_length=64, blank=True, editable=False)
    drawn_at = models.DateTimeField(_("drawn"), null=True, blank=True, editable=False)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    synthetic = models.BooleanField(_("synthetic"), default=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("lottery")
        verbose_name_plural = _("lotteries")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        # The guard holds for every writer (admin, shell), not only the services.
        self.clean()
        super().save(*args, **kwargs)

    @property
    def drawn(self) -> bool:
        return self.status == LotteryStatus.DRAWN

    def clean(self) -> None:
        unknown = sorted(set(self.strata or []) - set(StratumField.values))
        if unknown:
            raise ValidationError(
                {"strata": _("Unknown strata: %(s)s.") % {"s": ", ".join(unknown)}}
            )
        if self.pk:
            stored = (
                Lottery.objects.filter(pk=self.pk)
                .values("status", "strata", "places", "instrument_id")
                .first()
            )
            if stored and stored["status"] == LotteryStatus.DRAWN:
                if list(stored["strata"]) != list(self.strata or []):
                    raise ValidationError(
                        _("The lottery is drawn: its strata cannot change."),
                        code="strata_locked",
                    )
                if stored["places"] != self.places:
                    raise ValidationError(
                        _("The lottery is drawn: its places cannot change."),
                        code="places_locked",
                    )
                if stored["instrument_id"] != self.instrument_id:
                    raise ValidationError(
                        _("The lottery is drawn: its eligibility instrument cannot change."),
                        code="instrument_locked",
                    )


class Arm(models.TextChoices):
    NONE = "", _("Not drawn")
    PROGRAM = "program", _("Won a place")
    CONTROL = "control", _("Waiting list (comparison)")


class Applicant(models.Model):
    lottery = models.ForeignKey(Lottery, on_delete=models.CASCADE, related_name="applicants")
    person = models.ForeignKey(
        "participants.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("person")
    )
    applied_on = models.DateField(_("applied"))
    eligible = models.BooleanField(_("eligible"), default=True)
    screening = models.ForeignKey(
        "participants.Screening",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("eligibility screening"),
    )
    risk_level = models.CharField(_("risk level"), max_length=8, choices=RiskLevel.choices)
    stratum = models.CharField(_("stratum"), max_length=200, blank=True, editable=False)
    arm = models.CharField(
        _("group"), max_length=8, choices=Arm.choices, blank=True, editable=False
    )
    rank = models.PositiveIntegerField(null=True, blank=True, editable=False)
    waitlist_position = models.PositiveIntegerField(null=True, blank=True, editable=False)
    probability = models.FloatField(null=True, blank=True, editable=False)
    enrollment = models.ForeignKey(
        "participants.Enrollment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    crossover_reason = models.TextField(_("crossover reason"), blank=True)
    crossover_on = models.DateField(_("crossover recorded"), null=True, blank=True)

    class Meta:
        verbose_name = _("lottery applicant")
        verbose_name_plural = _("lottery applicants")
        ordering = ["waitlist_position", "rank", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["lottery", "person"], name="reinsertion_one_application"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person.pid} {self.lottery}"

    @property
    def audit_label(self) -> str:
        # Stored in the audit log and read in either language: codes only, no words.
        return f"{self.person.pid} #{self.lottery_id}"

    @property
    def took_up(self) -> bool:
        return self.enrollment_id is not None


class ApplicantOutcome(models.Model):
    """An applicant's outcome 6 or 12 months after the draw, recorded for both groups."""

    applicant = models.ForeignKey(Applicant, on_delete=models.CASCADE, related_name="outcomes")
    months = models.PositiveSmallIntegerField(
        _("months after the draw"), choices=[(m, str(m)) for m in OUTCOME_MONTHS]
    )
    recorded_on = models.DateField(_("recorded"))
    employed_or_studying = models.BooleanField(_("working or studying"))
    new_justice_contact = models.BooleanField(_("new arrest or justice contact"))

    class Meta:
        verbose_name = _("applicant outcome")
        verbose_name_plural = _("applicant outcomes")
        ordering = ["months"]
        constraints = [
            models.UniqueConstraint(fields=["applicant", "months"], name="reinsertion_one_outcome")
        ]

    def __str__(self) -> str:
        return f"{self.applicant} {self.months}m"

    def clean(self) -> None:
        lottery = self.applicant.lottery
        if lottery.drawn_at and self.recorded_on < timezone.localtime(lottery.drawn_at).date():
            raise ValidationError(
                {
                    "recorded_on": ValidationError(
                        _("The outcome is dated before the draw."), code="outcome_before_draw"
                    )
                }
            )
