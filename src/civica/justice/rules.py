"""The legal guards of a civic-justice case (DOMAIN.md §4), as plain checks.

Each check returns ``{field: [ValidationError, ...]}`` so the model's ``clean``, the forms,
the services and the historical case-book import all refuse the same things with the same
words. The rules:

* **dates in order**: falta ≤ detention ≤ presentation ≤ medical certificate, tamizaje and
  hearing; hearing start ≤ end ≤ resolution ≤ closure; nothing in the future;
* **arrest**: at most 36 hours, counted from the detention (CPEUM art. 21): the release is
  at detention + hours; never for a minor;
* **fine of a worker**: a day labourer, worker or employee, or a person without income,
  pays at most one day's wage or income (CPEUM art. 21): the declared daily wage is
  recorded and the fine in pesos compared with it;
* **inside the class**: fine, arrest and community-work hours inside the range of the
  sanction classes of the case's faltas;
* **minors** (12–17): never arrested; the guardian is recorded before the hearing starts;
  an earlier presentation is a "new contact", never "reincidente" (see ``labels``);
* **commutation**: only for commutable faltas; refused to an adult reincident where the
  municipality's catalogue says so; a denial gives its reason.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civica.justice.choices import Commutation, FollowUpKind, Occupation, Sanction
from civica.justice.models.catalogue import MAX_ARREST_HOURS, FineUnit

__all__ = [
    "MINIMUM_AGE",
    "age_at_presentation",
    "check_case",
    "check_follow_up",
    "check_mediation",
    "contact_label",
    "is_minor",
    "raise_errors",
]

#: Below this age a child is not presented to a juzgado cívico at all.
MINIMUM_AGE = 12
ADULT_AGE = 18
#: Clock differences between devices: a time this far ahead of now is still accepted.
FUTURE_SLACK = dt.timedelta(minutes=10)

# (earlier field, later field): the second may not come before the first.
ORDER = (
    ("event_at", "detained_at"),
    ("event_at", "presented_at"),
    ("detained_at", "presented_at"),
    ("presented_at", "medical_at"),
    ("presented_at", "screened_at"),
    ("presented_at", "hearing_started_at"),
    ("medical_at", "hearing_started_at"),
    ("hearing_started_at", "hearing_ended_at"),
    ("hearing_started_at", "resolved_at"),
    ("hearing_ended_at", "resolved_at"),
    ("presented_at", "resolved_at"),
    ("resolved_at", "closed_at"),
    ("presented_at", "closed_at"),
)
TIMES = (
    "event_at",
    "detained_at",
    "presented_at",
    "medical_at",
    "screened_at",
    "guardian_at",
    "hearing_started_at",
    "hearing_ended_at",
    "resolved_at",
    "closed_at",
)


def raise_errors(errors: dict) -> None:
    if errors:
        raise ValidationError(dict(errors))


def _label(case, field: str) -> str:
    return str(type(case)._meta.get_field(field).verbose_name)


def age_at_presentation(case) -> int | None:
    """Age in years at the presentation: from the birth date, else the clinical age."""
    # The stored person, or an unsaved one set on the case (a row of an import being checked).
    person = case._state.fields_cache.get("person")
    if person is None and case.person_id:
        person = case.person
    if person is not None and case.presented_at:
        age = person.age_on(timezone.localtime(case.presented_at).date())
        if age is not None:
            return age
    return case.clinical_age


def is_minor(case) -> bool:
    age = age_at_presentation(case)
    return age is not None and age < ADULT_AGE


def contact_label(case) -> str:
    """How an earlier presentation is named: reincidence for an adult, a new contact (a
    program outcome, never a label) for a minor, nothing without one."""
    if not case.repeat:
        return ""
    if case.minor:
        return str(_("New contact (adolescent)"))
    return str(_("Reincident"))


def _class_ranges(offences):
    classes = [o.sanction_class for o in offences]
    if not classes:
        return None
    return {
        "fine": (min(c.fine_min for c in classes), max(c.fine_max for c in classes)),
        "community": (
            min(c.community_hours_min for c in classes),
            max(c.community_hours_max for c in classes),
        ),
        "arrest": (
            min(c.arrest_hours_min for c in classes),
            max(c.arrest_hours_max for c in classes),
        ),
        "codes": ", ".join(sorted({c.code for c in classes})),
    }


def _outside(value, low, high) -> bool:
    return value is None or Decimal(value) < Decimal(low) or Decimal(value) > Decimal(high)


def check_case(case, offences=None, *, now: dt.datetime | None = None) -> dict:
    """Every broken rule of ``case`` (and its ``offences``; by default the stored ones)."""
    errors: dict[str, list] = defaultdict(list)
    now = now or timezone.now()
    if offences is None:
        offences = list(case.offences.select_related("sanction_class")) if case.pk else []
    case.minor = is_minor(case)

    # Dates in order, nothing in the future.
    for field in TIMES:
        value = getattr(case, field)
        if value is not None and value > now + FUTURE_SLACK:
            errors[field].append(
                ValidationError(
                    _("%(field)s is in the future.") % {"field": _label(case, field)},
                    code="future",
                )
            )
    for earlier, later in ORDER:
        first, second = getattr(case, earlier), getattr(case, later)
        if first is not None and second is not None and second < first:
            errors[later].append(
                ValidationError(
                    _("%(later)s cannot come before %(earlier)s.")
                    % {"later": _label(case, later), "earlier": _label(case, earlier)},
                    code="order",
                )
            )

    age = age_at_presentation(case)
    if age is not None and age < MINIMUM_AGE:
        errors["clinical_age" if case.clinical_age is not None else "person"].append(
            ValidationError(
                _("A child under 12 is not presented to a juzgado cívico."), code="under_12"
            )
        )

    # Medical fitness: no hearing while the person is not fit.
    if (
        case.fit is False
        and case.unfit_until
        and case.hearing_started_at
        and case.hearing_started_at < case.unfit_until
    ):
        errors["hearing_started_at"].append(
            ValidationError(
                _("The medical certificate says the person is not fit until %(when)s.")
                % {"when": timezone.localtime(case.unfit_until).strftime("%Y-%m-%d %H:%M")},
                code="unfit",
            )
        )

    # Minors: guardian before the hearing, no arrest.
    if case.minor:
        if case.hearing_started_at and not (
            case.guardian_name and case.guardian_at and case.guardian_at <= case.hearing_started_at
        ):
            errors["guardian_name"].append(
                ValidationError(
                    _(
                        "The person is a minor: record the parent or guardian, and the time "
                        "they arrived, before the hearing starts."
                    ),
                    code="guardian",
                )
            )
        if case.sanction == Sanction.ARREST:
            errors["sanction"].append(
                ValidationError(_("A minor is never sanctioned with arrest."), code="minor_arrest")
            )

    # A resolution needs a hearing, a decision and a sanction that matches it.
    if case.resolved_at:
        if not case.hearing_started_at:
            errors["hearing_started_at"].append(
                ValidationError(
                    _("A resolution needs the hearing: record when it started."),
                    code="no_hearing",
                )
            )
        if case.responsible is None:
            errors["responsible"].append(
                ValidationError(_("Say whether the person is responsible."), code="required")
            )
        if case.responsible and not case.sanction:
            errors["sanction"].append(ValidationError(_("Choose the sanction."), code="required"))
        if case.responsible and not offences:
            errors["offences"].append(
                ValidationError(
                    _("A person found responsible is so for at least one falta."),
                    code="required",
                )
            )
    if case.responsible is False and case.sanction not in ("", Sanction.NONE):
        errors["sanction"].append(
            ValidationError(
                _("A person not responsible receives no sanction."), code="not_responsible"
            )
        )

    ranges = _class_ranges(offences)
    sanction = case.sanction
    if sanction == Sanction.ARREST:
        hours = case.arrest_hours
        if hours is None or hours <= 0:
            errors["arrest_hours"].append(
                ValidationError(_("Write the hours of arrest."), code="required")
            )
        elif hours > MAX_ARREST_HOURS:
            errors["arrest_hours"].append(
                ValidationError(
                    _("An arrest lasts at most 36 hours, counted from the detention."),
                    code="arrest_36",
                )
            )
        elif ranges and _outside(hours, *ranges["arrest"]):
            errors["arrest_hours"].append(
                ValidationError(
                    _("Class %(codes)s allows %(low)s to %(high)s hours of arrest.")
                    % {
                        "codes": ranges["codes"],
                        "low": ranges["arrest"][0],
                        "high": ranges["arrest"][1],
                    },
                    code="class_range",
                )
            )
        if hours and case.resolved_at and hours <= MAX_ARREST_HOURS:
            release = case.custody_start + dt.timedelta(hours=hours)
            if release < case.resolved_at:
                errors["arrest_hours"].append(
                    ValidationError(
                        _(
                            "The arrest is counted from the detention: %(hours)s hours ended at "
                            "%(release)s, before the resolution. Choose at least %(needed)s "
                            "hours, or another sanction."
                        )
                        % {
                            "hours": hours,
                            "release": timezone.localtime(release).strftime("%Y-%m-%d %H:%M"),
                            "needed": _hours_between(case.custody_start, case.resolved_at),
                        },
                        code="arrest_elapsed",
                    )
                )
    elif case.arrest_hours and case.arrest_hours > MAX_ARREST_HOURS:
        errors["arrest_hours"].append(
            ValidationError(
                _("An arrest lasts at most 36 hours, counted from the detention."),
                code="arrest_36",
            )
        )

    if sanction == Sanction.FINE:
        amount = case.fine_amount
        if amount is None or amount <= 0:
            errors["fine_amount"].append(
                ValidationError(_("Write the amount of the fine."), code="required")
            )
        else:
            if ranges and _outside(amount, *ranges["fine"]):
                errors["fine_amount"].append(
                    ValidationError(
                        _("Class %(codes)s allows a fine of %(low)s to %(high)s %(unit)s.")
                        % {
                            "codes": ranges["codes"],
                            "low": ranges["fine"][0],
                            "high": ranges["fine"][1],
                            "unit": case.fine_unit or "",
                        },
                        code="class_range",
                    )
                )
            if case.occupation in (Occupation.WORKER, Occupation.NO_INCOME):
                wage = case.declared_daily_wage
                pesos = _in_pesos(case)
                if wage is None:
                    errors["declared_daily_wage"].append(
                        ValidationError(
                            _(
                                "A worker's or a person without income's fine is at most one "
                                "day's wage or income: record the declared daily amount."
                            ),
                            code="wage_required",
                        )
                    )
                elif pesos is None:
                    errors["unit_value"].append(
                        ValidationError(
                            _("Record the value in pesos of one unit to compare the fine."),
                            code="unit_value",
                        )
                    )
                elif pesos > wage:
                    errors["fine_amount"].append(
                        ValidationError(
                            _(
                                "The fine (%(pesos)s pesos) is more than one day's declared "
                                "wage or income (%(wage)s pesos)."
                            )
                            % {"pesos": pesos.quantize(Decimal("0.01")), "wage": wage},
                            code="fine_wage",
                        )
                    )

    community_sanction = sanction == Sanction.COMMUNITY_WORK or (
        case.commutation == Commutation.GRANTED and case.community_hours
    )
    if community_sanction:
        hours = case.community_hours
        if not hours:
            errors["community_hours"].append(
                ValidationError(_("Write the hours of community work."), code="required")
            )
        elif ranges and _outside(hours, *ranges["community"]):
            errors["community_hours"].append(
                ValidationError(
                    _("Class %(codes)s allows %(low)s to %(high)s hours of community work.")
                    % {
                        "codes": ranges["codes"],
                        "low": ranges["community"][0],
                        "high": ranges["community"][1],
                    },
                    code="class_range",
                )
            )
    if sanction == Sanction.MEASURE and not case.measure:
        errors["measure"].append(
            ValidationError(_("Describe the measure (MMCC)."), code="required")
        )

    # Commutation.
    if case.commutation == Commutation.DENIED and not case.commutation_reason:
        errors["commutation_reason"].append(
            ValidationError(_("Give the reason the commutation was denied."), code="required")
        )
    if case.commutation == Commutation.GRANTED:
        fixed = [o.code for o in offences if not o.commutable]
        if fixed:
            errors["commutation"].append(
                ValidationError(
                    _("These faltas cannot be commuted: %(codes)s.") % {"codes": ", ".join(fixed)},
                    code="not_commutable",
                )
            )
        catalogue = offences[0].catalogue if offences else None
        if (
            catalogue is not None
            and case.repeat
            and not case.minor
            and not catalogue.reincidents_may_commute
        ):
            errors["commutation"].append(
                ValidationError(
                    _("In this municipality a reincident may not commute the sanction."),
                    code="reincident_commutation",
                )
            )

    # Closure.
    if case.closed_at and not case.closure:
        errors["closure"].append(ValidationError(_("Say how the case closed."), code="required"))
    return {field: messages for field, messages in errors.items() if messages}


def _hours_between(start, end) -> int:
    seconds = (end - start).total_seconds()
    return int(-(-seconds // 3600))


def _in_pesos(case) -> Decimal | None:
    if case.fine_amount is None:
        return None
    if case.fine_unit == FineUnit.PESOS:
        return Decimal(case.fine_amount)
    if case.unit_value is None:
        return None
    return Decimal(case.fine_amount) * Decimal(case.unit_value)


def check_mediation(mediation) -> dict:
    errors: dict[str, list] = defaultdict(list)
    agreed = mediation.agreed_on
    for days, field, kept in ((30, "checked_30_on", "kept_30"), (90, "checked_90_on", "kept_90")):
        checked = getattr(mediation, field)
        if checked and not agreed:
            errors[field].append(
                ValidationError(_("Record the agreement before checking it."), code="order")
            )
        elif checked and checked < agreed:
            errors[field].append(
                ValidationError(_("The check cannot come before the agreement."), code="order")
            )
        if getattr(mediation, kept) is not None and not checked:
            errors[field].append(
                ValidationError(
                    _("Write the date of the %(days)s-day check.") % {"days": days},
                    code="required",
                )
            )
    return {field: messages for field, messages in errors.items() if messages}


def check_follow_up(entry) -> dict:
    errors: dict[str, list] = defaultdict(list)
    case = entry.case if entry.case_id else None
    if entry.kind == FollowUpKind.COMMUNITY_HOURS and not entry.hours:
        errors["hours"].append(ValidationError(_("Write the hours served."), code="required"))
    if entry.kind == FollowUpKind.MEASURE_ATTENDANCE and entry.attended is None:
        errors["attended"].append(
            ValidationError(_("Say whether the person attended."), code="required")
        )
    if case is not None:
        if not case.resolved_at:
            errors["on"].append(
                ValidationError(_("Follow-up starts after the resolution."), code="order")
            )
        elif entry.on and entry.on < timezone.localtime(case.resolved_at).date():
            errors["on"].append(
                ValidationError(_("The date is before the resolution."), code="order")
            )
    if entry.on and entry.on > timezone.localdate() + dt.timedelta(days=1):
        errors["on"].append(ValidationError(_("The date is in the future."), code="future"))
    return {field: messages for field, messages in errors.items() if messages}
