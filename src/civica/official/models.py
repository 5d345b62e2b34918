"""Records about official statistics that people edit; the figures live in the warehouse."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from civica.warehouse.sesnsp import CRIME_LEVELS


class Crosswalk(models.Model):
    """How a crime of the 2015–2025 catalogue continues in the 2026 RNID catalogue.

    SESNSP's 2026 catalogue split and renamed categories, so a series that crosses the break
    is refused unless an administrator states here which RNID category continues it.
    """

    level = models.CharField(
        _("catalogue level"), max_length=16, choices=[(v, v) for v in CRIME_LEVELS]
    )
    name_2015 = models.CharField(_("name in the 2015–2025 catalogue"), max_length=200)
    name_rnid = models.CharField(_("name in the 2026 RNID catalogue"), max_length=200)
    note = models.TextField(_("justification"), blank=True)

    class Meta:
        verbose_name = _("methodology crosswalk")
        verbose_name_plural = _("methodology crosswalks")
        constraints = [
            models.UniqueConstraint(fields=["level", "name_2015"], name="crosswalk_unique_2015")
        ]

    def __str__(self) -> str:
        return f"{self.name_2015} → {self.name_rnid}"
