"""A person and their consents.

Personal fields (names, birth date, CURP, address, phone) are encrypted at rest
(``EncryptedTextField``) and never used in URLs, logs or audit labels: every page and URL shows
the pseudonymous ``pid``. What must be searchable or countable without decrypting is kept in
separate non-personal columns (blind indexes, birth month index; see ``identity.py``).
"""

from __future__ import annotations

import datetime as dt

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civica.core.crypto import EncryptedTextField
from civica.participants import identity

# The personal fields of a person, in the order forms and referrals show them.
PERSONAL_FIELDS = ("given_names", "family_names", "birth_date", "curp", "address", "phone")


class Sex(models.TextChoices):
    FEMALE = "F", _("Female")
    MALE = "M", _("Male")
    UNRECORDED = "X", _("Not recorded")


class VersionedModel(models.Model):
    """Optimistic concurrency: every save through ``services.save_versioned`` bumps ``version``
    only when the stored version is still the one the editor loaded."""

    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class PersonQuerySet(models.QuerySet):
    def kept_by(self, organization_ids):
        """The persons the organizations ``organization_ids`` keep: those they registered and
        those they enrolled. A person registered for a civic court's referral
        (``held_for_referral``) is kept by an organization only once it enrolls them, that is
        once it accepts a referral: before the answer the referral alone carries the
        identification, and after a decline the organization keeps nothing of a person it
        never took in. The one place this is decided (``selectors.persons`` reads it)."""
        # Enrollment by name: its module imports this one.
        Enrollment = apps.get_model("participants", "Enrollment")
        # An IN over the enrolled ids, not a correlated EXISTS: SQLite ran the EXISTS once per
        # person (seconds at program scale, benchmarks/README.md "Behind a people figure").
        enrolled = Enrollment.objects.filter(organization_id__in=organization_ids).values(
            "person_id"
        )
        return self.filter(
            models.Q(organization_id__in=organization_ids, held_for_referral=False)
            | models.Q(pk__in=enrolled)
        )


class Person(VersionedModel):
    pid = models.CharField(_("pseudonymous id"), max_length=8, unique=True, editable=False)
    given_names = EncryptedTextField(_("given names"))
    family_names = EncryptedTextField(_("family names"))
    birth_date = EncryptedTextField(_("birth date"), blank=True)
    curp = EncryptedTextField(_("CURP"), blank=True)
    address = EncryptedTextField(_("address"), blank=True)
    phone = EncryptedTextField(_("phone"), blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, default=Sex.UNRECORDED)
    birth_month_index = models.IntegerField(null=True, blank=True, editable=False)
    curp_index = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    birth_index = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    # Birth year + municipality: the wider net that still finds a person whose day or month
    # was mistyped (a transposed 05/12), without decrypting the whole table.
    birth_year_index = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    municipality = models.ForeignKey(
        "territory.Municipality",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("municipality of residence"),
    )
    sector = models.ForeignKey(
        "territory.Sector",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sector of residence"),
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="registered_persons",
        verbose_name=_("registered by"),
    )
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    synthetic = models.BooleanField(_("synthetic"), default=False)
    #: Registered by a civic court's referral to ``organization`` and not yet taken in by an
    #: organization: the organization sees the person only through the referral until it
    #: accepts (which clears this), and never after it declines (``PersonQuerySet.kept_by``).
    held_for_referral = models.BooleanField(
        _("held for a court referral"), default=False, editable=False
    )
    created_at = models.DateTimeField(_("registered"), default=timezone.now, editable=False)

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["pid"]
        verbose_name = _("person")
        verbose_name_plural = _("persons")

    def __str__(self) -> str:
        return self.pid

    @property
    def audit_label(self) -> str:
        return self.pid

    @property
    def birth(self) -> dt.date | None:
        return dt.date.fromisoformat(self.birth_date) if self.birth_date else None

    def age_on(self, day: dt.date) -> int | None:
        birth = self.birth
        return None if birth is None else identity.age_years(birth, day)

    def age_band_on(self, day: dt.date) -> str:
        return identity.age_band(self.birth_month_index, day)

    def is_minor_on(self, day: dt.date) -> bool:
        """Unknown birth date counts as a minor: a guardian's consent is then asked for."""
        age = self.age_on(day)
        return age is None or age < 18

    def clean(self) -> None:
        errors = {}
        if self.birth_date:
            try:
                birth = dt.date.fromisoformat(self.birth_date)
            except ValueError:
                errors["birth_date"] = ValidationError(
                    _("Write the birth date as YYYY-MM-DD."), code="birth_date_format"
                )
            else:
                if birth > timezone.localdate():
                    errors["birth_date"] = ValidationError(
                        _("The birth date is in the future."), code="birth_date_future"
                    )
        if self.curp:
            try:
                self.curp = identity.normalize_curp(self.curp)
            except ValueError:
                errors["curp"] = ValidationError(
                    _("A CURP has 18 characters: 4 letters, 6 digits, H/M, 5 letters, 2 more."),
                    code="curp_format",
                )
        if (
            self.sector_id
            and self.municipality_id
            and (self.sector.municipality_id != self.municipality_id)
        ):
            errors["sector"] = ValidationError(
                _("The sector is not in the municipality of residence."), code="sector_outside"
            )
        if errors:
            raise ValidationError(errors)

    def refresh_derived(self) -> None:
        """Recompute the non-personal derived columns from the personal fields."""
        birth = self.birth
        self.birth_month_index = identity.birth_month_index(birth)
        self.curp_index = identity.blind_index("curp", self.curp) if self.curp else None
        self.birth_index = (
            identity.blind_index("birth", f"{birth.isoformat()}|{self.municipality_id}")
            if birth
            else ""
        )
        self.birth_year_index = (
            identity.birth_year_index(birth.year, self.municipality_id) if birth else ""
        )


class ConsentGiver(models.TextChoices):
    PERSON = "person", _("The person")
    GUARDIAN = "guardian", _("Parent or guardian")


class Purpose(models.TextChoices):
    PARTICIPATION = "participation", _("Program participation")
    SHARING = "sharing", _("Data sharing with named organizations")
    FOLLOW_UP = "follow_up", _("Follow-up contact")


class Consent(models.Model):
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="consents", verbose_name=_("person")
    )
    given_by = models.CharField(_("given by"), max_length=10, choices=ConsentGiver.choices)
    guardian_name = EncryptedTextField(_("name of the parent or guardian"), blank=True)
    given_on = models.DateField(_("given on"))
    participation = models.BooleanField(_("program participation"), default=False)
    follow_up = models.BooleanField(_("follow-up contact"), default=False)
    share_with = models.ManyToManyField(
        "organizations.Organization",
        blank=True,
        related_name="+",
        verbose_name=_("may share data with"),
    )
    shared_fields = models.JSONField(
        _("personal fields that may be shared"), default=list, blank=True
    )
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-given_on", "-id"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")

    def __str__(self) -> str:
        return f"{self.person.pid} {self.given_on}"

    def active_on(self, day: dt.date) -> bool:
        return self.given_on <= day and (self.withdrawn_on is None or self.withdrawn_on > day)

    def clean(self) -> None:
        errors = {}
        try:  # an import checks the consent of a person it has not saved yet
            person = self.person
        except Person.DoesNotExist:
            person = None
        if (
            person is not None
            and self.given_by == ConsentGiver.PERSON
            and self.given_on is not None
            and person.is_minor_on(self.given_on)
        ):
            errors["given_by"] = ValidationError(
                _(
                    "The person is a minor (or the birth date is unknown): a parent or guardian "
                    "gives the consent."
                ),
                code="minor_needs_guardian",
            )
        if self.given_by == ConsentGiver.GUARDIAN and not self.guardian_name:
            errors["guardian_name"] = ValidationError(
                _("Write the name of the parent or guardian who gave the consent."),
                code="guardian_name_missing",
            )
        unknown = sorted(set(self.shared_fields) - set(PERSONAL_FIELDS))
        if unknown:
            errors["shared_fields"] = ValidationError(
                _("Unknown fields: %(fields)s."),
                code="unknown_field",
                params={"fields": ", ".join(unknown)},
            )
        if self.withdrawn_on and self.withdrawn_on < self.given_on:
            errors["withdrawn_on"] = ValidationError(
                _("A consent cannot be withdrawn before it was given."), code="withdrawn_early"
            )
        if errors:
            raise ValidationError(errors)
