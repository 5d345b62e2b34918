"""Writes of persons and consents: registration with duplicate detection, versioned edits,
merges, consents. Every write is audited with field names only, never values.

``actor`` is the user on whose behalf the write happens; ``None`` means the system itself
(the synthetic generator, a command run by an operator) and is not checked against a scope.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from civica.accounts import access, scope
from civica.accounts.roles import Capability
from civica.audit.services import Action, record
from civica.participants import identity, selectors
from civica.participants.models import (
    PERSONAL_FIELDS,
    Consent,
    Contact,
    Enrollment,
    NetworkMember,
    Person,
    Purpose,
    Referral,
    Screening,
    Service,
)

__all__ = [
    "ConsentMissing",
    "DuplicateSuspected",
    "StaleRecord",
    "find_duplicates",
    "merge_persons",
    "record_consent",
    "register_person",
    "require_consent",
    "save_versioned",
    "similar_names",
    "withdraw_consent",
]

# Same birth date and municipality: a fairly similar name is enough to ask.
NAME_SIMILARITY = 0.85
# Same birth year and municipality only (a mistyped day or month): the wider net asks only
# for a very similar name, so that namesakes born the same year are rarely proposed.
NAME_SIMILARITY_SAME_YEAR = 0.9
PERSON_EDITABLE = (*PERSONAL_FIELDS, "sex", "municipality", "sector")


class DuplicateSuspected(ValidationError):
    """Registration found persons who may be the same; ``candidates`` are in the actor's scope."""

    def __init__(self, candidates: list[Person], *, exact: bool):
        self.candidates = candidates
        self.exact = exact
        message = (
            _(
                "A person with this CURP is already registered: %(pids)s. Open that record "
                "instead of creating a second one, or merge the records."
            )
            if exact
            else _(
                "Possible duplicates (similar name, same municipality, same birth date or "
                "birth year): %(pids)s. Open one of them, or confirm this is a different "
                "person."
            )
        )
        super().__init__(message % {"pids": ", ".join(p.pid for p in candidates)}, code="duplicate")


class StaleRecord(ValidationError):
    """A save based on an old version. ``differences`` (field, label, stored, submitted) are
    for the page of a user who may see them; the message names fields only, never values."""

    def __init__(self, differences: list[dict]):
        self.differences = differences
        labels = ", ".join(str(d["label"]) for d in differences) or _("none of your fields")
        super().__init__(
            _(
                "Someone saved this record after you opened it. Changed since then: %(fields)s. "
                "Review the differences and save again."
            )
            % {"fields": labels},
            code="stale",
        )


class ConsentMissing(ValidationError):
    pass


def _require_edit(actor, organization_id: int | None = None) -> None:
    if access.is_system(actor):
        return
    if not actor.can(Capability.EDIT_RECORDS) or not actor.can(Capability.VIEW_PERSONAL_DATA):
        raise PermissionDenied(_("Your role cannot register or change participants."))
    ids = scope.person_organization_ids(actor)
    if organization_id is not None and ids is not None and organization_id not in ids:
        raise PermissionDenied(_("You do not belong to that organization."))


def require_consent(person: Person, purpose: str, on: dt.date, *, organization=None) -> Consent:
    """The consent allowing ``purpose`` on ``on``; else ``ConsentMissing`` saying why not."""
    consents = list(person.consents.all())
    field = {Purpose.PARTICIPATION: "participation", Purpose.FOLLOW_UP: "follow_up"}.get(purpose)
    for consent in consents:
        if not consent.active_on(on):
            continue
        if field and getattr(consent, field):
            return consent
        if (
            purpose == Purpose.SHARING
            and organization is not None
            and (consent.share_with.filter(pk=organization.pk).exists())
        ):
            return consent
    withdrawn = any(c.withdrawn_on and c.withdrawn_on <= on for c in consents)
    label = Purpose(purpose).label
    if purpose == Purpose.SHARING and organization is not None:
        label = _("sharing data with %(org)s") % {"org": organization.name}
    if withdrawn:
        message = _(
            "%(pid)s withdrew the consent for %(purpose)s: this cannot be recorded. "
            "Record a new consent first if the person agrees again."
        )
    else:
        message = _(
            "%(pid)s has no consent for %(purpose)s on %(date)s: record the consent "
            "(from a parent or guardian for a minor) first."
        )
    raise ConsentMissing(
        message % {"pid": person.pid, "purpose": label, "date": on.isoformat()},
        code="consent_missing",
    )


def find_duplicates(
    actor,
    *,
    curp: str = "",
    given_names: str = "",
    family_names: str = "",
    birth_date: str = "",
    municipality_id: int | None = None,
    exclude: Person | None = None,
) -> tuple[list[Person], bool]:
    """Persons in the actor's scope who may be this one, and whether the match is by CURP.

    Without a CURP match, the candidates are the persons of the same municipality born the
    same year (``birth_year_index``) or on the same date (``birth_index``); only those are
    decrypted. Names are compared accent- and case-folded with difflib's ratio (the
    Ratcliff/Obershelp gestalt pattern matching, Ratcliff & Metzener 1988): ≥ 0.85 for the
    same birth date, ≥ 0.9 for the same year only, so a transposed day and month or a
    missing accent still finds the record.

    A CURP registered by an organization outside the actor's scope raises ``PermissionDenied``
    without naming it: the caller learns only that the person exists elsewhere.
    """
    pool = Person.objects.filter(merged_into__isnull=True)
    if exclude is not None:
        pool = pool.exclude(pk=exclude.pk)
    visible = Person.objects.all() if access.is_system(actor) else selectors.persons(actor)
    if curp:
        match = pool.filter(curp_index=identity.blind_index("curp", curp)).first()
        if match is not None:
            if not visible.filter(pk=match.pk).exists():
                _record_curp_probe(actor)
                raise PermissionDenied(
                    _(
                        "This CURP is already registered by another organization. Ask that "
                        "organization for a referral instead of registering the person again."
                    )
                )
            return [match], True
    if not birth_date or municipality_id is None:
        return [], False
    try:
        year = dt.date.fromisoformat(birth_date).year
    except ValueError:
        return [], False
    same_day = identity.blind_index("birth", f"{birth_date}|{municipality_id}")
    same_year = identity.birth_year_index(year, municipality_id)
    wanted = identity.normalize_name(f"{given_names} {family_names}")
    # Only the persons sharing the year index are decrypted (those with the same birth date
    # share it too); the whole table never is.
    narrowed = pool.filter(Q(birth_year_index=same_year) | Q(birth_index=same_day))
    candidates = []
    for person in visible.filter(pk__in=narrowed.values("pk")).order_by("pid"):
        name = identity.normalize_name(f"{person.given_names} {person.family_names}")
        if similar_names(wanted, name, same_day=person.birth_index == same_day):
            candidates.append(person)
    return candidates, False


def similar_names(wanted: str, other: str, *, same_day: bool) -> bool:
    """Whether two normalized names are close enough to ask (the thresholds above)."""
    threshold = NAME_SIMILARITY if same_day else NAME_SIMILARITY_SAME_YEAR
    matcher = difflib.SequenceMatcher(None, wanted, other)
    # The quick ratios are upper bounds of ratio(): most pairs are ruled out without it.
    return (
        matcher.real_quick_ratio() >= threshold
        and matcher.quick_ratio() >= threshold
        and matcher.ratio() >= threshold
    )


def register_person(
    *, actor, organization, not_duplicate_of=(), synthetic=False, **fields
) -> Person:
    """Validate and save a new person with a fresh pseudonymous id.

    ``fields`` are the personal and demographic fields (``given_names``, ``family_names``,
    ``birth_date`` as ISO text, ``curp``, ``address``, ``phone``, ``sex``, ``municipality``,
    ``sector``). Raises ``DuplicateSuspected`` when a CURP matches or when similar names with
    the same municipality and birth date (ratio ≥ 0.85) or birth year (≥ 0.9) are found and
    their pids are not all in
    ``not_duplicate_of`` (the user's confirmation that they are different persons).
    """
    _require_edit(actor, organization.pk)
    person = Person(organization=organization, synthetic=synthetic, **fields)
    person.full_clean(exclude=["pid", "version"])
    candidates, exact = find_duplicates(
        actor,
        curp=person.curp,
        given_names=person.given_names,
        family_names=person.family_names,
        birth_date=person.birth_date,
        municipality_id=person.municipality_id,
    )
    confirmed = set(not_duplicate_of)
    if exact or (candidates and not {p.pid for p in candidates} <= confirmed):
        raise DuplicateSuspected(candidates, exact=exact)
    person.refresh_derived()
    with transaction.atomic():
        person.pid = _free_pid()
        person.save()
        record(
            actor=actor,
            action=Action.CREATE,
            obj=person,
            personal_data=True,
            detail={"fields": sorted(k for k, v in fields.items() if v)},
        )
    return person


def _free_pid() -> str:
    while True:
        pid = identity.new_pid()
        if not Person.objects.filter(pid=pid).exists():
            return pid


def _value(obj, field: str):
    f = obj._meta.get_field(field)
    return getattr(obj, f.attname)


def save_versioned(*, actor, obj, version: int, changes: dict, validate=None):
    """Apply ``changes`` to ``obj`` if nobody saved it since ``version`` was loaded.

    The check and the write are one ``UPDATE … WHERE version = %s``, so two editors cannot
    both win. A stale save raises ``StaleRecord`` with each changed field's stored value and
    the submitted one; nothing is written.
    """
    try:
        return _save_versioned(
            actor=actor, obj=obj, version=version, changes=changes, validate=validate
        )
    except _CurpTaken as taken:
        # Recorded after the save's transaction rolled back, so the probe stays in the log.
        if taken.outside_scope:
            _record_curp_probe(actor)
        raise ValidationError({"curp": _("Another person has this CURP.")}) from None


class _CurpTaken(Exception):
    def __init__(self, *, outside_scope: bool):
        self.outside_scope = outside_scope


def _record_curp_probe(actor) -> None:
    """A CURP tried that another organization registered: the try is audited, as at
    registration, and the caller learns only that it is taken."""
    record(
        actor=actor,
        action=Action.VIEW,
        object_type="participants.Person",
        object_label="duplicate CURP outside scope",
        personal_data=True,
    )


def _save_versioned(*, actor, obj, version: int, changes: dict, validate=None):
    model = type(obj)
    with transaction.atomic():
        stored = model.objects.select_for_update().get(pk=obj.pk)
        if stored.version != version:
            differences = []
            for field, submitted in changes.items():
                current = getattr(stored, field)
                if current != submitted:
                    differences.append(
                        {
                            "field": field,
                            "label": model._meta.get_field(field).verbose_name,
                            "stored": current,
                            "submitted": submitted,
                        }
                    )
            raise StaleRecord(differences)
        for field, value in changes.items():
            setattr(obj, field, value)
        obj.full_clean(exclude=["pid", "version"])
        if validate is not None:
            validate(obj)
        if isinstance(obj, Person):
            obj.refresh_derived()
            if obj.curp:
                others, _exact = find_duplicates(access.SYSTEM, curp=obj.curp, exclude=obj)
                if others:
                    outside = not access.is_system(actor) and not (
                        selectors.persons(actor).filter(pk=others[0].pk).exists()
                    )
                    raise _CurpTaken(outside_scope=outside)
        # Only what differs from the stored row is written and audited: an unchanged form
        # saved as is leaves the record, its version and the audit trail as they were.
        changed = sorted(f for f in changes if _value(obj, f) != _value(stored, f))
        if not changed:
            return obj
        values = {model._meta.get_field(f).attname: _value(obj, f) for f in changed}
        if isinstance(obj, Person):
            values |= {
                "birth_month_index": obj.birth_month_index,
                "curp_index": obj.curp_index,
                "birth_index": obj.birth_index,
                "birth_year_index": obj.birth_year_index,
            }
        updated = model.objects.filter(pk=obj.pk, version=version).update(
            version=models.F("version") + 1, updated_at=timezone.now(), **values
        )
        if updated != 1:  # pragma: no cover - the row lock above makes this unreachable
            raise StaleRecord([])
        obj.version = version + 1
        record(
            actor=actor,
            action=Action.UPDATE,
            obj=obj,
            personal_data=isinstance(obj, Person),
            detail={"fields": changed},
        )
    return obj


def record_consent(*, actor, person: Person, share_with=(), **fields) -> Consent:
    """Save a consent (``given_by``, ``given_on``, ``participation``, ``follow_up``,
    ``guardian_name``, ``shared_fields``) after the model's rules."""
    selectors.require_person(actor, person)
    consent = Consent(person=person, recorded_by=access.user_of(actor), **fields)
    consent.full_clean(exclude=["recorded_by"])
    with transaction.atomic():
        consent.save()
        consent.share_with.set(share_with)
        record(
            actor=actor,
            action=Action.CREATE,
            obj=consent,
            object_label=person.pid,
            detail={
                "participation": consent.participation,
                "follow_up": consent.follow_up,
                "share_with": sorted(o.pk for o in share_with),
            },
        )
    return consent


def withdraw_consent(*, actor, consent: Consent, on: dt.date) -> Consent:
    """Withdraw a consent from ``on``. What it let travel goes with it: the personal fields
    copied into referrals to the organizations it named are erased (the referrals keep only
    the pseudonymous id), and those organizations read the fields no more."""
    selectors.require_person(actor, consent.person)
    consent.withdrawn_on = on
    consent.full_clean(exclude=["recorded_by"])
    person = consent.person
    with transaction.atomic():
        consent.save(update_fields=["withdrawn_on"])
        still_shared = {
            org
            for other in person.consents.exclude(pk=consent.pk)
            if other.active_on(max(on, timezone.localdate()))
            for org in other.share_with.values_list("pk", flat=True)
        }
        named = set(consent.share_with.values_list("pk", flat=True)) - still_shared
        erased = Referral.objects.filter(person=person, to_organization_id__in=named).update(
            shared=json.dumps({"pid": person.pid})
        )
        record(
            actor=actor,
            action=Action.UPDATE,
            obj=consent,
            object_label=person.pid,
            detail={"withdrawn_on": on.isoformat(), "referrals_erased": erased},
        )
    return consent


def merge_persons(*, actor, keep: Person, duplicate: Person) -> Person:
    """Move everything of ``duplicate`` to ``keep``; ``duplicate`` stays as a pointer."""
    selectors.require_person(actor, keep)
    selectors.require_person(actor, duplicate)
    if keep.pk == duplicate.pk:
        raise ValidationError(_("A record cannot be merged with itself."))
    organizations = _organizations_of(keep)
    if organizations != _organizations_of(duplicate):
        # Whoever sees one record would see the other's history and fields: a merge must
        # never widen who sees whom.
        raise ValidationError(
            _(
                "%(keep)s and %(duplicate)s are not kept by the same organizations: merging "
                "them would show each organization's person to the other. Only records of "
                "the same organizations can be merged; ask the other organization to merge, "
                "or refer the person."
            )
            % {"keep": keep.pid, "duplicate": duplicate.pid},
            code="merge_widens",
        )
    with transaction.atomic():
        for model in (Enrollment, Service, Screening, Consent, Contact, NetworkMember, Referral):
            model.objects.filter(person=duplicate).update(person=keep)
        if duplicate.curp and not keep.curp:
            keep_curp = duplicate.curp
            Person.objects.filter(pk=duplicate.pk).update(curp_index=None)
            save_versioned(actor=actor, obj=keep, version=keep.version, changes={"curp": keep_curp})
        Person.objects.filter(pk=duplicate.pk).update(merged_into=keep, curp_index=None)
        record(
            actor=actor,
            action=Action.UPDATE,
            obj=keep,
            personal_data=True,
            detail={"merged": duplicate.pid, "organizations": sorted(organizations)},
        )
        record(
            actor=actor,
            action=Action.UPDATE,
            obj=duplicate,
            personal_data=True,
            detail={"merged_into": keep.pid},
        )
    return keep


def _organizations_of(person: Person) -> set[int]:
    """Organizations that see the person: the registering one and every one enrolling them."""
    enrolled = Enrollment.objects.filter(person=person).values_list("organization_id", flat=True)
    return {person.organization_id, *enrolled}
