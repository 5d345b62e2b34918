"""Organizations that take part in a program; users belong to them for scoping."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganizationKind(models.TextChoices):
    IMPLEMENTER = "implementer", _("Implementing partner")
    MUNICIPAL_GOVERNMENT = "municipal", _("Municipal government")
    STATE_GOVERNMENT = "state", _("State government")
    FEDERAL_GOVERNMENT = "federal", _("Federal government")
    CIVIL_SOCIETY = "civil_society", _("Civil society")
    PRIVATE_SECTOR = "private", _("Private sector")
    ACADEMIA = "academia", _("Academia")
    DONOR = "donor", _("Donor")


# Kinds whose staff work with persons (consent to share with them, refer persons to them);
# donors, companies and federal agencies fund or regulate instead.
SERVES_PERSONS = (
    OrganizationKind.IMPLEMENTER,
    OrganizationKind.MUNICIPAL_GOVERNMENT,
    OrganizationKind.STATE_GOVERNMENT,
    OrganizationKind.CIVIL_SOCIETY,
    OrganizationKind.ACADEMIA,
)


class OrganizationQuerySet(models.QuerySet):
    def serving_persons(self):
        """Organizations a person can be referred to or share data with."""
        return self.filter(kind__in=SERVES_PERSONS)


class Organization(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganizationKind.choices)
    municipality = models.ForeignKey(
        "territory.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organizations",
        verbose_name=_("municipality"),
    )
    synthetic = models.BooleanField(_("synthetic"), default=False)

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")

    def __str__(self) -> str:
        return self.name


class Alliance(models.Model):
    """Organizations working together toward one purpose for a time, e.g. private-sector
    financing of local police in Mexicali and Ensenada (DOMAIN.md §1)."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    purpose = models.TextField(_("purpose"))
    members = models.ManyToManyField(
        Organization, related_name="alliances", verbose_name=_("members")
    )
    municipalities = models.ManyToManyField(
        "territory.Municipality",
        blank=True,
        related_name="alliances",
        verbose_name=_("municipalities"),
        help_text=_("Where the alliance works; leave empty when it is not tied to a place."),
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    synthetic = models.BooleanField(_("synthetic"), default=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("alliance")
        verbose_name_plural = _("alliances")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="alliance_end_not_before_start",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError(
                {
                    "end_date": _(
                        "The end date %(end)s is before the start date %(start)s; "
                        "correct either date."
                    )
                    % {"end": self.end_date, "start": self.start_date}
                }
            )
