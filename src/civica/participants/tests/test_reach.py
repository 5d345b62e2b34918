"""Unique persons reached: hand-checked cases and a pandas reference on random data."""

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from civica.organizations.models import Organization
from civica.participants.identity import age_band
from civica.participants.models import Enrollment, Person, Service
from civica.participants.reach import persons_reached, services_delivered
from civica.participants.tests.factories import consent, enrolled, register

pytestmark = pytest.mark.django_db
FY2023 = {"start": dt.date(2022, 10, 1), "end": dt.date(2023, 9, 30)}


def serve(enrollment, day, attended=True):
    return Service.objects.create(
        person=enrollment.person,
        enrollment=enrollment,
        kind="mentoring",
        date=day,
        attended=attended,
    )


@pytest.fixture
def served(personas, territory):
    """Ana (born 2008-05) in two tracks and two organizations; Beto (born 2005-03, male) only
    absent services in the year; Carla (born 2009-12) in Tijuana, one service in the year."""
    ana = register(personas, territory, given_names="Ana", birth_date="2008-05-20")
    beto = register(personas, territory, given_names="Beto", birth_date="2005-03-02", sex="M")
    carla = register(
        personas,
        territory,
        given_names="Carla",
        birth_date="2009-12-01",
        municipality=territory.tijuana,
    )
    for person in (ana, beto, carla):
        consent(person, on=dt.date(2022, 1, 1))
    a1 = enrolled(personas, ana, start=dt.date(2022, 1, 1))
    a2 = enrolled(
        personas, ana, organization=personas.org_b, track="reinsertion", start=dt.date(2022, 1, 1)
    )
    b1 = enrolled(personas, beto, start=dt.date(2022, 1, 1))
    c1 = enrolled(personas, carla, start=dt.date(2022, 1, 1), organization=personas.org_b)
    serve(a1, dt.date(2023, 4, 1))  # Ana is 14 in April 2023 (band 10-14)
    serve(a1, dt.date(2023, 6, 1))  # …and 15 in June: the first date decides
    serve(a2, dt.date(2023, 9, 30))  # last day of the period counts
    serve(b1, dt.date(2023, 1, 1), attended=False)
    serve(b1, dt.date(2022, 9, 30))  # the day before the period
    serve(c1, dt.date(2022, 10, 1))  # the first day
    return ana, beto, carla


def test_a_person_served_by_two_tracks_counts_once_in_the_total(served):
    assert persons_reached(**FY2023) == [{"persons": 2}]
    assert services_delivered(**FY2023) == [{"persons": 2, "services": 4}]


def test_by_track_a_person_counts_once_per_track(served):
    assert persons_reached(**FY2023, by=["track"]) == [
        {"track": "prevention", "persons": 2},
        {"track": "reinsertion", "persons": 1},
    ]


def test_age_band_is_taken_at_the_first_service_of_the_period(served, territory):
    rows = persons_reached(**FY2023, by=["municipality_id", "sex", "age_band"])
    assert sorted(rows, key=str) == sorted(
        [
            {
                "municipality_id": territory.tijuana.pk,
                "sex": "F",
                "age_band": "10-14",
                "persons": 1,
            },
            {
                "municipality_id": territory.cuauhtemoc.pk,
                "sex": "F",
                "age_band": "10-14",
                "persons": 1,
            },
        ],
        key=str,
    )
    later = persons_reached(start=dt.date(2023, 6, 1), end=dt.date(2023, 9, 30), by=["age_band"])
    assert later == [{"age_band": "15-17", "persons": 1}]


def test_filters_by_state_track_and_organization(served, personas, territory):
    by_state = persons_reached(**FY2023, by=["state_id"])
    assert {r["state_id"]: r["persons"] for r in by_state} == {
        territory.cdmx.pk: 1,
        territory.bc.pk: 1,
    }
    assert persons_reached(**FY2023, organization_ids=[personas.org_a.pk]) == [{"persons": 1}]
    assert persons_reached(**FY2023, tracks=[]) == [{"persons": 0}]
    assert persons_reached(**FY2023, municipality_ids=[territory.tijuana.pk]) == [{"persons": 1}]


def test_bad_arguments_are_explained():
    with pytest.raises(ValueError, match="Unknown grouping"):
        persons_reached(**FY2023, by=["name"])
    with pytest.raises(ValueError, match="before it starts"):
        persons_reached(start=dt.date(2023, 1, 2), end=dt.date(2023, 1, 1))
    with pytest.raises(ValueError, match="Unknown tracks"):
        persons_reached(**FY2023, tracks=["sports"])


def test_it_agrees_with_pandas_on_random_data(personas, territory):
    rng = np.random.default_rng(7)
    municipalities = [territory.cuauhtemoc, territory.coyoacan, territory.tijuana]
    orgs = [
        personas.org_a,
        personas.org_b,
        Organization.objects.create(name="C", kind="implementer"),
    ]
    persons, enrollments = [], []
    for n in range(60):
        birth = dt.date(1990, 1, 1) + dt.timedelta(days=int(rng.integers(0, 9000)))
        persons.append(
            Person(
                pid=f"P-T{n:05d}",
                given_names="x",
                family_names="y",
                birth_date=birth.isoformat(),
                sex=str(rng.choice(["F", "M", "X"])),
                municipality=municipalities[n % 3],
                organization=orgs[n % 3],
            )
        )
        persons[-1].refresh_derived()
    Person.objects.bulk_create(persons)
    persons = list(Person.objects.order_by("id"))
    for person in persons:
        for _ in range(int(rng.integers(1, 3))):
            enrollments.append(
                Enrollment(
                    person=person,
                    track=str(
                        rng.choice(["prevention", "secondary", "reinsertion", "women_detention"])
                    ),
                    organization=orgs[int(rng.integers(0, 3))],
                    referral_source="self",
                    start_date=dt.date(2022, 1, 1),
                )
            )
    Enrollment.objects.bulk_create(enrollments)
    enrollments = list(Enrollment.objects.select_related("person"))
    services = []
    for _ in range(600):
        e = enrollments[int(rng.integers(0, len(enrollments)))]
        day = dt.date(2022, 6, 1) + dt.timedelta(days=int(rng.integers(0, 600)))
        services.append(
            Service(
                person=e.person,
                enrollment=e,
                kind="education",
                date=day,
                attended=bool(rng.random() < 0.8),
            )
        )
    Service.objects.bulk_create(services)
    frame = pd.DataFrame(
        [
            {
                "person": s.person_id,
                "date": s.date,
                "attended": s.attended,
                "track": s.enrollment.track,
                "organization_id": s.enrollment.organization_id,
                "municipality_id": s.person.municipality_id,
                "sex": s.person.sex,
                "state_id": s.person.municipality.state_id,
                "birth": s.person.birth_month_index,
            }
            for s in Service.objects.select_related("enrollment", "person__municipality")
        ]
    )
    period = frame[frame.attended & (frame.date >= FY2023["start"]) & (frame.date <= FY2023["end"])]
    first = period.groupby("person")["date"].min()
    period = period.assign(
        age_band=[age_band(b, first[p]) for p, b in zip(period.person, period.birth, strict=True)]
    )
    for by in (
        ["municipality_id", "sex", "age_band"],
        ["track", "state_id"],
        ["organization_id", "age_band"],
    ):
        expected = period.groupby(by)["person"].nunique().to_dict()
        got = {tuple(r[k] for k in by): r["persons"] for r in persons_reached(**FY2023, by=by)}
        assert got == expected
        services = period.groupby(by).size().to_dict()
        got = {tuple(r[k] for k in by): r["services"] for r in services_delivered(**FY2023, by=by)}
        assert got == services
    assert persons_reached(**FY2023) == [{"persons": period.person.nunique()}]
