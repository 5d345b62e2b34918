"""The work with a person: enrollments in a program track, case plan goals, services,
referrals, family/primary network, contacts and follow-up outcomes.

Free text that may describe a person (notes, goals, names of relatives) is encrypted like the
person's own fields.
"""

from __future__ import annotations

import datetime as dt

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civica.core.crypto import EncryptedTextField
from civica.participants.models.people import Person, VersionedModel

FOLLOW_UP_MONTHS = (6, 12, 24)


def _code_label(pid: str, pk) -> str:
    """An audit label read in either language: the pseudonymous id and the record's number."""
    return f"{pid} #{pk}" if pk else pid


class Track(models.TextChoices):
    PREVENTION = "prevention", _("Prevention")
    SECONDARY = "secondary", _("Secondary prevention")
    REINSERTION = "reinsertion", _("Community-based reinsertion")
    WOMEN_DETENTION = "women_detention", _("Young women in detention")


class ReferralSource(models.TextChoices):
    SCHOOL = "school", _("School")
    FAMILY = "family", _("Family")
    POLICE = "police", _("Police")
    CIVIC_JUDGE = "civic_judge", _("Juez cívico")
    DETENTION = "detention", _("Detention center")
    # Criminal courts (juzgados de control, de ejecución) refer young people to community-based
    # reinsertion as a condition of release or of a suspended process.
    COURT = "court", _("Criminal court")
    CIVIL_SOCIETY = "civil_society", _("Civil society")
    SELF = "self", _("Self")


class ClosureReason(models.TextChoices):
    COMPLETED = "completed", _("Plan completed")
    DROPPED_OUT = "dropped_out", _("Stopped attending")
    MOVED = "moved", _("Moved away")
    TRANSFERRED = "transferred", _("Transferred to another organization")
    INELIGIBLE = "ineligible", _("Not eligible")
    DECEASED = "deceased", _("Deceased")
    OTHER = "other", _("Other")


class Enrollment(VersionedModel):
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="enrollments", verbose_name=_("person")
    )
    track = models.CharField(_("track"), max_length=16, choices=Track.choices)
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="enrollments",
        verbose_name=_("responsible organization"),
    )
    case_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("case worker"),
    )
    referral_source = models.CharField(
        _("referral source"), max_length=16, choices=ReferralSource.choices
    )
    start_date = models.DateField(_("start"))
    exit_date = models.DateField(_("exit"), null=True, blank=True)
    closure_reason = models.CharField(
        _("closure reason"), max_length=16, choices=ClosureReason.choices, blank=True
    )

    class Meta:
        ordering = ["-start_date", "-id"]
        verbose_name = _("enrollment")
        verbose_name_plural = _("enrollments")
        indexes = [models.Index(fields=["organization", "exit_date"])]

    def __str__(self) -> str:
        return f"{self.person.pid} {self.get_track_display()}"

    @property
    def audit_label(self) -> str:
        # Stored in the audit log and read in either language: codes only, no words (the
        # track's code is an English word, so the case is named by its number instead).
        return f"{self.person.pid} #{self.pk}" if self.pk else self.person.pid

    def clean(self) -> None:
        errors = {}
        if self.exit_date and self.exit_date < self.start_date:
            errors["exit_date"] = ValidationError(
                _("The exit is before the start."), code="exit_before_start"
            )
        if self.exit_date and not self.closure_reason:
            errors["closure_reason"] = ValidationError(
                _("Give the reason the case was closed."), code="closure_reason_missing"
            )
        if self.closure_reason and not self.exit_date:
            errors["exit_date"] = ValidationError(
                _("A closed case needs its exit date."), code="exit_missing"
            )
        if errors:
            raise ValidationError(errors)

    def follow_up_dates(self) -> list[tuple[int, dt.date]]:
        """Due dates at 6/12/24 months after the start (and after the exit, once closed)."""
        anchors = [self.start_date] + ([self.exit_date] if self.exit_date else [])
        return Outcome.schedule(anchors[-1])


class GoalStatus(models.TextChoices):
    OPEN = "open", _("In progress")
    MET = "met", _("Met")
    DROPPED = "dropped", _("Dropped")


class Goal(VersionedModel):
    # Versioned: two workers changing a goal's status at once must not overwrite each other.
    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="goals")
    description = EncryptedTextField(_("goal"))
    target_date = models.DateField(_("target date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=GoalStatus.choices, default=GoalStatus.OPEN
    )

    class Meta:
        ordering = ["id"]
        verbose_name = _("case plan goal")
        verbose_name_plural = _("case plan goals")

    def __str__(self) -> str:
        return _("%(pid)s goal %(n)s") % {"pid": self.enrollment.person.pid, "n": self.pk}

    @property
    def audit_label(self) -> str:
        # Stored in the audit log and read in either language: codes only, no words.
        return _code_label(self.enrollment.person.pid, self.pk)


class ServiceKind(models.TextChoices):
    JOB_SKILLS = "job_skills", _("Job-skills training")
    WELLNESS = "wellness", _("Wellness / therapy")
    FAMILY = "family", _("Family session")
    EDUCATION = "education", _("Education")
    MENTORING = "mentoring", _("Mentoring")
    EMPLOYMENT = "employment", _("Employment placement")


class Service(models.Model):
    # ``person`` repeats ``enrollment.person`` so counts of persons read one table.
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="services")
    enrollment = models.ForeignKey(
        Enrollment, on_delete=models.PROTECT, related_name="services", verbose_name=_("enrollment")
    )
    kind = models.CharField(_("service"), max_length=12, choices=ServiceKind.choices)
    provider = models.CharField(_("provider"), max_length=200, blank=True)
    date = models.DateField(_("date"))
    attended = models.BooleanField(_("attended"), default=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("service")
        verbose_name_plural = _("services")
        # Covers the counts of persons reached (reach.py): read without touching the table.
        indexes = [
            models.Index(
                fields=["date", "person", "attended", "enrollment"],
                name="participants_service_date",
            )
        ]

    def __str__(self) -> str:
        # In the reader's language (the kind's code is an English word).
        return f"{self.person.pid} {self.get_kind_display()} {self.date}"

    @property
    def audit_label(self) -> str:
        return _code_label(self.person.pid, self.pk)

    def clean(self) -> None:
        if self.enrollment_id and self.date and self.date < self.enrollment.start_date:
            raise ValidationError(
                {
                    "date": ValidationError(
                        _("The service is before the enrollment started."), code="before_enrollment"
                    )
                }
            )


class ReferralStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for an answer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class Referral(models.Model):
    """A person sent to an organization, which accepts (enrolling them) or declines with a
    reason. Sent by another organization from one of its enrollments, or by a civic court
    (``source`` civic judge) from a case of which only its reference travels — never the
    faltas, the narrative or the sanction."""

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="referrals", verbose_name=_("person")
    )
    #: The sending organization's enrollment; empty for a referral from a civic court.
    enrollment = models.ForeignKey(
        Enrollment,
        on_delete=models.PROTECT,
        related_name="referrals",
        null=True,
        blank=True,
    )
    source = models.CharField(
        _("referral source"),
        max_length=16,
        choices=ReferralSource.choices,
        default=ReferralSource.CIVIL_SOCIETY,
    )
    #: Who sent it when not an organization: the juzgado and the case number, nothing else.
    source_reference = models.CharField(_("sent by"), max_length=200, blank=True)
    to_organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="referrals_received",
        verbose_name=_("referred to"),
    )
    reason = models.CharField(_("reason"), max_length=200)
    #: The track the sender proposes (the sending enrollment's when empty).
    track = models.CharField(_("track"), max_length=16, choices=Track.choices, blank=True)
    # A JSON object of the personal fields the consent lets travel, encrypted like the person.
    shared = EncryptedTextField(_("shared data"), blank=True)
    status = models.CharField(
        max_length=8, choices=ReferralStatus.choices, default=ReferralStatus.PENDING
    )
    sent_on = models.DateField(_("sent on"), default=timezone.localdate)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decline_reason = models.CharField(_("reason for declining"), max_length=200, blank=True)
    #: The enrollment the acceptance opened with the receiving organization.
    accepted_enrollment = models.ForeignKey(
        Enrollment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("enrollment opened"),
    )

    class Meta:
        ordering = ["-sent_on", "-id"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        constraints = [
            models.CheckConstraint(
                condition=Q(enrollment__isnull=False) | ~Q(source_reference=""),
                name="participants_referral_has_a_sender",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person.pid} → {self.to_organization}"

    @property
    def proposed_track(self) -> str:
        return self.track or (self.enrollment.track if self.enrollment_id else "")


class NetworkMember(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="network")
    relationship = models.CharField(_("relationship"), max_length=60)
    name = EncryptedTextField(_("name"))
    phone = EncryptedTextField(_("phone"), blank=True)
    engaged = models.BooleanField(_("engaged in the program"), default=False)
    # Who wrote it scopes it: an organization that took the person in through a referral
    # sees its own network notes, not another organization's (like contacts).
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["id"]
        verbose_name = _("family or network member")
        verbose_name_plural = _("family and network members")

    def __str__(self) -> str:
        # The relationship as the case worker wrote it, in their words.
        return f"{self.person.pid} {self.relationship}"

    @property
    def audit_label(self) -> str:
        # Not the relationship: the audit log names records by codes only.
        return _code_label(self.person.pid, self.pk)


class ContactChannel(models.TextChoices):
    VISIT = "visit", _("Visit")
    PHONE = "phone", _("Phone call")
    MESSAGE = "message", _("Message")
    OFFICE = "office", _("At the office")


class Contact(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="contacts")
    date = models.DateField(_("date"))
    channel = models.CharField(_("channel"), max_length=8, choices=ContactChannel.choices)
    note = EncryptedTextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    def __str__(self) -> str:
        # In the reader's language (the channel's code is an English word).
        return f"{self.person.pid} {self.get_channel_display()} {self.date}"

    @property
    def audit_label(self) -> str:
        return _code_label(self.person.pid, self.pk)


class YesNo(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    UNKNOWN = "unknown", _("Unknown")


class JusticeContact(models.TextChoices):
    # A program outcome, never a label on the person: pages say "new justice contact".
    NONE = "none", _("None")
    CIVIC = "civic", _("Civic-justice presentation")
    ARREST = "arrest", _("Arrest")
    ADOLESCENT_MEASURE = "adolescent_measure", _("Adolescent-justice measure")


class FollowUpAtMonths(models.Model):
    """The shape every follow-up of a case taken some months after an anchor shares (this
    app's outcomes after the start or exit, reinsertion's follow-ups after release): its
    months, the schedule of due dates, its label by pseudonymous id, and the two readings
    evaluations compare across kinds of follow-up — working or studying, and a new justice
    contact (``None`` when the follow-up did not learn it).

    Abstract and without fields: each kind keeps its own columns (and its related name on
    the enrollment), so inheriting from it changes no table."""

    #: The months after the anchor at which this kind of follow-up is taken.
    MONTHS: tuple[int, ...] = ()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.enrollment.person.pid} {self.months}m"

    @property
    def audit_label(self) -> str:
        # Stored in the audit log and read in either language: codes only, no words.
        return str(self)

    @classmethod
    def schedule(cls, anchor: dt.date) -> list[tuple[int, dt.date]]:
        """``[(months, due date)]`` counted from ``anchor``."""
        return [(months, anchor + relativedelta(months=months)) for months in cls.MONTHS]

    @property
    def employed_or_studying(self) -> bool | None:
        raise NotImplementedError

    @property
    def new_justice_contact(self) -> bool | None:
        raise NotImplementedError


class Outcome(FollowUpAtMonths):
    MONTHS = FOLLOW_UP_MONTHS

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="outcomes")
    months = models.PositiveSmallIntegerField(
        _("follow-up at (months)"), choices=[(m, str(m)) for m in FOLLOW_UP_MONTHS]
    )
    after_exit = models.BooleanField(_("counted from the exit"), default=False)
    recorded_on = models.DateField(_("recorded on"))
    school_enrolled = models.CharField(
        _("enrolled in school"), max_length=8, choices=YesNo.choices, default=YesNo.UNKNOWN
    )
    employed = models.CharField(
        _("employed"), max_length=8, choices=YesNo.choices, default=YesNo.UNKNOWN
    )
    wellness_score = models.PositiveSmallIntegerField(_("wellness score"), null=True, blank=True)
    justice_contact = models.CharField(
        _("new justice contact"),
        max_length=20,
        choices=JusticeContact.choices,
        default=JusticeContact.NONE,
    )

    class Meta:
        ordering = ["months", "after_exit"]
        verbose_name = _("follow-up outcome")
        verbose_name_plural = _("follow-up outcomes")
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "months", "after_exit"], name="participants_one_outcome"
            )
        ]

    @property
    def employed_or_studying(self) -> bool | None:
        answers = {self.school_enrolled, self.employed}
        if YesNo.YES in answers:
            return True
        return None if answers == {YesNo.UNKNOWN} else False

    @property
    def new_justice_contact(self) -> bool | None:
        return self.justice_contact != JusticeContact.NONE
