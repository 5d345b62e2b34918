"""Two organizations with their staff, and persons whose ages and dates can be checked by hand.

Organization A works in Cuauhtémoc, organization B in Tijuana. ``worker_a`` and
``supervisor_a`` belong to A, ``worker_b`` to B; ``officer`` is a program M&E officer
(aggregates only).
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from civica.accounts.roles import Role
from civica.accounts.tests.factories import make_user
from civica.organizations.models import Organization, OrganizationKind
from civica.participants import casework, services
from civica.participants.models import Instrument, Sex, Track

YSET_LIKE = {
    "scales": [
        {
            "code": f"S{n}",
            "label": f"Scale {n}",
            "items": [f"s{n}a", f"s{n}b"],
            "scoring": "sum",
            "threshold": 5,
        }
        for n in range(1, 10)
    ],
    "eligibility": {"min_scales": 4},
    "answers": {"min": 0, "max": 4},
}


def make_staff(territory) -> SimpleNamespace:
    org_a = Organization.objects.create(
        name="Fundación A", kind=OrganizationKind.CIVIL_SOCIETY, municipality=territory.cuauhtemoc
    )
    org_b = Organization.objects.create(
        name="Colectivo B", kind=OrganizationKind.CIVIL_SOCIETY, municipality=territory.tijuana
    )
    worker_a = make_user("wa", Role.CASE_WORKER)
    worker_a.organizations.set([org_a])
    worker_a2 = make_user("wa2", Role.CASE_WORKER)
    worker_a2.organizations.set([org_a])
    supervisor_a = make_user("sa", Role.SUPERVISOR)
    supervisor_a.organizations.set([org_a])
    worker_b = make_user("wb", Role.CASE_WORKER)
    worker_b.organizations.set([org_b])
    officer = make_user("me", Role.ME_OFFICER, nationwide=True)
    officer.organizations.set([org_a, org_b])
    return SimpleNamespace(
        org_a=org_a,
        org_b=org_b,
        worker_a=worker_a,
        worker_a2=worker_a2,
        supervisor_a=supervisor_a,
        worker_b=worker_b,
        officer=officer,
    )


def person_fields(territory, **overrides) -> dict:
    fields = {
        "given_names": "María Fernanda",
        "family_names": "López Hernández",
        "birth_date": "2008-05-20",
        "sex": Sex.FEMALE,
        "municipality": territory.cuauhtemoc,
    }
    return fields | overrides


def register(staff, territory, *, actor=None, organization=None, **overrides):
    return services.register_person(
        actor=actor if actor is not None else staff.worker_a,
        organization=organization or staff.org_a,
        **person_fields(territory, **overrides),
    )


def consent(person, *, actor=None, on=dt.date(2023, 1, 10), **overrides):
    fields = {
        "given_by": "guardian",
        "guardian_name": "Rosa Hernández",
        "given_on": on,
        "participation": True,
        "follow_up": True,
    } | overrides
    return services.record_consent(actor=actor, person=person, **fields)


def enrolled(
    staff,
    person,
    *,
    organization=None,
    track=Track.PREVENTION,
    start=dt.date(2023, 1, 15),
    worker=None,
):
    return casework.enroll(
        actor=None,
        person=person,
        organization=organization or staff.org_a,
        track=track,
        referral_source="school",
        start_date=start,
        case_worker=worker or staff.worker_a,
    )


def make_instrument(version=1) -> Instrument:
    return Instrument.objects.create(
        code="yset-like", version=version, name="Tamizaje", definition=YSET_LIKE
    )


def answers(high_scales: int) -> dict:
    """Answers with ``high_scales`` scales at 6 (≥ 5) and the rest at 2."""
    values = {}
    for n in range(1, 10):
        value = 3 if n <= high_scales else 1
        values[f"s{n}a"] = value
        values[f"s{n}b"] = value
    return values
