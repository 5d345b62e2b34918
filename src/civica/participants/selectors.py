"""Reads of participants, always on behalf of a user.

A person belongs to the organization that registered them and to every organization that
enrolled them — except that a person registered for a civic court's referral belongs to the
organization only once it accepts the referral (``Person.objects.kept_by``). A user sees
the persons of their organizations (``scope.person_organization_ids``); roles without access
to personal data see none (they use the aggregate counts in ``reach.py``). Out of scope
answers 404 exactly like a missing record, whether asked by pseudonymous id, by database id
or through an API filter.
"""

from __future__ import annotations

import datetime as dt

from django.http import Http404
from django.utils import timezone

from civica.accounts import access, scope
from civica.accounts.roles import Role
from civica.audit.services import Action, record
from civica.participants.models import Enrollment, Outcome, Person

__all__ = [
    "caseload",
    "due_follow_ups",
    "history",
    "person_by_pid",
    "persons",
    "require_person",
    "view_personal_fields",
]


def persons(user):
    """Persons the user may see (merged duplicates excluded)."""
    ids = scope.person_organization_ids(user)
    qs = Person.objects.filter(merged_into__isnull=True).select_related("municipality")
    if ids is None:
        return qs
    if not ids:
        return qs.none()
    # Registered or enrolled by the user's organizations; a person held for a court's
    # referral only once an organization accepted it (``Person.objects.kept_by``).
    return qs.kept_by(ids)


def history(user, person: Person) -> dict:
    """The records of a person's file the user's organizations wrote (all for a nationwide
    administrator). An organization that took a person in through a referral sees its own
    work with them, not another organization's screenings, services, programs, goals or
    notes on the family network: only the fields the data-sharing consent let travel (on
    the referral) cross between them."""
    from django.contrib.auth import get_user_model

    ids = scope.person_organization_ids(user)
    enrollments = person.enrollments.select_related("organization", "case_worker").prefetch_related(
        "goals"
    )
    screenings = person.screenings.select_related("instrument", "retest_of")
    services = person.services.select_related("enrollment")
    contacts = person.contacts.all()
    network = person.network.all()
    if ids is not None:
        enrollments = enrollments.filter(organization_id__in=ids)
        screenings = screenings.filter(organization_id__in=ids)
        services = services.filter(enrollment__organization_id__in=ids)
        writers = get_user_model().objects.filter(organizations__id__in=ids)
        contacts = contacts.filter(recorded_by__in=writers)
        network = network.filter(recorded_by__in=writers)
    return {
        "enrollments": list(enrollments),
        "screenings": list(screenings),
        "services": list(services),
        "contacts": list(contacts),
        "network": list(network),
    }


def person_by_pid(user, pid: str) -> Person:
    try:
        return persons(user).get(pid=str(pid).upper())
    except Person.DoesNotExist:
        raise Http404("person") from None


def require_person(user, person: Person) -> Person:
    """Raise 404 unless ``person`` is in the user's scope (always for ``access.SYSTEM``)."""
    if scope.person_organization_ids(user) is not None and (
        not persons(user).filter(pk=person.pk).exists()
    ):
        raise Http404("person")
    return person


def view_personal_fields(user, person: Person, *, purpose: str = "page") -> dict:
    """The person's personal fields for display, recording the view in the audit log."""
    from civica.participants.models import PERSONAL_FIELDS

    require_person(user, person)
    allowed = personal_fields_allowed(user, person)
    record(
        actor=user,
        action=Action.VIEW,
        obj=person,
        personal_data=True,
        detail={"purpose": purpose, "fields": sorted(allowed)},
    )
    return {field: getattr(person, field) if field in allowed else "" for field in PERSONAL_FIELDS}


def personal_fields_allowed(user, person: Person) -> set[str]:
    """The personal fields the user may read: all for the registering organization (and an
    administrator); for an organization that took the person in through a referral, only the
    fields of a sharing consent naming it that is in force today — checked at every read, so
    a withdrawal takes them back at once."""
    from civica.participants.models import PERSONAL_FIELDS

    ids = scope.person_organization_ids(user)
    if ids is None or (person.organization_id in ids and not person.held_for_referral):
        return set(PERSONAL_FIELDS)
    today = timezone.localdate()
    allowed: set[str] = set()
    for consent in person.consents.filter(share_with__in=ids).distinct():
        if consent.active_on(today):
            allowed |= set(consent.shared_fields)
    return allowed & set(PERSONAL_FIELDS)


def enrollments(user):
    ids = scope.person_organization_ids(user)
    qs = Enrollment.objects.select_related("person", "organization", "case_worker").filter(
        person__merged_into__isnull=True
    )
    if ids is None:
        return qs
    return qs.filter(organization_id__in=ids)


def caseload(user, *, open_only: bool = True):
    """The open cases a user works on: a case worker's own cases; a supervisor's (and an
    administrator's) every case of their organizations."""
    qs = enrollments(user)
    if open_only:
        qs = qs.filter(exit_date__isnull=True)
    if user.role == Role.CASE_WORKER:
        qs = qs.filter(case_worker=user)
    return qs.order_by("person__pid", "id")


def due_follow_ups(enrollment_list, *, today: dt.date | None = None, horizon_days: int = 30):
    """For each enrollment, the follow-ups (6/12/24 months) due by ``today + horizon`` and not
    yet recorded, as ``{enrollment_id: [(months, due_date, overdue), ...]}``."""
    today = today or timezone.localdate()
    horizon = today + dt.timedelta(days=horizon_days)
    ids = [e.pk for e in enrollment_list]
    done = set(
        Outcome.objects.filter(enrollment_id__in=ids).values_list(
            "enrollment_id", "months", "after_exit"
        )
    )
    due: dict[int, list] = {}
    for enrollment in enrollment_list:
        after_exit = enrollment.exit_date is not None
        for months, day in enrollment.follow_up_dates():
            if day <= horizon and (enrollment.pk, months, after_exit) not in done:
                due.setdefault(enrollment.pk, []).append((months, day, day < today))
    return due


def residence_sectors(user):
    """Sectors a person's sector of residence may be chosen from: those of the municipalities
    in the user's scope and where the user's organizations work (a case worker's scope is
    organizations, not places); every sector only for a user without a territorial limit."""
    from civica.organizations.models import Organization
    from civica.territory.models import Sector

    ids = scope.municipality_ids(user)
    qs = Sector.objects.select_related("municipality").order_by("municipality__name", "name")
    if ids is None:
        return qs
    organizations = scope.person_organization_ids(user)
    places = set(ids)
    if organizations is None:
        return qs
    places |= set(
        Organization.objects.filter(pk__in=organizations, municipality__isnull=False).values_list(
            "municipality_id", flat=True
        )
    )
    return qs.filter(municipality_id__in=places)


def organizations(user):
    """The organizations whose participants the user works with (all for an administrator
    and the system), by name: where a person may be registered or enrolled."""
    from civica.organizations.models import Organization

    ids = scope.person_organization_ids(user)
    qs = Organization.objects.order_by("name")
    return qs if ids is None else qs.filter(pk__in=ids)


def referral_organizations(user):
    """The organizations a person may be referred to: every other organization (their names
    are not personal data)."""
    from civica.organizations.models import Organization

    mine = scope.person_organization_ids(user)
    qs = Organization.objects.order_by("name")
    return qs if mine is None else qs.exclude(pk__in=mine)


def instruments(user):
    """Screening instruments (every version): a program-wide reference, not a record."""
    from civica.participants.models import Instrument

    access.actor(user)
    return Instrument.objects.all()


def goals(user, enrollment_list):
    """Goals of the given enrollments, which the caller took from :func:`enrollments`."""
    from civica.participants.models import Goal

    access.actor(user)
    return Goal.objects.select_related("enrollment__person").filter(enrollment__in=enrollment_list)


def services_of(user, person: Person):
    """The person's services under the user's organizations' enrollments."""
    from civica.participants.models import Service

    return Service.objects.filter(person=person, enrollment__in=enrollments(user)).select_related(
        "enrollment__organization"
    )


def stored_version(obj) -> int:
    """The version of ``obj`` as stored now (after a save refused as stale, the next save is
    judged against what the user has now seen)."""
    return type(obj).objects.filter(pk=obj.pk).values_list("version", flat=True).get()
