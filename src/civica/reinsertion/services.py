"""Writes of the detention path: facilities, admission (a case in the "young women in
detention" track and her stay), release, cohorts with sessions and attendance, completion and
certificates, productive work, the transition plan and its tasks, and follow-ups after
release (or after the exit of a community case).

Every write checks the participants' scope and consent (``participants.services``), the
facility's rules (what may be recorded inside, which roles may enter) and the dates: a
release before the admission or a follow-up before the release is refused with its rule.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from civica.accounts import access, scope
from civica.audit.services import Action, record
from civica.participants import casework
from civica.participants import selectors as people
from civica.participants.models import Purpose, Track
from civica.participants.services import _require_edit, require_consent, save_versioned
from civica.reinsertion.models import (
    Attendance,
    Cohort,
    CohortMember,
    Custody,
    Facility,
    Recordable,
    ReleaseFollowUp,
    Session,
    TransitionPlan,
    TransitionTask,
    WorkRecord,
)

__all__ = [
    "add_member",
    "add_task",
    "admit",
    "complete",
    "create_cohort",
    "create_facility",
    "finish_task",
    "hours_of",
    "record_follow_up",
    "record_release",
    "record_session",
    "record_work",
    "start_plan",
]


def _save(actor, obj, *, label: str = "", detail=None, action=Action.CREATE):
    obj.full_clean()
    obj.save()
    record(actor=actor, action=action, obj=obj, object_label=label, detail=detail or {})
    return obj


def _inside(actor, facility: Facility, what: str) -> None:
    """The facility's rules: ``what`` may be recorded inside, and the actor may enter."""
    if not facility.allows(what):
        raise ValidationError(
            _("The rules of %(facility)s do not allow recording %(what)s inside.")
            % {"facility": facility.name, "what": Recordable(what).label},
            code="not_recordable",
        )
    if not facility.may_enter(actor):
        raise PermissionDenied(
            _("The rules of %(facility)s do not let your role enter.") % {"facility": facility.name}
        )


def create_facility(
    *,
    actor,
    state,
    name: str,
    kind: str,
    organizations=(),
    municipality=None,
    recordable=(),
    entry_roles=(),
    synthetic=False,
) -> Facility:
    if not access.actor(actor).is_administrator:
        raise PermissionDenied(_("Only an administrator registers facilities."))
    facility = Facility(
        state=state,
        municipality=municipality,
        name=name,
        kind=kind,
        recordable=list(recordable),
        entry_roles=list(entry_roles),
        synthetic=synthetic,
    )
    facility.full_clean()
    with transaction.atomic():
        facility.save()
        facility.organizations.set(organizations)
        record(actor=actor, action=Action.CREATE, obj=facility)
    return facility


def admit(
    *,
    actor,
    person,
    facility: Facility,
    organization,
    legal_status: str,
    admission_date: dt.date,
    expected_release: dt.date | None = None,
    case_worker=None,
) -> Custody:
    """Open her case (track "young women in detention", referred by the detention center)
    with an organization working inside, and record the stay."""
    _require_edit(actor, organization.pk)
    if not facility.organizations.filter(pk=organization.pk).exists():
        raise ValidationError(
            _("%(org)s does not work inside %(facility)s.")
            % {"org": organization.name, "facility": facility.name},
            code="organization_outside",
        )
    custody = Custody(
        facility=facility,
        legal_status=legal_status,
        admission_date=admission_date,
        expected_release=expected_release,
    )
    custody.clean()  # dates first: nothing is written for an impossible stay
    with transaction.atomic():
        enrollment = casework.enroll(
            actor=actor,
            person=person,
            organization=organization,
            track=Track.WOMEN_DETENTION,
            referral_source="detention",
            start_date=admission_date,
            case_worker=case_worker,
        )
        custody.enrollment = enrollment
        return _save(
            actor,
            custody,
            label=custody.audit_label,
            detail={"facility": facility.pk, "legal_status": legal_status},
        )


def _require_stay(actor, custody: Custody) -> None:
    people.require_person(actor, custody.enrollment.person)
    _require_edit(actor, custody.enrollment.organization_id)


def record_release(
    *, actor, custody: Custody, actual_release: dt.date, legal_status: str | None = None
) -> Custody:
    _require_stay(actor, custody)
    custody.actual_release = actual_release
    if legal_status:
        custody.legal_status = legal_status
    return _save(
        actor,
        custody,
        label=custody.audit_label,
        action=Action.UPDATE,
        detail={"release": actual_release.isoformat()},
    )


def update_stay(*, actor, custody: Custody, legal_status: str, expected_release) -> Custody:
    _require_stay(actor, custody)
    custody.legal_status = legal_status
    custody.expected_release = expected_release
    return _save(
        actor,
        custody,
        label=custody.audit_label,
        action=Action.UPDATE,
        detail={"legal_status": legal_status},
    )


def _require_cohort(actor, cohort: Cohort) -> None:
    _require_edit(actor, cohort.organization_id)


def create_cohort(
    *,
    actor,
    facility: Facility,
    organization,
    kind: str,
    name: str,
    start_date: dt.date,
    end_date=None,
    required_hours=0,
    certifies=False,
    synthetic=False,
) -> Cohort:
    _require_edit(actor, organization.pk)
    if not facility.organizations.filter(pk=organization.pk).exists():
        raise ValidationError(
            _("%(org)s does not work inside %(facility)s.")
            % {"org": organization.name, "facility": facility.name},
            code="organization_outside",
        )
    cohort = Cohort(
        facility=facility,
        organization=organization,
        kind=kind,
        name=name,
        start_date=start_date,
        end_date=end_date,
        required_hours=Decimal(str(required_hours)),
        certifies=certifies,
        synthetic=synthetic,
    )
    return _save(actor, cohort, label=name)


def add_member(*, actor, cohort: Cohort, custody: Custody) -> CohortMember:
    _require_cohort(actor, cohort)
    _require_stay(actor, custody)
    if custody.facility_id != cohort.facility_id:
        raise ValidationError(_("She is not in this cohort's facility."), code="other_facility")
    require_consent(custody.enrollment.person, Purpose.PARTICIPATION, cohort.start_date)
    member = CohortMember(cohort=cohort, custody=custody)
    return _save(actor, member, label=custody.enrollment.person.pid)


def record_session(*, actor, cohort: Cohort, date: dt.date, hours, present=(), topic="") -> Session:
    """A session and who attended (members' ids); the facility must allow attendance records
    and let the actor's role enter."""
    _require_cohort(actor, cohort)
    _inside(actor, cohort.facility, Recordable.ATTENDANCE)
    if date < cohort.start_date or (cohort.end_date and date > cohort.end_date):
        raise ValidationError(
            {"date": _("The session is outside the cohort's dates.")}, code="session_outside"
        )
    present = {int(pk) for pk in present}
    members = list(cohort.members.all())
    unknown = present - {m.pk for m in members}
    if unknown:
        raise ValidationError(_("Attendance names someone outside the cohort."))
    with transaction.atomic():
        session = _save(
            actor,
            Session(cohort=cohort, date=date, hours=Decimal(str(hours)), topic=topic),
            label=str(cohort),
        )
        Attendance.objects.bulk_create(
            [Attendance(session=session, member=m, present=m.pk in present) for m in members]
        )
    return session


def hours_of(member: CohortMember) -> Decimal:
    total = Attendance.objects.filter(member=member, present=True).aggregate(
        h=Sum("session__hours")
    )
    return total["h"] or Decimal("0")


def complete(*, actor, member: CohortMember, on: dt.date) -> CohortMember:
    """Completion when she attended the hours the cohort requires; a certificate when the
    cohort gives one and the facility allows certificates to be recorded."""
    cohort = member.cohort
    _require_cohort(actor, cohort)
    hours = hours_of(member)
    if hours < cohort.required_hours:
        raise ValidationError(
            _("%(hours)s of %(required)s hours attended: not complete yet.")
            % {"hours": hours, "required": cohort.required_hours},
            code="hours_short",
        )
    member.completed_on = on
    if cohort.certifies:
        _inside(actor, cohort.facility, Recordable.CERTIFICATES)
        member.certificate = f"C{cohort.pk}-{member.pk:05d}"
    return _save(
        actor,
        member,
        label=member.custody.enrollment.person.pid,
        action=Action.UPDATE,
        detail={"completed": on.isoformat(), "certificate": bool(member.certificate)},
    )


def record_work(
    *, actor, custody: Custody, month: dt.date, product: str, units_sold: int, income, paid_how: str
) -> WorkRecord:
    _require_stay(actor, custody)
    _inside(actor, custody.facility, Recordable.WORK_INCOME)
    work = WorkRecord(
        custody=custody,
        month=month.replace(day=1),
        product=product,
        units_sold=units_sold,
        income=Decimal(str(income)),
        paid_how=paid_how,
    )
    return _save(actor, work, label=custody.audit_label)


def start_plan(
    *, actor, custody: Custody, started_on: dt.date, received_by: str = ""
) -> TransitionPlan:
    _require_stay(actor, custody)
    _inside(actor, custody.facility, Recordable.TRANSITION)
    plan = TransitionPlan(custody=custody, started_on=started_on, received_by=received_by)
    return _save(actor, plan, label=custody.audit_label)


def add_task(
    *, actor, plan: TransitionPlan, area: str, description: str, owner=None, due_date=None
) -> TransitionTask:
    _require_stay(actor, plan.custody)
    if owner is not None:
        ids = scope.person_organization_ids(owner)
        if ids is not None and plan.custody.enrollment.organization_id not in ids:
            raise ValidationError(_("The owner does not work with her organization."))
    task = TransitionTask(
        plan=plan, area=area, description=description, owner=owner, due_date=due_date
    )
    return _save(actor, task, detail={"area": area})


def finish_task(*, actor, task: TransitionTask, on: dt.date, version: int) -> TransitionTask:
    """Mark a task done on ``on``, if nobody changed it since ``version`` was loaded
    (``participants.services.StaleRecord`` otherwise: nothing is written). A task is not done
    before its plan started (``task_done_before_plan``) nor in the future."""
    _require_stay(actor, task.plan.custody)
    if on < task.plan.started_on:
        raise ValidationError(
            {
                "done_on": ValidationError(
                    _("The task is marked done (%(done)s) before the plan started (%(start)s).")
                    % {"done": on.isoformat(), "start": task.plan.started_on.isoformat()},
                    code="task_done_before_plan",
                )
            }
        )
    if on > timezone.localdate():
        raise ValidationError(
            {"done_on": ValidationError(_("A task cannot be done in the future."), code="future")}
        )
    return save_versioned(actor=actor, obj=task, version=version, changes={"done_on": on})


def record_follow_up(
    *,
    actor,
    enrollment,
    months: int,
    date: dt.date,
    housing: str,
    activity: str,
    monthly_income=None,
    family_contact=False,
    new_arrest=False,
    new_imprisonment=False,
) -> ReleaseFollowUp:
    """A follow-up after release (detention) or exit (community case); refused before it."""
    people.require_person(actor, enrollment.person)
    _require_edit(actor, enrollment.organization_id)
    require_consent(enrollment.person, Purpose.FOLLOW_UP, date)
    follow_up = ReleaseFollowUp(
        enrollment=enrollment,
        months=months,
        date=date,
        housing=housing,
        activity=activity,
        monthly_income=None if monthly_income in (None, "") else Decimal(str(monthly_income)),
        family_contact=family_contact,
        new_arrest=new_arrest or new_imprisonment,
        new_imprisonment=new_imprisonment,
        recorded_by=access.user_of(actor) if getattr(actor, "is_authenticated", False) else None,
    )
    return _save(actor, follow_up, label=follow_up.audit_label, detail={"months": months})
