"""The catalogue of faltas of a municipality, held as versioned data.

No national coded catalogue of faltas exists: each municipality's Bando or Reglamento is its
own (DOMAIN.md §4). A :class:`OffenceCatalogue` is one version of one municipality's
ordenamiento, valid over a period; its :class:`SanctionClass` rows give the ranges a judge
may impose (fine in UMA, in a local unit such as CDMX's Unidad de Cuenta, or in pesos;
community-work hours; arrest hours, never above 36), and each :class:`Offence` (article,
fraction, text) belongs to a class and to one of the four national families of CDMX's Ley de
Cultura Cívica (or "otra").
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

#: The constitutional ceiling of an administrative arrest, counted from the detention
#: (CPEUM art. 21).
MAX_ARREST_HOURS = 36


class Family(models.TextChoices):
    DIGNITY = "dignidad", _("Against the dignity of persons")
    TRANQUILLITY = "tranquilidad", _("Against the tranquillity of persons")
    CITIZEN_SAFETY = "seguridad", _("Against citizen safety")
    URBAN_ENVIRONMENT = "entorno", _("Against the urban environment")
    OTHER = "otra", _("Other")


class FineUnit(models.TextChoices):
    UMA = "UMA", _("UMA (Unidad de Medida y Actualización)")
    LOCAL = "UC", _("Local unit (e.g. CDMX Unidad de Cuenta)")
    PESOS = "MXN", _("Pesos")


class OffenceCatalogue(models.Model):
    """One version of a municipality's catalogue of faltas."""

    municipality = models.ForeignKey(
        "territory.Municipality",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("municipality"),
    )
    ordenamiento = models.CharField(
        _("legal text"),
        max_length=300,
        help_text=_("The Bando, Reglamento or Ley that defines the faltas."),
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    fine_unit = models.CharField(
        _("fine unit"), max_length=3, choices=FineUnit.choices, default=FineUnit.UMA
    )
    unit_value = models.DecimalField(
        _("value of one unit in pesos"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Used to compare a fine with a day's wage; pesos per unit."),
    )
    reincidents_may_commute = models.BooleanField(
        _("reincidents may ask for commutation"),
        default=True,
        help_text=_("A municipal rule: many municipalities refuse commutation to reincidents."),
    )
    source = models.TextField(_("source"), blank=True)
    synthetic = models.BooleanField(_("synthetic"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["municipality", "-valid_from"]
        verbose_name = _("catalogue of faltas")
        verbose_name_plural = _("catalogues of faltas")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "valid_from"], name="justice_catalogue_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.ordenamiento} ({self.valid_from.isoformat()})"

    def clean(self) -> None:
        if self.valid_to and self.valid_from and self.valid_to < self.valid_from:
            raise ValidationError(
                {"valid_to": _("The end of validity is before its start.")}, code="dates"
            )

    def covers(self, day) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


class SanctionClass(models.Model):
    """The ranges of one sanction class (A, B, C, D … of the ordenamiento)."""

    catalogue = models.ForeignKey(
        OffenceCatalogue, on_delete=models.CASCADE, related_name="classes"
    )
    code = models.CharField(_("class"), max_length=8)
    fine_min = models.DecimalField(_("minimum fine"), max_digits=10, decimal_places=2, default=0)
    fine_max = models.DecimalField(_("maximum fine"), max_digits=10, decimal_places=2, default=0)
    community_hours_min = models.PositiveSmallIntegerField(
        _("minimum community-work hours"), default=0
    )
    community_hours_max = models.PositiveSmallIntegerField(
        _("maximum community-work hours"), default=0
    )
    arrest_hours_min = models.PositiveSmallIntegerField(
        _("minimum arrest hours"), default=0, validators=[MaxValueValidator(MAX_ARREST_HOURS)]
    )
    arrest_hours_max = models.PositiveSmallIntegerField(
        _("maximum arrest hours"), default=0, validators=[MaxValueValidator(MAX_ARREST_HOURS)]
    )

    class Meta:
        ordering = ["catalogue", "code"]
        verbose_name = _("sanction class")
        verbose_name_plural = _("sanction classes")
        constraints = [
            models.UniqueConstraint(fields=["catalogue", "code"], name="justice_class_code")
        ]

    def __str__(self) -> str:
        return self.code

    def clean(self) -> None:
        errors = {}
        pairs = (
            ("fine_max", self.fine_min, self.fine_max),
            ("community_hours_max", self.community_hours_min, self.community_hours_max),
            ("arrest_hours_max", self.arrest_hours_min, self.arrest_hours_max),
        )
        for field, low, high in pairs:
            if low is not None and high is not None and Decimal(high) < Decimal(low):
                errors[field] = ValidationError(
                    _("The maximum is below the minimum."), code="range"
                )
        if (self.arrest_hours_max or 0) > MAX_ARREST_HOURS:
            errors["arrest_hours_max"] = ValidationError(
                _("An arrest lasts at most 36 hours."), code="arrest_36"
            )
        if errors:
            raise ValidationError(errors)

    @property
    def has_fine(self) -> bool:
        return self.fine_max > 0


class Offence(models.Model):
    """One falta of the catalogue: article, fraction, text, class and family."""

    catalogue = models.ForeignKey(
        OffenceCatalogue, on_delete=models.CASCADE, related_name="offences"
    )
    code = models.CharField(_("code"), max_length=40)
    article = models.CharField(_("article"), max_length=20)
    fraction = models.CharField(_("fraction"), max_length=20, blank=True)
    text = models.TextField(_("text"))
    family = models.CharField(_("family"), max_length=12, choices=Family.choices)
    sanction_class = models.ForeignKey(
        SanctionClass,
        on_delete=models.PROTECT,
        related_name="offences",
        verbose_name=_("sanction class"),
    )
    commutable = models.BooleanField(_("commutable"), default=True)
    conciliable = models.BooleanField(_("may be settled by conciliation"), default=False)
    needs_complaint = models.BooleanField(_("needs a complaint"), default=False)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["catalogue", "id"]
        verbose_name = _("falta")
        verbose_name_plural = _("faltas")
        constraints = [
            models.UniqueConstraint(fields=["catalogue", "code"], name="justice_offence_code")
        ]

    def __str__(self) -> str:
        where = f"art. {self.article}" + (f" fr. {self.fraction}" if self.fraction else "")
        return f"{self.code} — {where}"

    def clean(self) -> None:
        if (
            self.sanction_class_id
            and self.catalogue_id
            and self.sanction_class.catalogue_id != self.catalogue_id
        ):
            raise ValidationError(
                {"sanction_class": _("The class belongs to another catalogue.")}, code="class"
            )
