"""Synthetic participants for demos and benchmarks. Everything here is invented.

Persons are flagged ``synthetic``, their family name is "Sintético-<n>", and the
organizations are named "Organización sintética …" and flagged too. Only the municipalities
are real: they are taken from the territory already imported.

The generator can reproduce a target exactly: with ``reached`` and ``fiscal_year`` it makes
precisely ``reached`` persons with at least one attended service in that US fiscal year
(October–September), spread over exactly ``municipalities`` municipalities of exactly
``states`` states; the other persons enrol after the year ends. ``FACT_SHEET`` is the
program fact sheet's FY2023 figure: 8,700 high-risk youth in 30 municipalities of 12 states.

Rows are written with ``bulk_create`` (the services' rules and consents are respected by
construction: every person has a consent dated before their enrollment, every service is on
or after the enrollment start); nothing is audited, as no person's data is viewed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
from django.db import transaction
from django.utils.translation import gettext as _

from civica.organizations.models import Organization, OrganizationKind
from civica.participants.identity import PID_ALPHABET, PID_LENGTH
from civica.participants.models import (
    Consent,
    Enrollment,
    Person,
    ReferralSource,
    Service,
    ServiceKind,
    Track,
)
from civica.territory.models import Municipality

__all__ = ["FACT_SHEET", "GeneratorError", "Summary", "generate"]

GIVEN_NAMES = (
    "Ana",
    "Luis",
    "María",
    "José",
    "Lucía",
    "Diego",
    "Sofía",
    "Jorge",
    "Valeria",
    "Carlos",
    "Fernanda",
    "Miguel",
    "Daniela",
    "Ángel",
    "Ximena",
    "Emiliano",
)
FACT_SHEET = {
    "persons": 10_000,
    "services": 300_000,
    "municipalities": 30,
    "states": 12,
    "reached": 8_700,
    "fiscal_year": 2023,
}
BATCH = 5_000


class GeneratorError(ValueError):
    """The parameters cannot be met (says which and why)."""


@dataclass(frozen=True)
class Summary:
    persons: int
    services: int
    municipalities: int
    states: int
    organizations: int
    reached: int | None
    fiscal_year: int | None

    def lines(self) -> list[str]:
        lines = [
            _(
                "Synthetic data: %(persons)s persons, %(services)s services, %(m)s "
                "municipalities in %(s)s states, %(o)s synthetic organizations."
            )
            % {
                "persons": f"{self.persons:,}",
                "services": f"{self.services:,}",
                "m": self.municipalities,
                "s": self.states,
                "o": self.organizations,
            }
        ]
        if self.reached is not None:
            lines.append(
                _("%(n)s persons reached in FY%(fy)s (October %(first)s – September %(fy)s).")
                % {"n": f"{self.reached:,}", "fy": self.fiscal_year, "first": self.fiscal_year - 1}
            )
        return lines


def _pick_municipalities(rng, municipalities: int, states: int) -> list[Municipality]:
    by_state: dict[int, list[Municipality]] = {}
    for m in Municipality.objects.order_by("cvegeo"):
        by_state.setdefault(m.state_id, []).append(m)
    eligible = sorted(by_state)
    if len(eligible) < states:
        raise GeneratorError(
            _(
                "%(states)s states were asked for but the territory has %(have)s with "
                "municipalities: import the territory (civica territory import-states / "
                "import-municipalities) or ask for fewer states (--states)."
            )
            % {"states": states, "have": len(eligible)}
        )
    if municipalities < states:
        raise GeneratorError(
            _(
                "--municipalities (%(m)s) must be at least --states (%(s)s): each state "
                "needs one municipality."
            )
            % {"m": municipalities, "s": states}
        )
    chosen_states = sorted(rng.choice(eligible, size=states, replace=False).tolist())
    pool = [m for s in chosen_states for m in by_state[s]]
    if len(pool) < municipalities:
        raise GeneratorError(
            _(
                "The %(s)s states chosen hold %(have)s municipalities, fewer than the %(m)s "
                "asked for."
            )
            % {"s": states, "have": len(pool), "m": municipalities}
        )
    picked = [by_state[s][int(rng.integers(len(by_state[s])))] for s in chosen_states]
    rest = [m for m in pool if m not in picked]
    extra = rng.choice(len(rest), size=municipalities - states, replace=False)
    return picked + [rest[int(i)] for i in sorted(extra)]


def _pids(rng, n: int) -> list[str]:
    taken = set(Person.objects.values_list("pid", flat=True))
    alphabet = np.array(list(PID_ALPHABET))
    pids: list[str] = []
    seen = set(taken)
    while len(pids) < n:
        draws = rng.integers(0, len(alphabet), size=(n - len(pids), PID_LENGTH))
        for row in alphabet[draws]:
            pid = "P-" + "".join(row)
            if pid not in seen:
                seen.add(pid)
                pids.append(pid)
    return pids


def _days(rng, low: dt.date, high: dt.date, size: int) -> np.ndarray:
    span = (high - low).days
    return np.datetime64(low) + rng.integers(0, span + 1, size=size).astype("timedelta64[D]")


def generate(
    *,
    persons: int,
    services: int,
    municipalities: int,
    states: int,
    seed: int,
    reached: int | None = None,
    fiscal_year: int | None = None,
    window_start: dt.date | None = None,
    window_end: dt.date | None = None,
) -> Summary:
    """Write synthetic organizations, persons, consents, enrollments and services.

    Without ``reached``, enrollments start uniformly in the window (default October 2021 –
    September 2024) and services follow them. With ``reached`` and ``fiscal_year``, exactly
    that many persons get an attended service in the fiscal year.
    """
    if services < persons:
        raise GeneratorError(
            _(
                "--services (%(services)s) must be at least --persons (%(persons)s): "
                "every person gets at least one service."
            )
            % {"services": services, "persons": persons}
        )
    if (reached is None) != (fiscal_year is None):
        raise GeneratorError(_("Give --reached and --fiscal-year together."))
    if reached is not None and not municipalities <= reached <= persons:
        raise GeneratorError(
            _("--reached (%(r)s) must be between --municipalities (%(m)s) and --persons (%(p)s).")
            % {"r": reached, "m": municipalities, "p": persons}
        )
    rng = np.random.default_rng(seed)
    window_start = window_start or dt.date(2021, 10, 1)
    window_end = window_end or dt.date(2024, 9, 30)
    places = _pick_municipalities(rng, municipalities, states)
    state_ids = sorted({m.state_id for m in places})
    with transaction.atomic():
        orgs = {}
        for n, state_id in enumerate(state_ids, start=1):
            org, _created = Organization.objects.get_or_create(
                name=f"Organización sintética {n} (datos sintéticos, estado {state_id})",
                defaults={"kind": OrganizationKind.CIVIL_SOCIETY, "synthetic": True},
            )
            orgs[state_id] = org
        # Who lives where: the first ``municipalities`` persons (reached ones, when a target is
        # set) go one to each municipality, so every municipality is counted.
        where = np.concatenate(
            [
                np.arange(municipalities),
                rng.integers(0, municipalities, size=persons - municipalities),
            ]
        )
        is_reached = np.zeros(persons, dtype=bool)
        if reached is not None:
            is_reached[:reached] = True
            fy_start, fy_end = dt.date(fiscal_year - 1, 10, 1), dt.date(fiscal_year, 9, 30)
            starts = np.where(
                is_reached,
                _days(rng, window_start, fy_end - dt.timedelta(days=1), persons),
                _days(rng, fy_end + dt.timedelta(days=1), window_end, persons),
            )
        else:
            starts = _days(rng, window_start, window_end, persons)
        tracks = rng.choice(Track.values, size=persons, p=[0.4, 0.3, 0.2, 0.1])
        if reached is not None:
            # The fact sheet counts the reached persons as high-risk youth: they are in the
            # youth tracks (young women in detention are then served in other years).
            youth = [Track.PREVENTION, Track.SECONDARY, Track.REINSERTION]
            tracks = np.where(
                is_reached, rng.choice(youth, size=persons, p=[4 / 9, 3 / 9, 2 / 9]), tracks
            )
        sex = np.where(tracks == Track.WOMEN_DETENTION, "F", rng.choice(["F", "M"], size=persons))
        age_days = np.where(
            tracks == Track.WOMEN_DETENTION,
            rng.integers(18 * 365, 29 * 365, size=persons),
            rng.integers(11 * 365, 26 * 365, size=persons),
        )
        births = starts - age_days.astype("timedelta64[D]")
        pids = _pids(rng, persons)
        person_rows = []
        for i in range(persons):
            place = places[int(where[i])]
            person = Person(
                pid=pids[i],
                given_names=GIVEN_NAMES[i % len(GIVEN_NAMES)],
                family_names=f"Sintético-{i + 1}",
                birth_date=str(births[i]),
                sex=str(sex[i]),
                municipality_id=place.pk,
                organization=orgs[place.state_id],
                synthetic=True,
            )
            person.refresh_derived()
            person.curp_index = None
            person_rows.append(person)
        Person.objects.bulk_create(person_rows, batch_size=BATCH)
        ids = dict(Person.objects.filter(pid__in=pids).values_list("pid", "id"))
        person_ids = np.array([ids[p] for p in pids])
        Consent.objects.bulk_create(
            [
                Consent(
                    person_id=int(person_ids[i]),
                    given_by="guardian",
                    guardian_name="Tutor sintético",
                    given_on=starts[i].item(),
                    participation=True,
                    follow_up=True,
                )
                for i in range(persons)
            ],
            batch_size=BATCH,
        )
        sources = rng.choice(ReferralSource.values, size=persons)
        Enrollment.objects.bulk_create(
            [
                Enrollment(
                    person_id=int(person_ids[i]),
                    track=str(tracks[i]),
                    organization=orgs[places[int(where[i])].state_id],
                    referral_source=str(sources[i]),
                    start_date=starts[i].item(),
                )
                for i in range(persons)
            ],
            batch_size=BATCH,
        )
        enrollment_of = dict(
            Enrollment.objects.filter(person_id__in=person_ids.tolist()).values_list(
                "person_id", "id"
            )
        )
        per_person = 1 + rng.multinomial(services - persons, np.full(persons, 1 / persons))
        owner = np.repeat(np.arange(persons), per_person)
        start_of = starts[owner]
        span = (np.datetime64(window_end) - start_of).astype(int)
        dates = start_of + (rng.random(services) * (span + 1)).astype("timedelta64[D]")
        attended = rng.random(services) < 0.85
        if reached is not None:
            # The first service of each reached person: attended, inside the fiscal year; the
            # others of a non-reached person all come after it (they started after it ended).
            first = np.concatenate([[0], np.cumsum(per_person)[:-1]])
            low = np.maximum(starts, np.datetime64(fy_start))
            span_fy = (np.datetime64(fy_end) - low).astype(int)
            in_year = low + (rng.random(persons) * (span_fy + 1)).astype("timedelta64[D]")
            dates[first[is_reached]] = in_year[is_reached]
            attended[first[is_reached]] = True
        kinds = rng.choice(ServiceKind.values, size=services)
        for low in range(0, services, BATCH):
            high = min(low + BATCH, services)
            Service.objects.bulk_create(
                [
                    Service(
                        person_id=int(person_ids[owner[k]]),
                        enrollment_id=enrollment_of[int(person_ids[owner[k]])],
                        kind=str(kinds[k]),
                        provider="Proveedor sintético",
                        date=dates[k].item(),
                        attended=bool(attended[k]),
                    )
                    for k in range(low, high)
                ]
            )
    return Summary(
        persons=persons,
        services=services,
        municipalities=municipalities,
        states=states,
        organizations=len(orgs),
        reached=reached,
        fiscal_year=fiscal_year,
    )
