"""Writes of the work with a person: enrollment, screening, services, goals, network,
contacts, outcomes and referrals. Each checks scope and the consent the work needs:

* enrollment, screening, services, goals, network: program participation;
* contacts and follow-up outcomes: follow-up contact;
* a referral: data sharing with the receiving organization, and only the personal fields
  that consent lists travel with it.
"""

from __future__ import annotations

import datetime as dt
import json

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civica.accounts import access, scope
from civica.audit.services import Action, record
from civica.participants import selectors
from civica.participants.models import (
    Contact,
    Enrollment,
    Goal,
    Instrument,
    NetworkMember,
    Outcome,
    Person,
    Purpose,
    Referral,
    ReferralSource,
    ReferralStatus,
    Screening,
    Service,
)
from civica.participants.models.screening import earliest_retest
from civica.participants.services import (
    ConsentMissing,
    _require_edit,
    require_consent,
    save_versioned,
)

__all__ = [
    "add_goal",
    "add_network_member",
    "answer_referral",
    "apply_screening",
    "close_enrollment",
    "enroll",
    "record_contact",
    "record_outcome",
    "record_service",
    "refer",
    "refer_from_court",
    "update_goal",
]


def _save(actor, obj, *, label: str, detail: dict | None = None, personal=False):
    obj.full_clean()
    obj.save()
    record(
        actor=actor,
        action=Action.CREATE,
        obj=obj,
        object_label=label,
        personal_data=personal,
        detail=detail or {},
    )
    return obj


def _require_enrollment(actor, enrollment: Enrollment) -> None:
    selectors.require_person(actor, enrollment.person)
    _require_edit(actor, enrollment.organization_id)


def enroll(*, actor, person: Person, organization, **fields) -> Enrollment:
    """Enroll ``person`` in a track with ``organization`` (``track``, ``referral_source``,
    ``start_date``, ``case_worker``)."""
    _require_edit(actor, organization.pk)
    selectors.require_person(actor, person)
    require_consent(person, Purpose.PARTICIPATION, fields["start_date"])
    enrollment = Enrollment(person=person, organization=organization, **fields)
    with transaction.atomic():
        return _save(
            actor,
            enrollment,
            label=enrollment.audit_label,
            detail={"track": enrollment.track, "organization": organization.pk},
        )


def close_enrollment(
    *, actor, enrollment: Enrollment, version: int, exit_date: dt.date, closure_reason: str
) -> Enrollment:
    """Close a case (exit date and reason); refused with the differences if ``version`` is
    stale. The follow-ups then count from the exit."""
    _require_enrollment(actor, enrollment)
    return save_versioned(
        actor=actor,
        obj=enrollment,
        version=version,
        changes={"exit_date": exit_date, "closure_reason": closure_reason},
    )


def apply_screening(
    *, actor, person: Person, organization, instrument: Instrument, date: dt.date, answers: dict
) -> Screening:
    """Score ``answers`` with ``instrument`` and store the screening.

    A second screening with the same instrument (any version of its code) is a retest: it is
    refused before six months have passed since the previous one, and then keeps a link to
    it so the change per scale can be shown.
    """
    _require_edit(actor, organization.pk)
    selectors.require_person(actor, person)
    require_consent(person, Purpose.PARTICIPATION, date)
    scoring = instrument.score(answers)
    previous = (
        Screening.objects.filter(person=person, instrument__code=instrument.code, date__lte=date)
        .order_by("-date", "-id")
        .first()
    )
    if previous is not None and date < earliest_retest(previous.date):
        raise ValidationError(
            _(
                "The last screening with this instrument was on %(last)s; a retest can be "
                "applied from %(next)s (six months later)."
            )
            % {
                "last": previous.date.isoformat(),
                "next": earliest_retest(previous.date).isoformat(),
            },
            code="retest_too_early",
        )
    screening = Screening(
        person=person,
        organization=organization,
        instrument=instrument,
        date=date,
        answers=json.dumps(answers, sort_keys=True),
        scores=scoring.scores,
        at_or_above=scoring.at_or_above,
        eligible=scoring.eligible,
        retest_of=previous,
        recorded_by=access.user_of(actor),
    )
    with transaction.atomic():
        return _save(
            actor,
            screening,
            label=person.pid,
            detail={
                "instrument": f"{instrument.code} v{instrument.version}",
                "eligible": scoring.eligible,
            },
        )


def record_service(*, actor, enrollment: Enrollment, **fields) -> Service:
    """One service (``kind``, ``provider``, ``date``, ``attended``) of an enrollment."""
    _require_enrollment(actor, enrollment)
    require_consent(enrollment.person, Purpose.PARTICIPATION, fields["date"])
    service = Service(
        person_id=enrollment.person_id,
        enrollment=enrollment,
        recorded_by=access.user_of(actor),
        **fields,
    )
    return _save(
        actor,
        service,
        label=enrollment.person.pid,
        detail={"kind": service.kind, "attended": service.attended},
    )


def add_goal(*, actor, enrollment: Enrollment, **fields) -> Goal:
    _require_enrollment(actor, enrollment)
    require_consent(enrollment.person, Purpose.PARTICIPATION, timezone.localdate())
    return _save(actor, Goal(enrollment=enrollment, **fields), label=enrollment.person.pid)


def update_goal(*, actor, goal: Goal, version: int, **changes) -> Goal:
    """Change a goal (``status``, ``target_date``, ``description``); refused with the
    differences if ``version`` is stale."""
    _require_enrollment(actor, goal.enrollment)
    return save_versioned(actor=actor, obj=goal, version=version, changes=changes)


def add_network_member(*, actor, person: Person, **fields) -> NetworkMember:
    """A relative or member of the person's primary network (``relationship``, ``name``,
    ``phone``, ``engaged``): personal data, encrypted and audited."""
    selectors.require_person(actor, person)
    _require_edit(actor)
    require_consent(person, Purpose.PARTICIPATION, timezone.localdate())
    member = NetworkMember(person=person, recorded_by=access.user_of(actor), **fields)
    return _save(actor, member, label=person.pid, detail={"engaged": member.engaged}, personal=True)


def record_contact(*, actor, person: Person, **fields) -> Contact:
    """A contact (``date``, ``channel``, ``note``); needs the follow-up consent."""
    selectors.require_person(actor, person)
    _require_edit(actor)
    require_consent(person, Purpose.FOLLOW_UP, fields["date"])
    contact = Contact(person=person, recorded_by=access.user_of(actor), **fields)
    return _save(actor, contact, label=person.pid, detail={"channel": contact.channel})


def record_outcome(*, actor, enrollment: Enrollment, **fields) -> Outcome:
    """A 6/12/24-month follow-up (``months``, ``after_exit``, ``recorded_on``, outcomes)."""
    _require_enrollment(actor, enrollment)
    require_consent(enrollment.person, Purpose.FOLLOW_UP, fields["recorded_on"])
    outcome = Outcome(enrollment=enrollment, **fields)
    try:
        with transaction.atomic():
            return _save(
                actor, outcome, label=enrollment.person.pid, detail={"months": outcome.months}
            )
    except ValidationError as error:
        if "__all__" in getattr(error, "error_dict", {}):
            raise ValidationError(
                _("This follow-up is already recorded: open it to change it."),
                code="outcome_exists",
            ) from None
        raise


def _shared(person: Person, consent) -> str:
    shared = {
        field: getattr(person, field) for field in consent.shared_fields if getattr(person, field)
    }
    shared["pid"] = person.pid
    return json.dumps(shared, sort_keys=True)


def refer(*, actor, enrollment: Enrollment, to_organization, reason: str) -> Referral:
    """Refer a person to another organization with only the fields the consent lets travel."""
    _require_enrollment(actor, enrollment)
    if to_organization.pk == enrollment.organization_id:
        raise ValidationError(_("Refer to another organization, not the responsible one."))
    today = timezone.localdate()
    consent = require_consent(
        enrollment.person, Purpose.SHARING, today, organization=to_organization
    )
    person = enrollment.person
    referral = Referral(
        person=person,
        enrollment=enrollment,
        to_organization=to_organization,
        reason=reason,
        shared=_shared(person, consent),
        sent_on=today,
    )
    return _save(
        actor,
        referral,
        label=person.pid,
        detail={"to": to_organization.pk, "fields": sorted(json.loads(referral.shared))},
        personal=True,
    )


def refer_from_court(
    *,
    actor,
    person: Person,
    to_organization,
    reference: str,
    reason: str,
    track: str,
    source: str = ReferralSource.CIVIC_JUDGE,
) -> Referral:
    """A referral sent by a court (a civic judge's Medida), not by an organization: it names
    the court's case by ``reference`` only, and waits for the organization's answer like any
    other. Called by the court's own service, which checked its permissions and recorded the
    consent; refused unless the consent to share with ``to_organization`` is in force."""
    today = timezone.localdate()
    consent = require_consent(person, Purpose.SHARING, today, organization=to_organization)
    require_consent(person, Purpose.PARTICIPATION, today)
    referral = Referral(
        person=person,
        source=source,
        source_reference=reference,
        to_organization=to_organization,
        reason=reason,
        track=track,
        shared=_shared(person, consent),
        sent_on=today,
    )
    return _save(
        actor,
        referral,
        label=person.pid,
        detail={"to": to_organization.pk, "source": source, "reference": reference},
        personal=True,
    )


def referrals_received(user):
    """Referrals sent to the user's organizations (the shared data is all they may read)."""
    ids = scope.person_organization_ids(user)
    qs = Referral.objects.select_related("person", "enrollment", "to_organization")
    return qs if ids is None else qs.filter(to_organization_id__in=ids)


def shared_data(user, referral: Referral) -> dict:
    """The personal fields that travelled with a referral, read by the receiving side."""
    if not referrals_received(user).filter(pk=referral.pk).exists():
        raise PermissionDenied
    person = referral.person
    if referral.status == ReferralStatus.DECLINED:  # declined: nothing was kept to read
        return {"pid": person.pid}
    try:  # checked at every read: a withdrawn consent shares nothing any more
        require_consent(
            person, Purpose.SHARING, timezone.localdate(), organization=referral.to_organization
        )
    except ConsentMissing:
        return {"pid": person.pid}
    record(
        actor=user,
        action=Action.VIEW,
        obj=referral,
        object_label=person.pid,
        personal_data=True,
    )
    return json.loads(referral.shared or "{}")


def answer_referral(
    *,
    actor,
    referral: Referral,
    accept: bool,
    track: str = "",
    decline_reason: str = "",
) -> Referral:
    """The receiving organization accepts (enrolling the person with it, referred by the
    referral's source) or declines, saying why.

    Least privilege on a decline: the personal fields the referral carried are erased from it
    (it keeps the pseudonymous id, like a withdrawn consent's), and a person registered only
    for a civic court's referral (``Person.held_for_referral``) stays out of the organization's
    reach (``Person.objects.kept_by``). On an acceptance such a person is taken in: the
    accepting organization becomes the one that registered them."""
    if not referrals_received(actor).filter(pk=referral.pk).exists():
        raise PermissionDenied(_("This referral was not sent to your organization."))
    _require_edit(actor, referral.to_organization_id)
    decline_reason = decline_reason.strip()
    if not accept and not decline_reason:
        raise ValidationError(
            {"decline_reason": _("Say why the referral is declined: the sender reads it.")},
            code="decline_reason_missing",
        )
    today = timezone.localdate()
    with transaction.atomic():
        # One answer, even when two staff members press at once.
        answered = Referral.objects.filter(pk=referral.pk, status=ReferralStatus.PENDING).update(
            status=ReferralStatus.ACCEPTED if accept else ReferralStatus.DECLINED,
            answered_on=today,
            answered_by=access.user_of(actor),
            decline_reason="" if accept else decline_reason[:200],
        )
        if not answered:
            raise ValidationError(_("This referral was already answered."), code="answered")
        referral.refresh_from_db()
        person = referral.person
        if accept:
            require_consent(person, Purpose.PARTICIPATION, today)
            # Accepting takes the person in: only with the consent to share with this
            # organization still in force.
            require_consent(person, Purpose.SHARING, today, organization=referral.to_organization)
            enrollment = Enrollment(
                person=person,
                organization=referral.to_organization,
                track=track or referral.proposed_track,
                referral_source=referral.source,
                start_date=today,
                case_worker=access.user_of(actor),
            )
            _save(actor, enrollment, label=enrollment.audit_label)
            Referral.objects.filter(pk=referral.pk).update(accepted_enrollment=enrollment)
            referral.accepted_enrollment = enrollment
            # Held for a court's referral (perhaps declined by another organization first):
            # the organization that takes the person in keeps their record from now on.
            taken_in = Person.objects.filter(pk=person.pk, held_for_referral=True).update(
                organization=referral.to_organization, held_for_referral=False
            )
        else:
            # What travelled for the answer is not kept once the answer is no.
            Referral.objects.filter(pk=referral.pk).update(shared=json.dumps({"pid": person.pid}))
            taken_in = 0
        record(
            actor=actor,
            action=Action.UPDATE,
            obj=referral,
            object_label=person.pid,
            detail={"status": referral.status}
            | ({"taken_in": True} if taken_in else {})
            | ({} if accept else {"shared_erased": True}),
        )
    return referral
