"""The territory catalogue: states, municipalities, sectors and their population.

Geometries are stored as GeoJSON text in WGS84 (lon/lat) so the same schema works on SQLite
and PostgreSQL without spatial extensions; geometric work happens in shapely/GeoPandas.
INEGI codes (CVEGEO) are the keys; names are labels and never used to join.
"""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

STATE_CODE = RegexValidator(r"^\d{2}$", _("A state code has two digits, e.g. 09."))
MUNICIPALITY_CODE = RegexValidator(
    r"^\d{5}$", _("A municipality code (CVEGEO) has five digits, e.g. 09015.")
)


class State(models.Model):
    code = models.CharField(_("INEGI code"), max_length=2, unique=True, validators=[STATE_CODE])
    name = models.CharField(_("name"), max_length=120)
    abbreviation = models.CharField(_("abbreviation"), max_length=12, blank=True)
    geometry = models.TextField(_("boundary (GeoJSON)"), blank=True)
    area_km2 = models.FloatField(_("area (km²)"), null=True, blank=True)
    synthetic = models.BooleanField(
        _("synthetic"), default=False, help_text=_("Generated demo data, not a real place.")
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("state")
        verbose_name_plural = _("states")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class MunicipalityQuerySet(models.QuerySet):
    def with_boundary(self):
        return self.exclude(geometry="")

    def without_boundary(self):
        return self.filter(geometry="")

    def for_choices(self):
        """The catalogue as a form's list to choose from: names and states only, by name (a
        boundary's GeoJSON is kilobytes; loading the 2,475 of them made every form with the
        list take half a second), labelled by :meth:`Municipality.choice_label`."""
        return (
            self.select_related("state")
            .only("id", "name", "state__name")
            .order_by("name", "state__name")
        )


class Municipality(models.Model):
    cvegeo = models.CharField(
        _("CVEGEO"), max_length=5, unique=True, validators=[MUNICIPALITY_CODE]
    )
    state = models.ForeignKey(
        State, on_delete=models.PROTECT, related_name="municipalities", verbose_name=_("state")
    )
    name = models.CharField(_("name"), max_length=160)
    geometry = models.TextField(_("boundary (GeoJSON)"), blank=True)
    area_km2 = models.FloatField(_("area (km²)"), null=True, blank=True)
    synthetic = models.BooleanField(_("synthetic"), default=False)

    objects = MunicipalityQuerySet.as_manager()

    class Meta:
        ordering = ["cvegeo"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")

    def __str__(self) -> str:
        return f"{self.cvegeo} {self.name}"

    def choice_label(self) -> str:
        # Names first (typing a letter jumps there on a phone), the state to tell apart
        # namesakes such as the many "Benito Juárez".
        return f"{self.name} ({self.state.name})"

    @property
    def has_boundary(self) -> bool:
        return bool(self.geometry)


class PopulationEstimate(models.Model):
    """Mid-year population of a state (municipality empty) or a municipality, by sex."""

    state = models.ForeignKey(State, on_delete=models.CASCADE, related_name="population")
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, null=True, blank=True, related_name="population"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    total = models.PositiveBigIntegerField(_("total"))
    men = models.PositiveBigIntegerField(_("men"), null=True, blank=True)
    women = models.PositiveBigIntegerField(_("women"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=80, default="CONAPO 2023")

    class Meta:
        ordering = ["state", "municipality", "year"]
        verbose_name = _("population estimate")
        verbose_name_plural = _("population estimates")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "year"],
                condition=models.Q(municipality__isnull=False),
                name="population_unique_municipality_year",
            ),
            models.UniqueConstraint(
                fields=["state", "year"],
                condition=models.Q(municipality__isnull=True),
                name="population_unique_state_year",
            ),
        ]

    def __str__(self) -> str:
        area = self.municipality or self.state
        return f"{area} {self.year}: {self.total}"


class SectorKind(models.TextChoices):
    SECTOR = "sector", _("Police sector")
    CUADRANTE = "cuadrante", _("Cuadrante")
    OTHER = "other", _("Other area")


class SectorQuerySet(models.QuerySet):
    def in_municipalities(self, municipality_ids):
        """Sectors of the given municipalities; ``None`` means no restriction."""
        if municipality_ids is None:
            return self
        return self.filter(municipality_id__in=municipality_ids)


class Sector(models.Model):
    """A named polygon below a municipality: a police sector, a cuadrante or any other area."""

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="sectors",
        verbose_name=_("municipality"),
    )
    layer = models.CharField(
        _("layer"), max_length=80, help_text=_("The set this polygon was imported with.")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=SectorKind.choices)
    name = models.CharField(_("name"), max_length=120)
    geometry = models.TextField(_("boundary (GeoJSON)"))
    area_km2 = models.FloatField(_("area (km²)"), null=True, blank=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    properties = models.JSONField(_("source attributes"), default=dict, blank=True)
    synthetic = models.BooleanField(_("synthetic"), default=False)

    objects = SectorQuerySet.as_manager()

    class Meta:
        ordering = ["municipality__cvegeo", "layer", "name"]
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")
        constraints = [
            models.UniqueConstraint(fields=["layer", "name"], name="sector_unique_layer_name")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.layer})"
