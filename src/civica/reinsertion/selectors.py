"""Reads of reinsertion records, always on behalf of a user.

Facilities are seen by the users of the organizations working inside them (administrators
see all); stays, cohorts' women and follow-ups follow the participants' rules (the case's
organization, ``participants.selectors``); lotteries belong to the organization that runs
them. Out of scope answers 404 like a missing record.
"""

from __future__ import annotations

import datetime as dt

from dateutil.relativedelta import relativedelta
from django.http import Http404
from django.utils import timezone

from civica.accounts import scope
from civica.participants import selectors as people
from civica.participants.models import Track
from civica.reinsertion.models import (
    Applicant,
    Cohort,
    Custody,
    Facility,
    Lottery,
    ReleaseFollowUp,
    follow_up_schedule,
)

__all__ = [
    "applicants",
    "caseload",
    "cohort_by_id",
    "cohorts",
    "custodies",
    "custody_of",
    "due_after_release",
    "facilities",
    "facility_by_id",
    "lotteries",
    "lottery_by_id",
]

TRACKS = (Track.WOMEN_DETENTION, Track.REINSERTION)


def facilities(user):
    ids = scope.organization_ids(user)
    qs = Facility.objects.select_related("state", "municipality").order_by("state__name", "name")
    if ids is None:
        return qs
    return qs.filter(organizations__id__in=ids).distinct()


def facility_by_id(user, pk) -> Facility:
    try:
        return facilities(user).get(pk=pk)
    except (Facility.DoesNotExist, ValueError):
        raise Http404("facility") from None


def cohorts(user):
    ids = scope.person_organization_ids(user)
    qs = Cohort.objects.select_related("facility", "organization")
    if ids is None:
        return qs
    return qs.filter(organization_id__in=ids)


def cohort_by_id(user, pk) -> Cohort:
    try:
        return cohorts(user).get(pk=pk)
    except (Cohort.DoesNotExist, ValueError):
        raise Http404("cohort") from None


def custodies(user):
    """Stays whose case belongs to the user's organizations (personal-data roles only)."""
    enrollments = people.enrollments(user)
    return Custody.objects.select_related("enrollment__person", "facility").filter(
        enrollment__in=enrollments
    )


def custody_of(user, person) -> Custody | None:
    return custodies(user).filter(enrollment__person=person).order_by("-admission_date").first()


def caseload(user):
    """The user's open reinsertion cases (detention and community), as the participants
    caseload decides: a case worker's own, a supervisor's whole organization."""
    return people.caseload(user).filter(track__in=TRACKS)


def follow_ups(user, enrollment):
    people.require_person(user, enrollment.person)
    return ReleaseFollowUp.objects.filter(enrollment=enrollment).order_by("months")


def due_after_release(enrollments, *, today: dt.date | None = None, horizon_days: int = 30):
    """For each case: the after-release follow-ups (1/3/6/12 months) due by
    ``today + horizon`` and not recorded, and a missing transition plan when the expected
    release is within 30 days; ``{enrollment_id: [(what, due_date, overdue)]}``."""
    today = today or timezone.localdate()
    horizon = today + dt.timedelta(days=horizon_days)
    ids = [e.pk for e in enrollments]
    stays = {
        c.enrollment_id: c
        for c in Custody.objects.filter(enrollment_id__in=ids).select_related("plan")
    }
    done = set(
        ReleaseFollowUp.objects.filter(enrollment_id__in=ids).values_list("enrollment_id", "months")
    )
    due: dict[int, list] = {}
    for enrollment in enrollments:
        stay = stays.get(enrollment.pk)
        release = stay.actual_release if stay else enrollment.exit_date
        if stay and not release and stay.expected_release:
            has_plan = hasattr(stay, "plan")
            plan_due = stay.expected_release - dt.timedelta(days=30)
            if not has_plan and plan_due <= horizon:
                due.setdefault(enrollment.pk, []).append(("plan", plan_due, plan_due < today))
        if release is None:
            continue
        for months, day in follow_up_schedule(release):
            if day <= horizon and (enrollment.pk, months) not in done:
                due.setdefault(enrollment.pk, []).append((months, day, day < today))
    return due


def lotteries(user):
    ids = scope.organization_ids(user)
    qs = Lottery.objects.select_related("organization")
    if ids is None:
        return qs
    return qs.filter(organization_id__in=ids)


def lottery_by_id(user, pk) -> Lottery:
    try:
        return lotteries(user).get(pk=pk)
    except (Lottery.DoesNotExist, ValueError):
        raise Http404("lottery") from None


def applicants(user, lottery: Lottery):
    """A lottery's applicants with their pseudonymous ids: only for roles that see persons of
    the lottery's organization."""
    ids = scope.person_organization_ids(user)
    qs = Applicant.objects.filter(lottery=lottery).select_related(
        "person", "enrollment", "screening"
    )
    if ids is not None and lottery.organization_id not in ids:
        return qs.none()
    return qs


def outcome_window(lottery: Lottery, months: int) -> dt.date | None:
    return (
        timezone.localtime(lottery.drawn_at).date() + relativedelta(months=months)
        if lottery.drawn_at
        else None
    )


def organizations(user):
    """Organizations the user works for (all for an administrator)."""
    from civica.organizations.models import Organization

    ids = scope.person_organization_ids(user)
    qs = Organization.objects.order_by("name")
    return qs if ids is None else qs.filter(pk__in=ids)


def colleagues(user):
    """Users of the user's organizations: owners of transition tasks."""
    from django.contrib.auth import get_user_model

    ids = scope.person_organization_ids(user)
    qs = get_user_model().objects.filter(is_active=True).order_by("username")
    return qs if ids is None else qs.filter(organizations__id__in=ids).distinct()


def cases_of(user, person):
    """The person's reinsertion cases (detention and community) with the user's
    organizations, newest first."""
    people.require_person(user, person)
    return (
        people.enrollments(user)
        .filter(person=person, track__in=TRACKS)
        .order_by("-start_date", "-id")
    )


def member_of(cohort, pk):
    try:
        return cohort.members.select_related("custody__enrollment__person").get(pk=pk)
    except (ValueError, cohort.members.model.DoesNotExist):
        raise Http404("member") from None


def applicant_of(user, lottery, pk) -> Applicant:
    try:
        return applicants(user, lottery).get(pk=pk)
    except (ValueError, Applicant.DoesNotExist):
        raise Http404("applicant") from None


def task_of(user, pid, pk):
    """A transition task of the woman's plan, in the user's scope (404 otherwise)."""
    from civica.reinsertion.models import TransitionTask

    person = people.person_by_pid(user, pid)
    stay = custody_of(user, person)
    try:
        return TransitionTask.objects.select_related("plan__custody__enrollment__person").get(
            pk=pk, plan__custody=stay
        )
    except (ValueError, TransitionTask.DoesNotExist):
        raise Http404("task") from None


def community_cases(user, *, open_only: bool = True):
    """Community-based reinsertion cases of the user's caseload (a case worker's own, a
    supervisor's organization); with ``open_only=False`` the closed ones too, whose
    follow-ups after exit are still due."""
    return (
        people.caseload(user, open_only=open_only)
        .filter(track=Track.REINSERTION)
        .select_related("person", "organization")
    )


def community_case_of(user, person):
    """The person's latest community-based reinsertion case with the user's organizations."""
    return cases_of(user, person).filter(track=Track.REINSERTION).first()


def latest_screenings(user, persons) -> dict:
    """``{person_id: Screening}``: each person's latest eligibility screening the user's
    organizations applied (participants' versioned instruments)."""
    from civica.participants.models import Screening

    ids = scope.person_organization_ids(user)
    qs = Screening.objects.filter(person__in=persons).select_related("instrument", "person")
    if ids is not None:
        qs = qs.filter(organization_id__in=ids)
    latest = {}
    for screening in qs.order_by("date", "id"):
        latest[screening.person_id] = screening
    return latest


def sessions_per_case(cases) -> dict[int, int]:
    """``{enrollment_id: services attended}`` of cases already read in the user's scope."""
    from django.db.models import Count

    from civica.participants.models import Service

    return dict(
        Service.objects.filter(enrollment__in=[c.pk for c in cases], attended=True)
        .values_list("enrollment_id")
        .annotate(n=Count("id"))
        .values_list("enrollment_id", "n")
    )
