"""Reads of civic-justice records, always on behalf of a user.

A user with the civic-justice capability sees the cases of the juzgados they are assigned to
(``Juzgado.members``) or, when assigned to none, of every juzgado in their municipalities
(``accounts.scope``). Other roles see no case at all (they read the indicators). Out of scope
answers 404 exactly like a missing record. Personal fields (of the person and of the case) are
read through :func:`view_personal_fields`, which writes the audit event.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Max, Q
from django.http import Http404
from django.utils import timezone

from civica.accounts import access, scope
from civica.accounts.roles import Capability
from civica.audit.services import Action, record
from civica.justice.models import (
    CASE_PERSONAL_FIELDS,
    PERSONAL_FIELDS,
    Case,
    FollowUp,
    Juzgado,
    Mediation,
    Offence,
    OffenceCatalogue,
    PresentedPerson,
)

__all__ = [
    "board",
    "case_by_pk",
    "case_list",
    "cases",
    "catalogues",
    "due_follow_ups",
    "hearings",
    "instruments",
    "juzgados",
    "managed_juzgado",
    "managed_juzgados",
    "measure_answer",
    "measure_attendance",
    "member_candidates",
    "offences",
    "persons",
    "view_personal_fields",
]

#: Hours since the detention from which the board warns that the 36 hours are near.
WARN_HOURS = 30


def juzgados(user):
    """The juzgados whose cases the user may see."""
    if access.is_system(user):
        return Juzgado.objects.select_related("municipality")
    if not user.is_authenticated or not user.can(Capability.CIVIC_JUSTICE):
        return Juzgado.objects.none()
    qs = Juzgado.objects.select_related("municipality")
    if user.is_administrator:
        return qs
    own = Juzgado.objects.filter(members=user)
    if own.exists():
        return qs.filter(pk__in=own.values("pk"))
    ids = scope.municipality_ids(user)
    if ids is None:
        return qs
    return qs.filter(municipality_id__in=ids)


def cases(user):
    return Case.objects.filter(juzgado__in=juzgados(user)).select_related(
        "juzgado", "juzgado__municipality", "person"
    )


def case_list(user, *, open_only=False, start=None, end=None, juzgado_id=None):
    """Cases of the user's scope for a list or its export, latest presented first:
    ``open_only`` keeps those not closed; ``start``/``end`` are local dates of presentation."""
    from django.db.models import Prefetch

    qs = cases(user)
    if open_only:
        qs = qs.filter(closed_at__isnull=True)
    if juzgado_id:
        qs = qs.filter(juzgado_id=juzgado_id)
    if start:
        qs = qs.filter(presented_at__gte=_day_start(start))
    if end:
        qs = qs.filter(presented_at__lt=_day_start(end + dt.timedelta(days=1)))
    return qs.order_by("-presented_at", "-id").prefetch_related(
        Prefetch("offences", queryset=Offence.objects.only("id", "code"))
    )


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def case_by_pk(user, pk) -> Case:
    try:
        return cases(user).get(pk=pk)
    except (Case.DoesNotExist, ValueError, TypeError):
        raise Http404("case") from None


def persons(user):
    return PresentedPerson.objects.filter(cases__in=cases(user)).distinct()


def catalogues(user=None, *, municipality=None):
    """Catalogues of faltas are law: every signed-in user may read them."""
    qs = OffenceCatalogue.objects.select_related("municipality")
    if municipality is not None:
        qs = qs.filter(municipality=municipality)
    return qs


def catalogue_by_pk(pk) -> OffenceCatalogue:
    try:
        return OffenceCatalogue.objects.select_related("municipality").get(pk=pk)
    except (OffenceCatalogue.DoesNotExist, ValueError, TypeError):
        raise Http404("catalogue") from None


def offences(catalogue):
    return Offence.objects.filter(catalogue=catalogue).select_related("sanction_class")


def all_offences():
    return Offence.objects.select_related(
        "sanction_class", "catalogue", "catalogue__municipality"
    ).order_by("catalogue_id", "id")


def offences_in_force(*, juzgados, day: dt.date):
    """The faltas of the catalogues in force on ``day`` in the juzgados' municipalities."""
    municipality_ids = {j.municipality_id for j in juzgados}
    ids = []
    for municipality_id in municipality_ids:
        catalogue = (
            OffenceCatalogue.objects.filter(municipality_id=municipality_id, valid_from__lte=day)
            .exclude(valid_to__lt=day)
            .order_by("-valid_from")
            .first()
        )
        if catalogue is not None:
            ids.append(catalogue.pk)
    return (
        Offence.objects.filter(catalogue_id__in=ids)
        .select_related("sanction_class", "catalogue")
        .order_by("catalogue_id", "id")
    )


def mediation_of(case: Case, pk) -> Mediation:
    try:
        return Mediation.objects.get(case=case, pk=pk)
    except (Mediation.DoesNotExist, ValueError, TypeError):
        raise Http404("mediation") from None


def view_personal_fields(user, case: Case, *, purpose: str = "page") -> dict:
    """The person's and the case's personal fields for display; the read is audited."""
    if not cases(user).filter(pk=case.pk).exists():
        raise Http404("case")
    person = case.person
    record(
        actor=user,
        action=Action.VIEW,
        obj=case,
        personal_data=True,
        detail={
            "purpose": purpose,
            "person": person.pid,
            "fields": sorted(PERSONAL_FIELDS + CASE_PERSONAL_FIELDS),
        },
    )
    values = {field: getattr(person, field) for field in PERSONAL_FIELDS}
    values |= {field: getattr(case, field) for field in CASE_PERSONAL_FIELDS}
    return values


def board(user, *, now: dt.datetime | None = None) -> list[dict]:
    """The persons present in the user's juzgados: open cases not yet resolved, oldest
    detention first, with hours since detention and what each waits for."""
    now = now or timezone.now()
    open_cases = (
        cases(user)
        .filter(closed_at__isnull=True, resolved_at__isnull=True)
        .order_by("presented_at")
    )
    rows = []
    for case in open_cases[:500]:
        hours = case.hours_since_detention(now)
        rows.append(
            {
                "case": case,
                "hours": hours,
                "waits": case.stage,
                "warn": hours >= WARN_HOURS,
                "over": hours >= 36,
            }
        )
    rows.sort(key=lambda row: -row["hours"])
    return rows


def hearings(user, *, day: dt.date | None = None, days: int = 7):
    """Hearings scheduled from ``day`` for ``days`` days, and unheard cases without a time."""
    day = day or timezone.localdate()
    start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    end = start + dt.timedelta(days=days)
    return (
        cases(user)
        .filter(hearing_started_at__isnull=True, closed_at__isnull=True)
        .filter(Q(hearing_scheduled_at__gte=start, hearing_scheduled_at__lt=end))
        .order_by("hearing_scheduled_at")
    )


def unscheduled(user):
    """Open cases waiting for a hearing without a scheduled time."""
    return (
        cases(user)
        .filter(
            hearing_started_at__isnull=True,
            hearing_scheduled_at__isnull=True,
            closed_at__isnull=True,
        )
        .order_by("presented_at")[:200]
    )


def due_follow_ups(user, *, today: dt.date | None = None) -> dict:
    """What is due: mediation checks at 30/90 days, community work not yet served, measures
    without attendance recorded, for resolved cases not closed."""
    today = today or timezone.localdate()
    mediations = []
    for mediation in Mediation.objects.filter(case__in=cases(user)).select_related("case"):
        for days, due in mediation.due_checks():
            if due <= today + dt.timedelta(days=7):
                mediations.append({"mediation": mediation, "days": days, "due": due})
    mediations.sort(key=lambda row: row["due"])
    open_resolved = cases(user).filter(resolved_at__isnull=False, closed_at__isnull=True)
    served = {}
    for entry in FollowUp.objects.filter(case__in=open_resolved, kind="hours"):
        served[entry.case_id] = served.get(entry.case_id, 0) + float(entry.hours or 0)
    work = []
    for case in open_resolved.filter(community_hours__gt=0).order_by("resolved_at"):
        done = served.get(case.pk, 0.0)
        if done < case.community_hours:
            work.append({"case": case, "served": done, "owed": case.community_hours - done})
    measures = list(open_resolved.filter(sanction="mmcc").order_by("resolved_at"))
    return {"mediations": mediations, "community_work": work, "measures": measures}


def measure_answer(user, case: Case) -> dict | None:
    """The organization's answer to the diversion of a case: ``status`` (pending, accepted,
    declined) and its ``status_label`` in the reader's language, when it was sent and
    answered, and the reason given for a decline — read from the participants' referral,
    nothing else of it. ``None`` when the measure was not referred."""
    case = case_by_pk(user, case.pk)
    referral = case.measure_referral
    if referral is None:
        return None
    return {
        "organization": referral.to_organization.name,
        "status": referral.status,
        "status_label": referral.get_status_display(),
        "sent_on": referral.sent_on,
        "answered_on": referral.answered_on,
        "decline_reason": referral.decline_reason,
    }


def measure_attendance(user, case: Case) -> dict | None:
    """The attendance at a diverted measure, read from the organization's own records of the
    enrollment its acceptance of the referral opened: sessions attended, sessions recorded as
    missed, the planned number (the resolution's) and the last attendance date. Nothing else
    of the participant — no notes, services' kinds, goals or other enrollments — leaves the
    organization's records. ``None`` until the organization accepted the referral."""
    from civica.participants.models import Service

    case = case_by_pk(user, case.pk)
    referral = case.measure_referral
    if referral is None or not referral.accepted_enrollment_id:
        return None
    counts = Service.objects.filter(enrollment_id=referral.accepted_enrollment_id).aggregate(
        sessions_attended=Count("id", filter=Q(attended=True)),
        sessions_missed=Count("id", filter=Q(attended=False)),
        last=Max("date", filter=Q(attended=True)),
    )
    return {
        "organization": referral.to_organization.name,
        "attended": counts["sessions_attended"],
        "missed": counts["sessions_missed"],
        "planned": case.measure_sessions,
        "last": counts["last"],
    }


def managed_juzgados(user):
    """The juzgados whose members the user manages: an administrator those of the
    municipalities in their scope (every one when nationwide), a civic judge those they see."""
    from civica.accounts.roles import Role

    if not user.is_authenticated:
        return Juzgado.objects.none()
    if user.is_administrator:
        # Administrators see everything (accounts.scope); one assigned to municipalities or
        # states manages the juzgados there, one assigned to none every juzgado.
        qs = Juzgado.objects.select_related("municipality")
        own = Q(municipality__in=user.municipalities.all()) | Q(
            municipality__state__in=user.states.all()
        )
        if user.nationwide or not (user.municipalities.exists() or user.states.exists()):
            return qs
        return qs.filter(own)
    if user.role == Role.CIVIC_JUDGE:
        return juzgados(user)
    return Juzgado.objects.none()


def managed_juzgado(user, pk) -> Juzgado:
    try:
        return managed_juzgados(user).get(pk=pk)
    except (Juzgado.DoesNotExist, ValueError, TypeError):
        raise Http404("juzgado") from None


def members(juzgado: Juzgado):
    return juzgado.members.order_by("username")


def member_candidates(juzgado: Juzgado):
    """Active users holding a civic-justice role whose scope includes the juzgado's
    municipality, not yet members: who may be added."""
    from django.contrib.auth import get_user_model

    from civica.justice.permissions import JUSTICE_ROLES

    return (
        get_user_model()
        .objects.filter(is_active=True, role__in=JUSTICE_ROLES)
        .filter(
            Q(municipalities=juzgado.municipality_id)
            | Q(states=juzgado.municipality.state_id)
            | Q(nationwide=True)
        )
        .exclude(pk__in=juzgado.members.values("pk"))
        .distinct()
        .order_by("username")
    )


def instruments(user):
    """The screening instruments a juzgado may apply (participants' program-wide reference)."""
    from civica.participants import selectors as people

    return people.instruments(user)
