"""CSV imports of reinsertion records through the one importer (``core.imports``): all rows
or none, every problem with its line, column and rule in the user's language.

* applicants of a lottery: ``pid, applied_on, risk_level[, eligible]``;
* stays (admissions and releases): ``pid, legal_status, admission_date[, expected_release,
  actual_release]`` — a release before the admission is refused with its rule;
* follow-ups after release: ``pid, months, date, housing, activity[, monthly_income,
  family_contact, new_arrest, new_imprisonment]`` — a follow-up before the release is refused.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from civica.audit.services import Action, record
from civica.core.imports import RowError, Written, import_records, stage_rows
from civica.participants.models import Enrollment, Person, Purpose, Track
from civica.participants.services import require_consent
from civica.reinsertion import services
from civica.reinsertion.models import (
    Activity,
    Applicant,
    Custody,
    Housing,
    LegalStatus,
    ReleaseFollowUp,
    RiskLevel,
    release_of,
)

__all__ = ["import_applicants", "import_follow_ups", "import_stays"]

_YES = {"yes", "sí", "si", "1", "true", "x"}
_NO = {"no", "0", "false", ""}


def _date(row: dict, column: str, *, required=True) -> dt.date | None:
    value = row.get(column, "")
    if not value:
        if required:
            raise RowError(column, _("a date is required (YYYY-MM-DD)."))
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise RowError(column, _("“%(v)s” is not a date (YYYY-MM-DD).") % {"v": value}) from None


def _choice(row: dict, column: str, choices) -> str:
    value = row.get(column, "").strip().lower()
    if value not in choices.values:
        raise RowError(
            column,
            _("“%(v)s” is not one of: %(choices)s.")
            % {"v": value, "choices": ", ".join(choices.values)},
        )
    return value


def _flag(row: dict, column: str, default=False) -> bool:
    value = row.get(column, "").strip().lower()
    if value in _YES:
        return True
    if value in _NO:
        return default if value == "" else False
    raise RowError(column, _("write yes or no."))


def _person(row: dict, organization) -> Person:
    pid = row.get("pid", "").strip().upper()
    # Registered or enrolled by the organization (a person held for a court's referral it
    # has not accepted is not its own: ``Person.objects.kept_by``).
    person = (
        Person.objects.filter(pid=pid, merged_into__isnull=True).kept_by([organization.pk]).first()
    )
    if person is None:
        raise RowError(
            "pid", _("no person %(pid)s in %(org)s.") % {"pid": pid, "org": organization.name}
        )
    return person


def _consent(person, purpose, day, column):
    try:
        require_consent(person, purpose, day)
    except ValidationError as error:
        raise RowError(column, error.messages[0]) from None


def _import(*, dataset, what, source, name, known, required, actor, check, write, detail):
    def stage(records):
        return stage_rows(records, check)

    return import_records(
        dataset=dataset,
        what=what,
        source=source,
        name=name,
        known=known,
        required=required,
        actor=actor,
        stage=stage,
        write=write,
        audit_detail=detail,
    )


def import_applicants(*, actor, lottery, source, name: str = ""):
    """Applicants of a lottery not yet drawn (from the command line or the lottery's page),
    by someone who may run the lottery's organization's lotteries."""
    from civica.reinsertion.lottery import _require_organization

    _require_organization(actor, lottery.organization_id)
    lottery.refresh_from_db()
    if lottery.drawn:
        raise ValidationError(
            _("The lottery was drawn and locked: adding an applicant is refused.")
        )
    seen: set[str] = set()
    taken = set(Applicant.objects.filter(lottery=lottery).values_list("person__pid", flat=True))

    def check(line, row):
        person = _person(row, lottery.organization)
        if person.pid in seen or person.pid in taken:
            raise RowError("pid", _("%(pid)s applied already.") % {"pid": person.pid})
        seen.add(person.pid)
        applied_on = _date(row, "applied_on")
        _consent(person, Purpose.PARTICIPATION, applied_on, "applied_on")
        return Applicant(
            lottery=lottery,
            person=person,
            applied_on=applied_on,
            risk_level=_choice(row, "risk_level", RiskLevel),
            eligible=_flag(row, "eligible", default=True),
        )

    def write(items):
        if type(lottery).objects.filter(pk=lottery.pk, status="drawn").exists():
            raise RowError("", _("The lottery was drawn meanwhile: nothing was imported."), line=0)
        created = Applicant.objects.bulk_create(items)
        return Written(created=len(created), ids=tuple(a.pk for a in created))

    return _import(
        dataset="reinsertion.Applicant",
        what=_("applicants"),
        source=source,
        name=name,
        known=["pid", "applied_on", "risk_level", "eligible"],
        required=["pid", "applied_on", "risk_level"],
        actor=actor,
        check=check,
        write=write,
        detail={"lottery": lottery.pk},
    )


def import_stays(*, actor, facility, organization, source, name: str = ""):
    """Admissions (and releases) of women already registered, each opening her case."""
    if not facility.organizations.filter(pk=organization.pk).exists():
        raise ValidationError(
            _("%(org)s does not work inside %(facility)s.")
            % {"org": organization.name, "facility": facility.name}
        )
    seen: set[str] = set()

    def check(line, row):
        person = _person(row, organization)
        if person.pid in seen:
            raise RowError("pid", _("%(pid)s is twice in the file.") % {"pid": person.pid})
        seen.add(person.pid)
        admission = _date(row, "admission_date")
        custody = Custody(
            facility=facility,
            legal_status=_choice(row, "legal_status", LegalStatus),
            admission_date=admission,
            expected_release=_date(row, "expected_release", required=False),
            actual_release=_date(row, "actual_release", required=False),
        )
        try:
            custody.clean()
        except ValidationError as error:
            field, errors = next(iter(error.error_dict.items()))
            raise RowError(field, errors[0].messages[0]) from None
        _consent(person, Purpose.PARTICIPATION, admission, "admission_date")
        return person, custody

    def write(items):
        ids = []
        for person, custody in items:
            stay = services.admit(
                actor=actor,
                person=person,
                facility=facility,
                organization=organization,
                legal_status=custody.legal_status,
                admission_date=custody.admission_date,
                expected_release=custody.expected_release,
            )
            if custody.actual_release:
                services.record_release(
                    actor=actor, custody=stay, actual_release=custody.actual_release
                )
            ids.append(stay.pk)
        return Written(created=len(ids), ids=tuple(ids))

    return _import(
        dataset="reinsertion.Custody",
        what=_("stays"),
        source=source,
        name=name,
        known=["pid", "legal_status", "admission_date", "expected_release", "actual_release"],
        required=["pid", "legal_status", "admission_date"],
        actor=actor,
        check=check,
        write=write,
        detail={"facility": facility.pk},
    )


def import_follow_ups(*, actor, organization, source, name: str = ""):
    """Follow-ups after release (detention) or exit (community) of the organization's cases."""
    seen: set[tuple] = set()

    def check(line, row):
        person = _person(row, organization)
        enrollment = (
            Enrollment.objects.filter(
                person=person,
                organization=organization,
                track__in=[Track.WOMEN_DETENTION, Track.REINSERTION],
            )
            .order_by("-start_date")
            .first()
        )
        if enrollment is None:
            raise RowError(
                "pid",
                _("%(pid)s has no reinsertion case with %(org)s.")
                % {"pid": person.pid, "org": organization.name},
            )
        try:
            months = int(row.get("months", ""))
        except ValueError:
            months = 0
        if months not in (1, 3, 6, 12):
            raise RowError("months", _("months is 1, 3, 6 or 12."))
        if (enrollment.pk, months) in seen or ReleaseFollowUp.objects.filter(
            enrollment=enrollment, months=months
        ).exists():
            raise RowError("months", _("this follow-up is recorded already."))
        seen.add((enrollment.pk, months))
        date = _date(row, "date")
        release = release_of(enrollment)
        if release is None:
            raise RowError(
                "date", _("Record the release (or the exit) before a follow-up after it.")
            )
        if date < release:
            raise RowError(
                "date",
                _("The follow-up (%(date)s) is before the release (%(release)s).")
                % {"date": date.isoformat(), "release": release.isoformat()},
            )
        income = row.get("monthly_income", "")
        try:
            income = Decimal(income) if income else None
        except InvalidOperation:
            raise RowError("monthly_income", _("write a number.")) from None
        _consent(person, Purpose.FOLLOW_UP, date, "date")
        return ReleaseFollowUp(
            enrollment=enrollment,
            months=months,
            date=date,
            housing=_choice(row, "housing", Housing),
            activity=_choice(row, "activity", Activity),
            monthly_income=income,
            family_contact=_flag(row, "family_contact"),
            new_arrest=_flag(row, "new_arrest") or _flag(row, "new_imprisonment"),
            new_imprisonment=_flag(row, "new_imprisonment"),
        )

    def write(items):
        created = ReleaseFollowUp.objects.bulk_create(items)
        for item in created:
            record(actor=actor, action=Action.CREATE, obj=item, object_label=item.audit_label)
        return Written(created=len(created), ids=tuple(i.pk for i in created))

    return _import(
        dataset="reinsertion.ReleaseFollowUp",
        what=_("follow-ups"),
        source=source,
        name=name,
        known=[
            "pid",
            "months",
            "date",
            "housing",
            "activity",
            "monthly_income",
            "family_contact",
            "new_arrest",
            "new_imprisonment",
        ],
        required=["pid", "months", "date", "housing", "activity"],
        actor=actor,
        check=check,
        write=write,
        detail={"organization": organization.pk},
    )
