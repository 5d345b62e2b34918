"""A synthetic program dataset at the fact sheet's scale, built on the imported territory.

Invented, and labelled so (organization names end in "(demo)", every record has
``synthetic=True``): 67 municipalities in 13 states receive civic-justice support, 32 with
direct technical assistance and 35 through collaborative efforts, during the program's
activities of DOMAIN.md §1; an alliance finances the local police of Mexicali and Ensenada.
The municipalities are real ones taken from the territory catalogue (so maps and
official statistics line up); the program records about them are not real.
"""

from __future__ import annotations

import datetime as dt
from importlib import resources
from pathlib import Path

from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from civica.monitoring.catalogue import (
    default_catalogue_path,
    load_indicators_csv,
    load_targets_csv,
)
from civica.monitoring.models import (
    Activity,
    Component,
    Coverage,
    FactSheetText,
    Indicator,
    ProgramGoal,
    SupportType,
)
from civica.organizations.models import Alliance, Organization, OrganizationKind
from civica.territory.models import Municipality, State

N_STATES = 13
N_MUNICIPALITIES = 67
N_DIRECT = 32
N_YOUTH_MUNICIPALITIES = 30
# States where a program like this works; others fill in when one is not imported.
PREFERRED_STATES = (
    "02", "05", "08", "11", "14", "15", "17", "19", "21", "24", "25", "26", "28",
)  # fmt: skip
MEXICALI, ENSENADA = "02002", "02001"


class DemoTerritoryError(ValueError):
    """The imported territory is too small for the demo program."""


def _organizations() -> dict[str, Organization]:
    k = OrganizationKind
    specs = {
        "implementer": ("Socio Implementador del Programa (demo)", k.IMPLEMENTER),
        "donor": ("Agencia Donante (demo)", k.DONOR),
        "private": ("Consejo Empresarial de Baja California (demo)", k.PRIVATE_SECTOR),
        "civil": ("Observatorio Ciudadano de Seguridad (demo)", k.CIVIL_SOCIETY),
        "academia": ("Universidad Colaboradora (demo)", k.ACADEMIA),
        "state": ("Gobierno del Estado de Baja California (demo)", k.STATE_GOVERNMENT),
    }
    out = {}
    for key, (name, kind) in specs.items():
        out[key], _created = Organization.objects.update_or_create(
            name=name, defaults={"kind": kind, "synthetic": True}
        )
    return out


def choose_municipalities() -> list[Municipality]:
    """67 municipalities in 13 states: 6 in each of the two chosen states with the most
    municipalities, 5 in the others; the lowest CVEGEOs of each state (in Baja California
    that is Ensenada and Mexicali)."""
    counts = dict(
        State.objects.filter(synthetic=False)
        .annotate(n=Count("municipalities"))
        .values_list("code", "n")
    )
    eligible = [c for c in PREFERRED_STATES if counts.get(c, 0) >= 5]
    eligible += sorted(
        (c for c, n in counts.items() if n >= 5 and c not in eligible),
        key=lambda c: (-counts[c], c),
    )
    states = sorted(eligible[:N_STATES])
    larger = sorted(states, key=lambda c: (-counts[c], c))[: N_MUNICIPALITIES - 5 * N_STATES]
    if len(states) < N_STATES or any(counts[c] < 6 for c in larger):
        raise DemoTerritoryError(
            _(
                "The demo program needs %(states)d states with at least 5 municipalities each; "
                "the territory has %(found)d. Import the states and municipalities first "
                "(civica demo --data ../shared/data)."
            )
            % {"states": N_STATES, "found": len(eligible)}
        )
    chosen: list[Municipality] = []
    for code in states:
        take = 6 if code in larger else 5
        chosen += list(Municipality.objects.filter(state__code=code).order_by("cvegeo")[:take])
    return chosen


def _activity(code, name, implementer, start, end, goals, description) -> Activity:
    activity, _created = Activity.objects.update_or_create(
        code=code,
        defaults={
            "name": name,
            "implementer": implementer,
            "start_date": start,
            "end_date": end,
            "goals": goals,
            "description": description,
            "synthetic": True,
        },
    )
    return activity


def _cover(activity, municipality, support, components, start) -> None:
    coverage = Coverage(
        activity=activity,
        municipality=municipality,
        start_date=start,
        end_date=activity.end_date,
        support_type=support,
        components=components,
        synthetic=True,
    )
    coverage.full_clean(validate_unique=False, validate_constraints=False)
    Coverage.objects.update_or_create(
        activity=activity,
        municipality=municipality,
        start_date=start,
        defaults={
            "end_date": coverage.end_date,
            "support_type": support,
            "components": components,
            "synthetic": True,
        },
    )


@transaction.atomic
def load() -> list[str]:
    """Create (or refresh) the demo program; returns readable lines."""
    municipalities = choose_municipalities()
    orgs = _organizations()
    g = ProgramGoal
    civic = _activity(
        "demo-civic-justice",
        "Justicia cívica y policía orientada a problemas (demo)",
        orgs["implementer"],
        dt.date(2020, 10, 1),
        dt.date(2024, 9, 30),
        [g.LOCAL_INSTITUTIONS],
        "Asistencia a municipios para el Modelo de Justicia Cívica y la policía orientada a "
        "la solución de problemas. Datos sintéticos de demostración.",
    )
    women = _activity(
        "demo-women-detention",
        "Reinserción de mujeres jóvenes en reclusión (demo)",
        orgs["civil"],
        dt.date(2021, 1, 1),
        dt.date(2024, 9, 30),
        [g.HIGH_RISK_YOUTH],
        "Capacitación laboral, bienestar y empresas éticas dentro de los centros. Sintético.",
    )
    police = _activity(
        "demo-police-bc",
        "Condiciones laborales de la policía en Mexicali y Ensenada (demo)",
        orgs["implementer"],
        dt.date(2021, 1, 1),
        dt.date(2024, 9, 30),
        [g.LOCAL_INSTITUTIONS],
        "Financiamiento y mejora de condiciones de la policía local mediante alianzas. Sintético.",
    )
    youth = _activity(
        "demo-youth-reinsertion",
        "Reinserción comunitaria de jóvenes (demo)",
        orgs["implementer"],
        dt.date(2022, 10, 1),
        dt.date(2026, 9, 30),
        [g.HIGH_RISK_YOUTH, g.COMMUNITY_PREVENTION],
        "Jóvenes en conflicto con la ley y en riesgo, con sus familias y la policía municipal. "
        "Sintético.",
    )
    c = Component
    for index, municipality in enumerate(municipalities):
        # Alternate so every state has both kinds: even positions up to 2 × 32 are direct.
        direct = index < 2 * N_DIRECT and index % 2 == 0
        support = SupportType.DIRECT if direct else SupportType.COLLABORATIVE
        components = [c.CIVIC_JUSTICE] + ([c.PROBLEM_ORIENTED_POLICING] if direct else [])
        start = dt.date(2020 + index % 3, 10, 1)
        _cover(civic, municipality, support, components, start)
    # Youth reinsertion: 30 municipalities across 12 states (all but the last state).
    states_seen: list[int] = []
    youth_places = []
    for municipality in municipalities:
        if municipality.state_id not in states_seen:
            states_seen.append(municipality.state_id)
        if len(states_seen) <= 12 and len(youth_places) < N_YOUTH_MUNICIPALITIES:
            youth_places.append(municipality)
    for municipality in youth_places:
        _cover(youth, municipality, SupportType.DIRECT, [c.YOUTH_REINSERTION], youth.start_date)
    for municipality in municipalities[:3]:
        _cover(
            women, municipality, SupportType.COLLABORATIVE, [c.WOMEN_IN_DETENTION], women.start_date
        )
    bc = Municipality.objects.filter(cvegeo__in=[MEXICALI, ENSENADA])
    for municipality in bc:
        _cover(
            police,
            municipality,
            SupportType.DIRECT,
            [c.POLICE_WORKING_CONDITIONS],
            police.start_date,
        )
    alliance, _created = Alliance.objects.update_or_create(
        name="Alianza por la policía de Mexicali y Ensenada (demo)",
        defaults={
            "purpose": "Financiamiento del sector privado para mejorar las condiciones "
            "laborales de la policía local. Sintético.",
            "start_date": dt.date(2021, 1, 1),
            "end_date": dt.date(2024, 9, 30),
            "synthetic": True,
        },
    )
    alliance.members.set([orgs["private"], orgs["donor"], orgs["civil"], orgs["state"]])
    alliance.municipalities.set(bc)
    _texts()
    lines = load_catalogue()
    lines.append(load_targets_csv(path=_targets_path()).line(_("Targets")))
    states = len({m.state_id for m in municipalities})
    lines.insert(
        0,
        _(
            "Demo program (synthetic, not real): %(n)d municipalities in %(states)d states, "
            "4 activities, 1 alliance."
        )
        % {"n": len(municipalities), "states": states},
    )
    return lines


def load_catalogue() -> list[str]:
    """The shipped indicator catalogue, unless an administrator has loaded one."""
    if Indicator.objects.exists():
        return []
    return [load_indicators_csv(path=default_catalogue_path()).line(_("Indicators"))]


def _targets_path() -> Path:
    return Path(str(resources.files("civica.monitoring") / "data" / "demo_targets.csv"))


def _texts() -> None:
    texts = {
        "es": (
            "Programa de prevención del delito y la violencia (demostración)",
            "Un programa bilateral de prevención trabaja con gobiernos municipales, sociedad "
            "civil, sector privado y academia hacia tres metas: programas comunitarios de "
            "prevención de la violencia; jóvenes en alto riesgo; e instituciones locales, con "
            "el Modelo de Justicia Cívica y la policía orientada a problemas. Esta hoja usa "
            "datos sintéticos de demostración; las cifras se calculan de los registros.",
        ),
        "en": (
            "Crime and violence prevention program (demo)",
            "A bilateral prevention program works with municipal governments, civil society, "
            "the private sector and academia toward three goals: community violence prevention "
            "programs; high-risk youth; and local institutions, with the Civic Justice model "
            "and problem-oriented policing. This sheet uses synthetic demo data; its figures "
            "are computed from the records.",
        ),
    }
    for language, (title, overview) in texts.items():
        FactSheetText.objects.get_or_create(
            language=language, defaults={"title": title, "overview": overview}
        )
