"""Women in detention: facilities and their rules, a woman's stay (legal status, admission,
release), in-facility cohorts with sessions and attendance, productive work, the transition
plan before release, and follow-ups after release (or after the exit of a community case).

The woman is a ``participants.Person`` and her case a ``participants.Enrollment`` (track
"young women in detention"): consent, encryption, audit and organization scope are theirs.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from civica.accounts import access
from civica.core.crypto import EncryptedTextField
from civica.participants.models import FollowUpAtMonths
from civica.participants.models.people import VersionedModel

#: Follow-ups after release (or exit), in months.
RELEASE_FOLLOW_UP_MONTHS = (1, 3, 6, 12)


class FacilityKind(models.TextChoices):
    WOMEN = "women", _("Women's prison (CERESO femenil)")
    MIXED = "mixed", _("Mixed prison with a women's area")
    FEDERAL = "federal", _("Federal prison (CEFERESO)")
    ADOLESCENT = "adolescent", _("Adolescent detention center")


class Recordable(models.TextChoices):
    """What may be recorded inside a facility (its rules say which)."""

    ATTENDANCE = "attendance", _("Session attendance")
    CERTIFICATES = "certificates", _("Certificates")
    WORK_INCOME = "work_income", _("Productive work and income")
    TRANSITION = "transition", _("Transition plan")


class Facility(models.Model):
    state = models.ForeignKey(
        "territory.State", on_delete=models.PROTECT, related_name="+", verbose_name=_("state")
    )
    municipality = models.ForeignKey(
        "territory.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("municipality"),
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=FacilityKind.choices)
    organizations = models.ManyToManyField(
        "organizations.Organization",
        related_name="facilities",
        verbose_name=_("organizations working inside"),
    )
    # Rules as data: what may be recorded inside, and which roles may enter.
    recordable = models.JSONField(_("what may be recorded inside"), default=list, blank=True)
    entry_roles = models.JSONField(_("roles that may enter"), default=list, blank=True)
    synthetic = models.BooleanField(_("synthetic"), default=False)

    class Meta:
        ordering = ["state__name", "name"]
        verbose_name = _("facility")
        verbose_name_plural = _("facilities")
        constraints = [
            models.UniqueConstraint(fields=["state", "name"], name="reinsertion_facility_name")
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        from civica.accounts.roles import Role

        unknown = sorted(set(self.recordable or []) - set(Recordable.values))
        if unknown:
            raise ValidationError(
                {"recordable": _("Unknown kinds of record: %(k)s.") % {"k": ", ".join(unknown)}}
            )
        roles = sorted(set(self.entry_roles or []) - set(Role.values))
        if roles:
            raise ValidationError(
                {"entry_roles": _("Unknown roles: %(r)s.") % {"r": ", ".join(roles)}}
            )

    def allows(self, what: str) -> bool:
        return what in (self.recordable or [])

    def recordable_labels(self) -> list[str]:
        """The rules' kinds of record in the reader's language, not their codes."""
        return [str(Recordable(code).label) for code in self.recordable or []]

    def entry_role_labels(self) -> list[str]:
        from civica.accounts.roles import Role

        return [str(Role(code).label) for code in self.entry_roles or []]

    def may_enter(self, user) -> bool:
        user = access.actor(user)  # the system (access.SYSTEM) is an administrator here
        return user.is_administrator or user.role in (self.entry_roles or [])


class LegalStatus(models.TextChoices):
    PRE_TRIAL = "pre_trial", _("Pre-trial detention")
    SENTENCED = "sentenced", _("Sentenced")


class Custody(models.Model):
    """A woman's stay in a facility: the case (enrollment) it belongs to, her legal status,
    admission, expected and actual release."""

    enrollment = models.OneToOneField(
        "participants.Enrollment",
        on_delete=models.PROTECT,
        related_name="custody",
        verbose_name=_("case"),
    )
    facility = models.ForeignKey(
        Facility, on_delete=models.PROTECT, related_name="stays", verbose_name=_("facility")
    )
    legal_status = models.CharField(_("legal status"), max_length=10, choices=LegalStatus.choices)
    admission_date = models.DateField(_("admission"))
    expected_release = models.DateField(_("expected release"), null=True, blank=True)
    actual_release = models.DateField(_("release"), null=True, blank=True)

    class Meta:
        ordering = ["-admission_date", "id"]
        verbose_name = _("stay in a facility")
        verbose_name_plural = _("stays in a facility")

    def __str__(self) -> str:
        return f"{self.enrollment.person.pid} {self.facility}"

    @property
    def audit_label(self) -> str:
        # Codes only, read in either language.
        return self.enrollment.person.pid

    def clean(self) -> None:
        errors = {}
        if self.expected_release and self.expected_release < self.admission_date:
            errors["expected_release"] = ValidationError(
                _("The expected release is before the admission."),
                code="expected_release_before_admission",
            )
        if self.actual_release and self.actual_release < self.admission_date:
            errors["actual_release"] = ValidationError(
                _("The release is before the admission."), code="release_before_admission"
            )
        if errors:
            raise ValidationError(errors)


class CohortKind(models.TextChoices):
    COURSE = "course", _("Training course")
    WELLNESS = "wellness", _("Wellness group")


class Cohort(models.Model):
    facility = models.ForeignKey(
        Facility, on_delete=models.PROTECT, related_name="cohorts", verbose_name=_("facility")
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organization"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=CohortKind.choices)
    name = models.CharField(_("name"), max_length=200)
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"), null=True, blank=True)
    required_hours = models.DecimalField(
        _("hours to complete"), max_digits=6, decimal_places=1, default=0
    )
    certifies = models.BooleanField(_("gives a certificate"), default=False)
    synthetic = models.BooleanField(_("synthetic"), default=False)

    class Meta:
        ordering = ["-start_date", "name"]
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.end_date and self.end_date < self.start_date:
            raise ValidationError(
                {
                    "end_date": ValidationError(
                        _("The end is before the start."), code="end_before_start"
                    )
                }
            )


class CohortMember(models.Model):
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="members")
    custody = models.ForeignKey(
        Custody, on_delete=models.PROTECT, related_name="cohorts", verbose_name=_("woman")
    )
    completed_on = models.DateField(_("completed"), null=True, blank=True)
    certificate = models.CharField(_("certificate number"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("cohort member")
        verbose_name_plural = _("cohort members")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "custody"], name="reinsertion_one_member")
        ]

    def __str__(self) -> str:
        return f"{self.custody.enrollment.person.pid} {self.cohort}"


class Session(models.Model):
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="sessions")
    date = models.DateField(_("date"))
    hours = models.DecimalField(_("hours"), max_digits=4, decimal_places=1)
    topic = models.CharField(_("topic"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["date", "id"]

    def __str__(self) -> str:
        return f"{self.cohort} {self.date}"


class Attendance(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(CohortMember, on_delete=models.CASCADE, related_name="attendance")
    present = models.BooleanField(_("present"), default=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = [
            models.UniqueConstraint(fields=["session", "member"], name="reinsertion_one_mark")
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.session.date}"


class PaidHow(models.TextChoices):
    CASH = "cash", _("Cash")
    ACCOUNT = "account", _("Bank account")
    FAMILY = "family", _("Paid to her family")
    SAVINGS = "savings", _("Savings held until release")
    IN_KIND = "in_kind", _("In kind")


class WorkRecord(models.Model):
    """Productive work inside: what was made and sold in a month, and what she earned."""

    custody = models.ForeignKey(Custody, on_delete=models.PROTECT, related_name="work")
    month = models.DateField(_("month"))
    product = models.CharField(_("what was made"), max_length=200)
    units_sold = models.PositiveIntegerField(_("units sold"), default=0)
    income = models.DecimalField(_("income earned (MXN)"), max_digits=10, decimal_places=2)
    paid_how = models.CharField(_("paid how"), max_length=10, choices=PaidHow.choices)

    class Meta:
        verbose_name = _("work record")
        verbose_name_plural = _("work records")
        ordering = ["-month", "id"]

    def __str__(self) -> str:
        return f"{self.custody} {self.month:%Y-%m}"

    def clean(self) -> None:
        if self.income is not None and self.income < 0:
            raise ValidationError({"income": _("Income cannot be negative.")})
        if (
            self.custody_id
            and self.month
            and self.month < self.custody.admission_date.replace(day=1)
        ):
            raise ValidationError(
                {
                    "month": ValidationError(
                        _("The month is before the admission."), code="work_before_admission"
                    )
                }
            )


class TransitionArea(models.TextChoices):
    ID_DOCUMENTS = "id_documents", _("Identity documents")
    HOUSING = "housing", _("Housing")
    WORK_STUDY = "work_study", _("Work or study")
    FAMILY = "family", _("Family")
    HEALTH = "health", _("Health")
    RECEPTION = "reception", _("Who receives her on the day")


class TransitionPlan(models.Model):
    custody = models.OneToOneField(Custody, on_delete=models.CASCADE, related_name="plan")
    started_on = models.DateField(_("started"))
    received_by = EncryptedTextField(_("who receives her"), blank=True)

    class Meta:
        verbose_name = _("transition plan")
        verbose_name_plural = _("transition plans")

    def __str__(self) -> str:
        return f"{self.custody} plan"

    def clean(self) -> None:
        custody = self.custody
        if custody.actual_release and self.started_on > custody.actual_release:
            raise ValidationError(
                {
                    "started_on": ValidationError(
                        _("A transition plan starts before the release."), code="plan_after_release"
                    )
                }
            )
        if self.started_on < custody.admission_date:
            raise ValidationError(
                {
                    "started_on": ValidationError(
                        _("The plan starts before the admission."), code="plan_before_admission"
                    )
                }
            )


class TransitionTask(VersionedModel):
    """A task of the plan. Versioned: finishing it is checked against the version the
    finisher loaded, so two people marking the same task do not overwrite each other."""

    plan = models.ForeignKey(TransitionPlan, on_delete=models.CASCADE, related_name="tasks")
    area = models.CharField(_("area"), max_length=14, choices=TransitionArea.choices)
    description = EncryptedTextField(_("task"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner"),
    )
    due_date = models.DateField(_("due"), null=True, blank=True)
    done_on = models.DateField(_("done"), null=True, blank=True)

    class Meta:
        verbose_name = _("transition task")
        verbose_name_plural = _("transition tasks")
        ordering = ["due_date", "id"]

    def __str__(self) -> str:
        return f"{self.plan} {self.area}"

    @property
    def audit_label(self) -> str:
        # Codes only, read in either language.
        return f"{self.plan.custody.enrollment.person.pid} #{self.pk}"


class Housing(models.TextChoices):
    STABLE = "stable", _("Stable housing")
    TEMPORARY = "temporary", _("Temporary (family, shelter)")
    NONE = "none", _("No housing")


class Activity(models.TextChoices):
    EMPLOYED = "employed", _("Working")
    STUDYING = "studying", _("Studying")
    BOTH = "both", _("Working and studying")
    NEITHER = "neither", _("Neither")


class ReleaseFollowUp(FollowUpAtMonths):
    """A follow-up 1, 3, 6 or 12 months after release (detention) or exit (community case).
    Its months, schedule, label and the two readings an evaluation compares are the shape of
    every follow-up of a case (``participants.FollowUpAtMonths``)."""

    MONTHS = RELEASE_FOLLOW_UP_MONTHS

    enrollment = models.ForeignKey(
        "participants.Enrollment", on_delete=models.PROTECT, related_name="release_follow_ups"
    )
    months = models.PositiveSmallIntegerField(
        _("months after release"), choices=[(m, str(m)) for m in RELEASE_FOLLOW_UP_MONTHS]
    )
    date = models.DateField(_("date"))
    housing = models.CharField(_("housing"), max_length=10, choices=Housing.choices)
    activity = models.CharField(_("work or study"), max_length=10, choices=Activity.choices)
    monthly_income = models.DecimalField(
        _("monthly income (MXN)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    family_contact = models.BooleanField(_("in contact with family"), default=False)
    new_arrest = models.BooleanField(_("new arrest"), default=False)
    new_imprisonment = models.BooleanField(_("new imprisonment"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    class Meta:
        verbose_name = _("follow-up after release")
        verbose_name_plural = _("follow-ups after release")
        ordering = ["months"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "months"], name="reinsertion_one_follow_up"
            )
        ]

    @property
    def employed_or_studying(self) -> bool:
        return self.activity != Activity.NEITHER

    @property
    def new_justice_contact(self) -> bool:
        return self.new_arrest or self.new_imprisonment

    def clean(self) -> None:
        anchor = release_of(self.enrollment)
        if anchor is None:
            raise ValidationError(
                _("Record the release (or the exit) before a follow-up after it."),
                code="no_release",
            )
        if self.date < anchor:
            raise ValidationError(
                {
                    "date": ValidationError(
                        _("The follow-up (%(date)s) is before the release (%(release)s).")
                        % {"date": self.date.isoformat(), "release": anchor.isoformat()},
                        code="follow_up_before_release",
                    )
                }
            )
        if self.new_imprisonment and not self.new_arrest:
            self.new_arrest = True


def release_of(enrollment) -> dt.date | None:
    """The day the after-release follow-ups count from: the actual release of the stay of a
    detention case, otherwise the exit of the case."""
    custody = Custody.objects.filter(enrollment_id=enrollment.pk).first() if enrollment.pk else None
    if custody is not None:
        return custody.actual_release
    return enrollment.exit_date


def follow_up_schedule(release: dt.date) -> list[tuple[int, dt.date]]:
    return ReleaseFollowUp.schedule(release)
