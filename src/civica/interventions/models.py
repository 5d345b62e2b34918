"""Interventions in sectors of a municipality, and the evaluation designs saved for them.

An evaluation design is written down before any result is looked at (DOMAIN.md §7): once
:func:`civica.interventions.services.lock_design` stamps ``locked_at`` the design can no
longer be changed or deleted, so the windows and comparison areas cannot be tuned to the
answer.

Many-to-many fields are not available to ``clean()`` before the record is saved, so the
sectors about to be set are staged with ``stage_target_sectors`` / ``stage_comparison_sectors``
(services and admin forms do it); without a staged set, ``clean()`` checks the stored one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.db.models.signals import m2m_changed
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from civica.territory.models import Sector

LENGTH_TOLERANCE_DAYS = 1


class InterventionKind(models.TextChoices):
    CIVIC_JUSTICE = "civic_justice", _("Civic-justice roll-out")
    PROBLEM_SOLVING = "problem_solving", _("Problem-solving response")
    PATROL = "patrol", _("Patrol or proximity policing")
    ENVIRONMENTAL_DESIGN = "environmental_design", _("Environmental design")
    YOUTH_PROGRAM = "youth_program", _("Youth program")
    OTHER = "other", _("Other")


class DataSource(models.TextChoices):
    INCIDENTS = "incidents", _("Local incident layer")
    SESNSP = "sesnsp", _("SESNSP municipal statistics")


class Method(models.TextChoices):
    BEFORE_AFTER = "before_after", _("Before/after with comparison sectors (RIRR)")
    PANEL = "panel", _("Panel of sectors by month (fixed effects; staggered starts)")
    SYNTHETIC_CONTROL = "synthetic_control", _("Synthetic control of the municipality")


METHOD_SOURCE = {
    Method.BEFORE_AFTER: DataSource.INCIDENTS,
    Method.PANEL: DataSource.INCIDENTS,
    Method.SYNTHETIC_CONTROL: DataSource.SESNSP,
}


class OutcomeScale(models.TextChoices):
    AUTO = "auto", _("Rates when the municipalities' sizes differ widely, else counts")
    COUNTS = "counts", _("Monthly counts")
    RATE = "rate", _("Monthly rates per 100,000 inhabitants")


class DonorPool(models.TextChoices):
    STATE = "state", _("Other municipalities of the same state")
    NATION = "nation", _("Every other municipality of Mexico")


def names_list(names: list[str]) -> str:
    """Names joined as a reader writes them: "A", "A and B", "A, B and C" (translated)."""
    if len(names) <= 1:
        return "".join(names)
    return _("%(first)s and %(last)s") % {"first": ", ".join(names[:-1]), "last": names[-1]}


def _add(errors: dict, field: str, message, code: str, params: dict | None = None) -> None:
    errors.setdefault(field, []).append(ValidationError(message, code=code, params=params))


class Intervention(models.Model):
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=24, choices=InterventionKind.choices)
    municipality = models.ForeignKey(
        "territory.Municipality",
        on_delete=models.PROTECT,
        related_name="interventions",
        verbose_name=_("municipality"),
    )
    more_municipalities = models.ManyToManyField(
        "territory.Municipality",
        blank=True,
        related_name="interventions_also",
        verbose_name=_("other municipalities"),
        help_text=_(
            "Further municipalities of the same state whose sectors the intervention also "
            "targets (a program across several alcaldías)."
        ),
    )
    target_sectors = models.ManyToManyField(
        Sector,
        blank=True,
        related_name="interventions",
        verbose_name=_("target sectors"),
        help_text=_("Sectors of the intervention's municipalities where it takes place."),
    )
    target_crimes = models.JSONField(
        _("target crimes"),
        default=list,
        help_text=_(
            "Crime names as written in the incident layer or the SESNSP subtipo, one per item."
        ),
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    ramp_up_days = models.IntegerField(
        _("ramp-up days"),
        default=0,
        help_text=_("Days after the start before the intervention is at full strength."),
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="interventions",
        verbose_name=_("organization"),
    )
    activity_name = models.CharField(_("activity"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["municipality__cvegeo", "-start_date", "name"]
        verbose_name = _("intervention")
        verbose_name_plural = _("interventions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ramp_up_days__gte=0), name="intervention_ramp_up_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="intervention_end_not_before_start",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def stage_target_sectors(self, sectors: Iterable[Sector]) -> None:
        """The sectors ``clean()`` should check instead of the stored ones."""
        self._staged_target_sectors = list(sectors)

    def stage_more_municipalities(self, municipalities) -> None:
        """The further municipalities ``clean()`` should check instead of the stored ones."""
        self._staged_more_municipalities = list(municipalities)

    def _more_municipalities_to_check(self) -> list:
        staged = getattr(self, "_staged_more_municipalities", None)
        if staged is not None:
            return staged
        return list(self.more_municipalities.all()) if self.pk else []

    def municipalities(self) -> list:
        """Every municipality of the intervention: its own first, then the others by code."""
        if self.municipality_id is None:
            return []
        others = sorted(
            (m for m in self._more_municipalities_to_check() if m.pk != self.municipality_id),
            key=lambda m: m.cvegeo,
        )
        return [self.municipality, *others]

    @property
    def municipality_ids(self) -> set[int]:
        return {m.pk for m in self.municipalities()}

    @property
    def places_label(self) -> str:
        """Every municipality's name, in the reader's language ("A, B and C")."""
        return names_list([m.name for m in self.municipalities()])

    @property
    def is_multi_municipality(self) -> bool:
        return len(self.municipalities()) > 1

    def _target_sectors_to_check(self) -> list[Sector]:
        staged = getattr(self, "_staged_target_sectors", None)
        if staged is not None:
            return staged
        return list(self.target_sectors.all()) if self.pk else []

    def clean(self):
        errors: dict = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            _add(
                errors,
                "end_date",
                _("The end date %(end)s is before the start date %(start)s; correct either date."),
                "end_before_start",
                {"end": self.end_date, "start": self.start_date},
            )
        if self.ramp_up_days is not None and self.ramp_up_days < 0:
            _add(
                errors,
                "ramp_up_days",
                _("Ramp-up days cannot be negative; enter 0 if there is no ramp-up."),
                "negative_ramp_up",
            )
        crimes = self.target_crimes
        if not isinstance(crimes, list) or not [c for c in crimes if str(c).strip()]:
            _add(
                errors,
                "target_crimes",
                _(
                    "List at least one target crime, written as in the incident layer "
                    "or the SESNSP subtipo."
                ),
                "no_target_crimes",
            )
        elif any(not isinstance(c, str) or not c.strip() for c in crimes):
            _add(
                errors,
                "target_crimes",
                _("Every target crime must be a non-empty name; remove the empty items."),
                "blank_target_crime",
            )
        if self.municipality_id is not None:
            self._clean_municipalities(errors)
            allowed = self.municipality_ids
            foreign = [
                s for s in self._target_sectors_to_check() if s.municipality_id not in allowed
            ]
            if foreign:
                _add(
                    errors,
                    "target_sectors",
                    _(
                        "These sectors are not in %(municipality)s: %(sectors)s. "
                        "Choose sectors of the intervention's municipalities, or add theirs."
                    ),
                    "sector_of_another_municipality",
                    {
                        "municipality": self.places_label,
                        "sectors": ", ".join(s.name for s in foreign),
                    },
                )
        self._clean_against_locked_designs(errors)
        if errors:
            raise ValidationError(errors)

    def _clean_municipalities(self, errors):
        """A program across places stays inside one state (one city's alcaldías); results of
        several cities are pooled by the program summary, not by one intervention."""
        others = [m for m in self._more_municipalities_to_check() if m.pk != self.municipality_id]
        elsewhere = [m for m in others if m.state_id != self.municipality.state_id]
        if elsewhere:
            _add(
                errors,
                "more_municipalities",
                _(
                    "These municipalities are in another state than %(municipality)s: "
                    "%(others)s. Register one intervention per state; the program summary "
                    "pools them."
                ),
                "municipality_of_another_state",
                {
                    "municipality": self.municipality.name,
                    "others": ", ".join(m.name for m in elsewhere),
                },
            )

    def _clean_against_locked_designs(self, errors):
        """What a locked design was built on cannot move under it (the windows were checked
        against these dates and sectors)."""
        if self.pk is None or not self.designs.filter(locked_at__isnull=False).exists():
            return
        stored = type(self).objects.get(pk=self.pk)
        message = _(
            "An evaluation design of this intervention is locked, and it was checked against "
            "this value; create a new intervention instead of changing it."
        )
        for field in ("start_date", "ramp_up_days", "municipality_id"):
            if getattr(stored, field) != getattr(self, field):
                _add(errors, field.removesuffix("_id"), message, "locked_by_design")
        staged = getattr(self, "_staged_target_sectors", None)
        if staged is not None and {s.pk for s in staged} != set(
            stored.target_sectors.values_list("pk", flat=True)
        ):
            _add(errors, "target_sectors", message, "locked_by_design")
        places = getattr(self, "_staged_more_municipalities", None)
        if places is not None and {m.pk for m in places} - {self.municipality_id} != set(
            stored.more_municipalities.values_list("pk", flat=True)
        ):
            _add(errors, "more_municipalities", message, "locked_by_design")

    @property
    def full_strength_date(self) -> dt.date:
        """The first day after the ramp-up: the earliest start of an after window."""
        return self.start_date + dt.timedelta(days=self.ramp_up_days)


class DesignLockedError(ValidationError):
    """A locked evaluation design was about to change."""


LOCKED_MESSAGE = _(
    "This evaluation design was locked on %(locked_at)s, before its results were shown, and "
    "can no longer change. Create a new design for a different analysis."
)


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year + years, day=28)


def _days(start: dt.date, end: dt.date) -> int:
    return (end - start).days + 1


class EvaluationDesign(models.Model):
    intervention = models.ForeignKey(
        Intervention,
        on_delete=models.PROTECT,
        related_name="designs",
        verbose_name=_("intervention"),
    )
    source = models.CharField(
        _("data source"), max_length=12, choices=DataSource.choices, default=DataSource.INCIDENTS
    )
    method = models.CharField(
        _("method"), max_length=20, choices=Method.choices, default=Method.BEFORE_AFTER
    )
    donor_pool = models.CharField(
        _("donor pool"),
        max_length=8,
        choices=DonorPool.choices,
        default=DonorPool.STATE,
        help_text=_("For a synthetic control: the municipalities it may be built from."),
    )
    outcome_scale = models.CharField(
        _("outcome scale"),
        max_length=8,
        choices=OutcomeScale.choices,
        default=OutcomeScale.AUTO,
        help_text=_(
            "For a synthetic control: counts, or rates per 100,000 inhabitants so that towns "
            "of very different size can be mixed."
        ),
    )
    incident_layer = models.CharField(
        _("incident layer"),
        max_length=80,
        blank=True,
        help_text=_("Name of the incident layer, when the source is a local incident layer."),
    )
    before_start = models.DateField(_("before window start"))
    before_end = models.DateField(_("before window end"))
    after_start = models.DateField(_("after window start"))
    after_end = models.DateField(_("after window end"))
    comparison_sectors = models.ManyToManyField(
        Sector,
        blank=True,
        related_name="comparison_in_designs",
        verbose_name=_("comparison sectors"),
    )
    buffer_metres = models.PositiveIntegerField(
        _("buffer (metres)"),
        null=True,
        blank=True,
        help_text=_("Width of the ring around the target sectors used to look for displacement."),
    )
    notes = models.TextField(_("notes"), blank=True)
    locked_at = models.DateTimeField(_("locked"), null=True, blank=True, editable=False)
    frozen = models.JSONField(
        _("frozen at lock"),
        default=dict,
        blank=True,
        editable=False,
        help_text=_(
            "What the result depends on besides these fields, fixed when the design was "
            "locked: data version, treated cohorts, comparison or donor pool."
        ),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["intervention", "created_at"]
        verbose_name = _("evaluation design")
        verbose_name_plural = _("evaluation designs")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(buffer_metres__isnull=True) | models.Q(buffer_metres__gt=0),
                name="design_buffer_positive",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.intervention}: {self.before_start}–{self.before_end} / "
            f"{self.after_start}–{self.after_end}"
        )

    def save(self, *args, **kwargs):
        locked_at = self.stored_locked_at()
        if locked_at is not None:
            raise self._locked_error(locked_at)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        locked_at = self.stored_locked_at()
        if locked_at is not None:
            raise self._locked_error(locked_at)
        return super().delete(*args, **kwargs)

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None

    def stored_locked_at(self) -> dt.datetime | None:
        """When the stored row was locked; the in-memory value may have been tampered with."""
        if self.pk is None:
            return None
        return type(self).objects.filter(pk=self.pk).values_list("locked_at", flat=True).first()

    def _locked_error(self, locked_at) -> DesignLockedError:
        return DesignLockedError(LOCKED_MESSAGE, code="locked", params={"locked_at": locked_at})

    def stage_comparison_sectors(self, sectors: Iterable[Sector]) -> None:
        """The comparison sectors ``clean()`` should check instead of the stored ones."""
        self._staged_comparison_sectors = list(sectors)

    def _comparison_sectors_to_check(self) -> list[Sector]:
        staged = getattr(self, "_staged_comparison_sectors", None)
        if staged is not None:
            return staged
        return list(self.comparison_sectors.all()) if self.pk else []

    def clean(self):
        locked_at = self.stored_locked_at()
        if locked_at is not None:
            raise ValidationError({NON_FIELD_ERRORS: [self._locked_error(locked_at)]})
        errors: dict = {}
        self._clean_source(errors)
        if self.buffer_metres is not None and self.buffer_metres <= 0:
            _add(
                errors,
                "buffer_metres",
                _("The buffer must be a positive number of metres; leave it empty for none."),
                "buffer_not_positive",
            )
        windows_ok = self._clean_window_order(errors)
        if windows_ok:
            self._clean_windows(errors)
            if self.intervention_id is not None:
                self._clean_against_intervention(errors)
        if self.intervention_id is not None:
            self._clean_comparison(errors)
        if errors:
            raise ValidationError(errors)

    def _clean_source(self, errors):
        if self.source == DataSource.INCIDENTS and not self.incident_layer.strip():
            _add(
                errors,
                "incident_layer",
                _("Name the incident layer to count crimes in, or choose the SESNSP source."),
                "layer_missing",
            )
        if self.source == DataSource.SESNSP and self.incident_layer.strip():
            _add(
                errors,
                "incident_layer",
                _("SESNSP statistics have no incident layer; leave the layer empty."),
                "layer_with_sesnsp",
            )
        if self.method in METHOD_SOURCE and METHOD_SOURCE[self.method] != self.source:
            _add(
                errors,
                "method",
                _("The method %(method)s needs the data source %(source)s."),
                "method_needs_other_source",
                {
                    "method": Method(self.method).label,
                    "source": DataSource(METHOD_SOURCE[self.method]).label,
                },
            )
        if self.source == DataSource.SESNSP:
            self._clean_monthly_windows(errors)
            if self.buffer_metres:
                _add(
                    errors,
                    "buffer_metres",
                    _("SESNSP statistics are by municipality; leave the buffer empty."),
                    "buffer_with_sesnsp",
                )
            if self._comparison_sectors_to_check():
                _add(
                    errors,
                    "comparison_sectors",
                    _(
                        "A synthetic control is built from other municipalities (the donor "
                        "pool), not from sectors; leave the comparison sectors empty."
                    ),
                    "sectors_with_sesnsp",
                )

    def _clean_monthly_windows(self, errors):
        """SESNSP counts are monthly: windows must be whole calendar months."""
        for field in ("before_start", "after_start"):
            day = getattr(self, field)
            if day is not None and day.day != 1:
                _add(
                    errors,
                    field,
                    _("SESNSP counts are monthly: start the window on the 1st (%(day)s)."),
                    "window_not_whole_months",
                    {"day": day.replace(day=1)},
                )
        for field in ("before_end", "after_end"):
            day = getattr(self, field)
            if day is not None and (day + dt.timedelta(days=1)).day != 1:
                last = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
                _add(
                    errors,
                    field,
                    _("SESNSP counts are monthly: end the window on the last day (%(day)s)."),
                    "window_not_whole_months",
                    {"day": last - dt.timedelta(days=1)},
                )

    def _clean_window_order(self, errors) -> bool:
        dates = (self.before_start, self.before_end, self.after_start, self.after_end)
        if any(d is None for d in dates):
            return False
        ok = True
        for name, start, end, field in (
            (_("before"), self.before_start, self.before_end, "before_end"),
            (_("after"), self.after_start, self.after_end, "after_end"),
        ):
            if end < start:
                ok = False
                _add(
                    errors,
                    field,
                    _(
                        "The %(window)s window ends (%(end)s) before it starts (%(start)s); "
                        "swap or correct the dates."
                    ),
                    "window_reversed",
                    {"window": name, "start": start, "end": end},
                )
        return ok

    def _clean_windows(self, errors):
        before_days = _days(self.before_start, self.before_end)
        after_days = _days(self.after_start, self.after_end)
        if abs(before_days - after_days) > LENGTH_TOLERANCE_DAYS:
            _add(
                errors,
                "after_end",
                _(
                    "The before window has %(before)s days and the after window %(after)s; "
                    "make them the same length (one day of difference is allowed for leap "
                    "years)."
                ),
                "unequal_windows",
                {"before": before_days, "after": after_days},
            )
        overlap = self.after_start <= self.before_end and self.before_start <= self.after_end
        if overlap:
            _add(
                errors,
                "after_start",
                _(
                    "The before window (%(bs)s to %(be)s) and the after window (%(as)s to "
                    "%(ae)s) overlap; a day cannot be both before and after."
                ),
                "windows_overlap",
                {
                    "bs": self.before_start,
                    "be": self.before_end,
                    "as": self.after_start,
                    "ae": self.after_end,
                },
            )
        years = self.after_start.year - self.before_start.year
        if years < 1 or _add_years(self.before_start, years) != self.after_start:
            suggestion = _add_years(self.before_start, max(years, 1))
            _add(
                errors,
                "after_start",
                _(
                    "The after window starts on %(after)s, which is not a whole number of "
                    "years after the before window's start (%(before)s); start it on the same "
                    "calendar day, e.g. %(suggestion)s, so both windows cover the same season."
                ),
                "not_season_aligned",
                {
                    "after": self.after_start,
                    "before": self.before_start,
                    "suggestion": suggestion,
                },
            )

    def _clean_against_intervention(self, errors):
        intervention = self.intervention
        if self.before_end >= intervention.start_date:
            _add(
                errors,
                "before_end",
                _(
                    "The before window ends on %(end)s, not before the intervention starts "
                    "(%(start)s); end it on %(latest)s at the latest."
                ),
                "before_not_before_start",
                {
                    "end": self.before_end,
                    "start": intervention.start_date,
                    "latest": intervention.start_date - dt.timedelta(days=1),
                },
            )
        earliest = intervention.full_strength_date
        if self.after_start < earliest:
            _add(
                errors,
                "after_start",
                _(
                    "The after window starts on %(after)s, inside the %(days)s ramp-up days "
                    "that follow the start (%(start)s); start it on %(earliest)s or later."
                ),
                "after_in_ramp_up",
                {
                    "after": self.after_start,
                    "days": intervention.ramp_up_days,
                    "start": intervention.start_date,
                    "earliest": earliest,
                },
            )

    def _clean_comparison(self, errors):
        target_ids = set(self.intervention.target_sectors.values_list("id", flat=True))
        shared = [s for s in self._comparison_sectors_to_check() if s.id in target_ids]
        if shared:
            _add(
                errors,
                "comparison_sectors",
                _(
                    "These comparison sectors are also target sectors of the intervention: "
                    "%(sectors)s. Remove them from the comparison."
                ),
                "comparison_includes_target",
                {"sectors": ", ".join(s.name for s in shared)},
            )


@receiver(m2m_changed, sender=EvaluationDesign.comparison_sectors.through)
def _refuse_comparison_changes_when_locked(sender, instance, action, reverse, pk_set, **kwargs):
    if not action.startswith("pre_"):
        return
    if not reverse:
        designs = [instance]
    elif action == "pre_clear":
        designs = list(instance.comparison_in_designs.all())
    else:
        designs = list(EvaluationDesign.objects.filter(pk__in=pk_set or ()))
    for design in designs:
        locked_at = design.stored_locked_at()
        if locked_at is not None:
            raise design._locked_error(locked_at)
