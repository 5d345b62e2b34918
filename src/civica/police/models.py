"""The municipality's own police records: what a municipal security secretariat keeps.

Every record belongs to one municipality (the scope a user reads and edits) and is dated, so
indicators are computed "as of" a date or for a year. Counts are aggregates (officers per
rank, function and sex), never persons: no personal data is kept here.
"""

from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from civica.territory.models import Municipality


class Function(models.TextChoices):
    PROXIMITY = "proximity", _("Proximity")
    PREVENTION = "prevention", _("Prevention")
    REACTION = "reaction", _("Reaction")
    INVESTIGATION = "investigation", _("Investigation")
    ADMINISTRATIVE = "administrative", _("Administrative and support")


# Operational preventive functions: the Modelo Óptimo counts these (not investigation, not
# administrative staff).
PREVENTIVE_FUNCTIONS = (Function.PROXIMITY, Function.PREVENTION, Function.REACTION)


class Sex(models.TextChoices):
    MEN = "men", _("Men")
    WOMEN = "women", _("Women")


class Scheme(models.TextChoices):
    H12X24 = "12x24", _("12×24 (12 hours on, 24 off)")
    H24X24 = "24x24", _("24×24 (24 hours on, 24 off)")
    H8 = "8h", _("8 hours a day, 6 days a week")
    H12X36 = "12x36", _("12×36 (12 hours on, 36 off)")


# Average hours a week of each scheme: hours on ÷ (hours on + off) × 168.
WEEKLY_HOURS = {
    Scheme.H12X24: 12 / 36 * 168,  # 56
    Scheme.H24X24: 24 / 48 * 168,  # 84
    Scheme.H8: 8 * 6,  # 48
    Scheme.H12X36: 12 / 48 * 168,  # 42
}


class Movement(models.TextChoices):
    HIRE = "hire", _("Hire")
    EXIT = "exit", _("Exit")


class ExitReason(models.TextChoices):
    RESIGNATION = "resignation", _("Resignation")
    RETIREMENT = "retirement", _("Retirement")
    DISMISSAL = "dismissal", _("Dismissal")
    DEATH = "death", _("Death")
    INJURY = "injury", _("Injury or disability")


class Chapter(models.TextChoices):
    C1000 = "1000", _("1000 Personal services")
    C2000 = "2000", _("2000 Materials and supplies")
    C3000 = "3000", _("3000 General services")
    C4000 = "4000", _("4000 Transfers and subsidies")
    C5000 = "5000", _("5000 Movable and immovable goods")
    C6000 = "6000", _("6000 Public works")


class FundingSource(models.TextChoices):
    OWN = "own", _("Own resources")
    FORTAMUN = "fortamun", "FORTAMUN"
    FASP = "fasp", "FASP"
    FORTASEG = "fortaseg", "FORTASEG"
    STATE = "state", _("State")
    DONOR = "donor", _("Donor")


COUNT = [MinValueValidator(0)]


class _Record(models.Model):
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="+", verbose_name=_("municipality")
    )
    source = models.CharField(_("source file"), max_length=200, blank=True)

    class Meta:
        abstract = True


# Dated records share the date's field too: a snapshot "as of" a day, or a rule "valid from"
# a day. Each class names its own unique constraint (the date is part of every key).
class _AsOf(_Record):
    as_of = models.DateField(_("as of"))

    class Meta:
        abstract = True


class _ValidFrom(_Record):
    valid_from = models.DateField(_("valid from"))

    class Meta:
        abstract = True


class Headcount(_AsOf):
    """Officers of one rank, function and sex on a date (a snapshot of the force)."""

    rank = models.CharField(_("rank"), max_length=80)
    function = models.CharField(_("function"), max_length=16, choices=Function.choices)
    sex = models.CharField(_("sex"), max_length=8, choices=Sex.choices)
    officers = models.PositiveIntegerField(_("officers"), validators=COUNT)

    class Meta:
        verbose_name = _("headcount")
        verbose_name_plural = _("headcounts")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "as_of", "rank", "function", "sex"],
                name="police_headcount_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.as_of} {self.rank} {self.function} {self.sex}: {self.officers}"


class PayStep(_ValidFrom):
    """Monthly pay of one rank from a date, and how many officers hold it."""

    rank = models.CharField(_("rank"), max_length=80)
    gross_monthly = models.DecimalField(
        _("gross monthly pay (MXN)"), max_digits=12, decimal_places=2
    )
    net_monthly = models.DecimalField(_("net monthly pay (MXN)"), max_digits=12, decimal_places=2)
    officers = models.PositiveIntegerField(_("officers"), validators=COUNT)

    class Meta:
        verbose_name = _("pay step")
        verbose_name_plural = _("pay scale")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "valid_from", "rank"], name="police_paystep_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.valid_from} {self.rank}: {self.net_monthly}"


class Benefit(_ValidFrom):
    """A benefit (social security, life insurance, housing …) and the officers it covers."""

    benefit = models.CharField(_("benefit"), max_length=120)
    officers_covered = models.PositiveIntegerField(_("officers covered"), validators=COUNT)
    monthly_cost = models.DecimalField(
        _("monthly cost per officer (MXN)"), max_digits=12, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = _("benefit")
        verbose_name_plural = _("benefits")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "valid_from", "benefit"], name="police_benefit_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.valid_from} {self.benefit}"


class ShiftAssignment(_ValidFrom):
    """Officers working one shift scheme from a date."""

    scheme = models.CharField(_("shift scheme"), max_length=8, choices=Scheme.choices)
    officers = models.PositiveIntegerField(_("officers"), validators=COUNT)

    class Meta:
        verbose_name = _("shift assignment")
        verbose_name_plural = _("shift assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "valid_from", "scheme"], name="police_shift_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.valid_from} {self.scheme}: {self.officers}"

    @property
    def weekly_hours(self) -> float:
        return WEEKLY_HOURS[Scheme(self.scheme)]


class StaffMovement(_Record):
    """Hires, or exits by reason, in one month."""

    month = models.DateField(_("month"), help_text=_("First day of the month."))
    movement = models.CharField(_("movement"), max_length=8, choices=Movement.choices)
    reason = models.CharField(_("reason"), max_length=16, choices=ExitReason.choices, blank=True)
    officers = models.PositiveIntegerField(_("officers"), validators=COUNT)

    class Meta:
        verbose_name = _("hire or exit")
        verbose_name_plural = _("hires and exits")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "month", "movement", "reason"],
                name="police_movement_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.movement} {self.reason}: {self.officers}"


class Certification(_AsOf):
    """Officers of one function with CUP and control de confianza in force on a date."""

    function = models.CharField(_("function"), max_length=16, choices=Function.choices)
    officers = models.PositiveIntegerField(_("officers"), validators=COUNT)
    cup_in_force = models.PositiveIntegerField(_("with CUP in force"), validators=COUNT)
    confianza_in_force = models.PositiveIntegerField(
        _("with control de confianza approved and in force"), validators=COUNT
    )

    class Meta:
        verbose_name = _("certification")
        verbose_name_plural = _("certifications")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "as_of", "function"], name="police_certification_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.as_of} {self.function}: {self.confianza_in_force}/{self.officers}"


class BudgetLine(_Record):
    """Security budget of a year by chapter and funding source (pesos)."""

    year = models.PositiveSmallIntegerField(_("year"))
    chapter = models.CharField(_("chapter"), max_length=4, choices=Chapter.choices)
    funding = models.CharField(_("funding source"), max_length=12, choices=FundingSource.choices)
    amount = models.DecimalField(_("amount (MXN)"), max_digits=16, decimal_places=2)

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "year", "chapter", "funding"], name="police_budget_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.chapter} {self.funding}: {self.amount}"


class Target(models.TextChoices):
    RATIO = "ratio", _("A ratio of police per 1,000 inhabitants")
    CALLS = "calls", _("Calls answered within a response standard")


def _money(verbose):
    return models.DecimalField(verbose, max_digits=16, decimal_places=2, validators=COUNT)


class Scenario(models.Model):
    """A saved financing scenario: officers needed, their cost and the gap, over years."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="+", verbose_name=_("municipality")
    )
    name = models.CharField(_("name"), max_length=120)
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Raised by every saved edit: an edit made from an older copy is refused, not written
    # over the newer one (police/scenarios.py, update_scenario).
    version = models.PositiveIntegerField(_("version"), default=0, editable=False)
    target = models.CharField(_("target"), max_length=8, choices=Target.choices)
    ratio_per_1000 = models.DecimalField(
        _("police per 1,000 inhabitants"), max_digits=6, decimal_places=2, default=1.8
    )
    calls_per_hour = models.DecimalField(
        _("calls per hour (busiest hours)"), max_digits=8, decimal_places=2, default=10
    )
    service_minutes = models.DecimalField(
        _("minutes a unit spends on a call"), max_digits=6, decimal_places=1, default=45
    )
    standard_minutes = models.DecimalField(
        _("response standard (minutes until a unit is free)"),
        max_digits=6,
        decimal_places=1,
        default=10,
    )
    share_within = models.DecimalField(
        _("share of calls within the standard (%)"), max_digits=5, decimal_places=1, default=90
    )
    officers_per_unit = models.PositiveSmallIntegerField(_("officers per unit"), default=2)
    weekly_hours = models.DecimalField(
        _("weekly hours per officer"), max_digits=5, decimal_places=1, default=48
    )
    absence_share = models.DecimalField(
        _("time absent: leave, training, sickness (%)"), max_digits=5, decimal_places=1, default=15
    )
    current_officers = models.PositiveIntegerField(_("officers today"))
    monthly_pay = _money(_("gross monthly pay per officer (MXN)"))
    monthly_benefits = _money(_("benefits and contributions per officer a month (MXN)"))
    one_off_per_hire = _money(_("training, evaluations and equipment per hire (MXN)"))
    attrition_rate = models.DecimalField(
        _("attrition a year (%)"), max_digits=5, decimal_places=1, default=8
    )
    first_year = models.PositiveSmallIntegerField(_("first year"))
    years = models.PositiveSmallIntegerField(_("years"), default=5)
    budget = _money(_("budget for police pay today, a year (MXN)"))
    budget_growth = models.DecimalField(
        _("budget growth a year (%)"), max_digits=5, decimal_places=1, default=0
    )
    funds_per_year = _money(_("other funds a year: FORTAMUN, FASP, state, donor (MXN)"))

    class Meta:
        ordering = ["municipality", "-created_at"]
        verbose_name = _("financing scenario")
        verbose_name_plural = _("financing scenarios")

    def __str__(self) -> str:
        return self.name
