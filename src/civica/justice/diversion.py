"""Diversion: a Medida para Mejorar la Convivencia Cotidiana (MMCC) served with a program
organization is a referral of the person to that organization, which accepts or declines it.

The judge records the consent (the person's, or a parent's or guardian's for a minor) to take
part in the program and to be known to the organization; then the participants app's own
services do the rest — the identity (found again by the keyed CURP index, or registered),
the consent (``participants.services.record_consent``) and a referral from the civic court
(``participants.casework.refer_from_court``) that waits in the organization's "referrals
received" like any other. Accepting it there enrolls the person, referred by the civic judge
(``casework.answer_referral``, which checks the consent again); declining records why.
Nothing of the case travels: the organization receives the person's identification, the
juzgado's name and the case number, never the faltas, the narrative or the sanction.

The case then reads back the answer and, once accepted, only the measure's attendance
(``selectors.measure_attendance``).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civica.accounts import access
from civica.audit.services import Action, record
from civica.justice import permissions, selectors
from civica.justice.choices import Sanction
from civica.justice.models import Case, PresentedPerson
from civica.participants import casework
from civica.participants import services as participants
from civica.participants.models import (
    ConsentGiver,
    Person,
    Referral,
    ReferralSource,
    ReferralStatus,
    Track,
)

__all__ = ["IDENTIFICATION", "refer_to_measure"]

#: The personal fields the consent lets travel to the organization: who the person is, not
#: where they live or their phone.
IDENTIFICATION = ["given_names", "family_names", "birth_date", "curp"]


def _participant(person: PresentedPerson, organization, municipality) -> tuple[Person, bool]:
    """The participant who is this person (linked before, or same CURP), else a new one
    registered with the organization; ``True`` when new. Only the identification travels:
    names, birth date, CURP and sex — not the address or phone the juzgado holds."""
    if person.participant_id:
        found = Person.objects.get(pk=person.participant_id)
        while found.merged_into_id:  # a merged record points to the one kept
            found = Person.objects.get(pk=found.merged_into_id)
        return found, False
    if person.curp_index:
        found = Person.objects.filter(curp_index=person.curp_index, merged_into=None).first()
        if found is not None:
            return found, False
    fields = {
        # Registered for the referral only: the organization sees this person when it
        # accepts, never if it declines (``participants.models.Person.held_for_referral``).
        "held_for_referral": True,
        "given_names": person.given_names,
        "family_names": person.family_names,
        "birth_date": person.birth_date,
        "curp": person.curp,
        "sex": person.sex,
        "municipality": person.municipality or municipality,
        "synthetic": person.synthetic,
    }
    try:
        return participants.register_person(
            actor=access.SYSTEM, organization=organization, **fields
        ), True
    except participants.DuplicateSuspected as suspected:
        if suspected.exact:
            return suspected.candidates[0], False
        # Similar names only: the judge cannot see the organization's records to tell. The
        # new record is registered and the organization may merge it (the audit names them).
        return participants.register_person(
            actor=access.SYSTEM,
            organization=organization,
            not_duplicate_of=[p.pid for p in suspected.candidates],
            **fields,
        ), True


def refer_to_measure(
    *,
    actor,
    case: Case,
    consent: bool,
    given_by: str,
    guardian_name: str = "",
    given_on: dt.date | None = None,
    track: str = Track.PREVENTION,
) -> Referral:
    """Refer the person of a case resolved with a Medida (MMCC) to the measure's organization.

    Refused with a message unless the resolution imposes a measure with an organization that
    serves persons, the consent is recorded (``consent`` true), and for a minor it was given by
    a named parent or guardian. Once per measure: refused while a referral waits or was
    accepted (after a decline, the judge may choose another organization and refer again).
    Returns the participants' referral, pending; audited on the case.
    """
    permissions.require_stage(actor, "resolution")
    case = selectors.case_by_pk(actor, case.pk)
    organization = case.measure_organization
    if case.sanction != Sanction.MEASURE or not case.responsible or organization is None:
        raise ValidationError(
            _(
                "Only a resolution of responsibility with a Medida (MMCC) and the organization "
                "of the measure can be referred. Record them in the resolution first."
            ),
            code="no_measure",
        )
    previous = case.measure_referral
    if previous is not None and previous.status != ReferralStatus.DECLINED:
        raise ValidationError(
            _("This measure was already referred to %(org)s.")
            % {"org": previous.to_organization.name},
            code="already_referred",
        )
    from civica.organizations.models import Organization

    if not Organization.objects.serving_persons().filter(pk=organization.pk).exists():
        raise ValidationError(
            _("%(org)s does not work with persons: choose a program organization.")
            % {"org": organization.name},
            code="organization_kind",
        )
    given_on = given_on or timezone.localdate()
    errors = {}
    if not consent:
        errors["consent"] = _(
            "Record the consent to take part in the program with %(org)s before referring: "
            "without it nobody is referred."
        ) % {"org": organization.name}
    if given_on > timezone.localdate():
        errors["given_on"] = _("The consent cannot be given in the future.")
    minor = case.minor or (case.person.age_on(given_on) or 99) < 18
    if minor and given_by != ConsentGiver.GUARDIAN:
        errors["given_by"] = _(
            "The person is a minor: a parent or guardian gives the consent to the measure."
        )
    if given_by == ConsentGiver.GUARDIAN and not guardian_name.strip():
        errors["guardian_name"] = _(
            "Write the name of the parent or guardian who gave the consent."
        )
    if errors:
        raise ValidationError(errors)

    with transaction.atomic():
        person, new = _participant(case.person, organization, case.juzgado.municipality)
        participants.record_consent(
            actor=access.SYSTEM,
            person=person,
            given_by=given_by,
            guardian_name=guardian_name.strip() if given_by == ConsentGiver.GUARDIAN else "",
            given_on=given_on,
            participation=True,
            follow_up=True,
            share_with=[organization],
            shared_fields=IDENTIFICATION,
        )
        referral = casework.refer_from_court(
            actor=actor,
            person=person,
            to_organization=organization,
            # The case is named by its juzgado and case number (the folio the juzgado and the
            # person know, not a database id) only.
            reference=f"{case.juzgado.name} · {case.folio or case.pk}",
            reason="Medida para Mejorar la Convivencia Cotidiana (MMCC)",
            track=track,
            source=ReferralSource.CIVIC_JUDGE,
        )
        # One referral per measure, even when two judges press at once.
        if not Case.objects.filter(pk=case.pk, measure_referral=previous).update(
            measure_referral=referral
        ):
            raise ValidationError(
                _("This measure was already referred to %(org)s.") % {"org": organization.name},
                code="already_referred",
            )
        PresentedPerson.objects.filter(pk=case.person_id).update(participant=person)
        record(
            actor=actor,
            action=Action.CREATE,
            obj=case,
            personal_data=True,
            detail={
                "diversion": organization.pk,
                "participant": person.pid,
                "new_participant": new,
                "consent_given_by": given_by,
                "referral": referral.pk,
            },
        )
    case.measure_referral = referral
    return referral
