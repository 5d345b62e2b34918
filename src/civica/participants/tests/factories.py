"""Persons whose ages and dates can be checked by hand, registered by the shared personas
(``civica.testing.personas``: ``worker_a`` and ``supervisor_a`` of organization A in
Cuauhtémoc, ``worker_b`` of organization B in Tijuana).
"""

from __future__ import annotations

import datetime as dt

from civica.accounts.access import SYSTEM
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


def person_fields(territory, **overrides) -> dict:
    fields = {
        "given_names": "María Fernanda",
        "family_names": "López Hernández",
        "birth_date": "2008-05-20",
        "sex": Sex.FEMALE,
        "municipality": territory.cuauhtemoc,
    }
    return fields | overrides


def register(personas, territory, *, actor=None, organization=None, **overrides):
    return services.register_person(
        actor=actor if actor is not None else personas.worker_a,
        organization=organization or personas.org_a,
        **person_fields(territory, **overrides),
    )


def consent(person, *, actor=SYSTEM, on=dt.date(2023, 1, 10), **overrides):
    fields = {
        "given_by": "guardian",
        "guardian_name": "Rosa Hernández",
        "given_on": on,
        "participation": True,
        "follow_up": True,
    } | overrides
    return services.record_consent(actor=actor, person=person, **fields)


def enrolled(
    personas,
    person,
    *,
    organization=None,
    track=Track.PREVENTION,
    start=dt.date(2023, 1, 15),
    worker=None,
):
    return casework.enroll(
        actor=SYSTEM,
        person=person,
        organization=organization or personas.org_a,
        track=track,
        referral_source="school",
        start_date=start,
        case_worker=worker or personas.worker_a,
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
