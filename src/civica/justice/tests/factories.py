"""Helpers of the civic-justice tests: a CDMX catalogue, juzgados, judges, a case."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from civica.accounts.roles import Role
from civica.justice import services
from civica.justice.catalogue import load_cdmx_catalogue
from civica.justice.models import Juzgado, Offence
from civica.testing.personas import make_user


def at(hours_ago: float) -> dt.datetime:
    """A time ``hours_ago`` hours before now (rounded to the minute)."""
    return (timezone.now() - dt.timedelta(hours=hours_ago)).replace(second=0, microsecond=0)


def cdmx_world(territory, shared_data, *, unit_value=None):
    """Catalogues of Cuauhtémoc and Coyoacán, a juzgado in Cuauhtémoc and one in Tijuana."""
    folder = shared_data / "cdmx_lcc_catalogo_faltas"
    load_cdmx_catalogue(
        folder, municipalities=[territory.cuauhtemoc, territory.coyoacan], unit_value=unit_value
    )
    juzgado = Juzgado.objects.create(municipality=territory.cuauhtemoc, name="Juzgado CUH-1")
    other = Juzgado.objects.create(municipality=territory.tijuana, name="Juzgado TIJ-1")
    judge = make_user("juez_cuh", Role.CIVIC_JUDGE, municipalities=[territory.cuauhtemoc])
    staff = make_user("barandilla", Role.JUZGADO_STAFF, municipalities=[territory.cuauhtemoc])
    return juzgado, other, judge, staff


def offence(territory, code="LCC-27-I"):
    return Offence.objects.select_related("sanction_class", "catalogue").get(
        code=code, catalogue__municipality=territory.cuauhtemoc
    )


PERSON = {
    "given_names": "Juan",
    "family_names": "Pérez López",
    "birth_date": "1990-04-02",
    "sex": "M",
}


def open_case(actor, juzgado, *, hours_ago=3, person=None, offences=(), **fields):
    fields.setdefault("detained_at", at(hours_ago + 0.5))
    return services.open_case(
        actor=actor,
        juzgado=juzgado,
        person=person or dict(PERSON),
        presented_at=at(hours_ago),
        offences=offences,
        **fields,
    )
