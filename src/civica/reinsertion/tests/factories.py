"""Women, facilities and applicants for the reinsertion tests, registered by the shared
personas (organization A's case worker ``carlos`` and supervisor ``susana``)."""

from __future__ import annotations

import datetime as dt

from civica.accounts.access import SYSTEM
from civica.accounts.roles import Role
from civica.participants.tests.factories import consent, register
from civica.reinsertion import services
from civica.reinsertion.models import FacilityKind, Recordable

GIVEN = [
    "Ana",
    "Berenice",
    "Carmen",
    "Dolores",
    "Elena",
    "Fabiola",
    "Guadalupe",
    "Hilda",
    "Irma",
    "Juana",
    "Karla",
    "Leticia",
    "Mónica",
    "Norma",
    "Olga",
    "Patricia",
    "Queta",
]
FAMILY = [
    "Ávila",
    "Bravo",
    "Cruz",
    "Díaz",
    "Estrada",
    "Flores",
    "García",
    "Hernández",
    "Ibarra",
    "Juárez",
    "Luna",
    "Méndez",
    "Núñez",
    "Ortiz",
    "Pérez",
    "Quiroz",
    "Ramos",
    "Soto",
]
ALL_RECORDS = list(Recordable.values)
STAFF = [Role.CASE_WORKER.value, Role.SUPERVISOR.value]


def facility(
    personas, territory, *, recordable=ALL_RECORDS, entry_roles=STAFF, name="CERESO Femenil Prueba"
):
    return services.create_facility(
        actor=SYSTEM,
        state=territory.cdmx,
        municipality=territory.cuauhtemoc,
        name=name,
        kind=FacilityKind.WOMEN,
        organizations=[personas.org_a],
        recordable=recordable,
        entry_roles=entry_roles,
    )


def woman(personas, territory, n=0, **overrides):
    person = register(
        personas,
        territory,
        given_names=GIVEN[n % len(GIVEN)],
        family_names=f"{FAMILY[n % len(FAMILY)]} {FAMILY[(n * 7 + 3) % len(FAMILY)]}",
        birth_date=f"{1960 + n}-0{1 + n % 9}-1{n % 9}",
        **overrides,
    )
    consent(person, on=dt.date(2023, 1, 2))
    return person


def admitted(
    personas, territory, place, n=0, *, admission=dt.date(2023, 3, 1), expected=dt.date(2024, 3, 1)
):
    return services.admit(
        actor=personas.worker_a,
        person=woman(personas, territory, n),
        facility=place,
        organization=personas.org_a,
        legal_status="sentenced",
        admission_date=admission,
        expected_release=expected,
        case_worker=personas.worker_a,
    )
