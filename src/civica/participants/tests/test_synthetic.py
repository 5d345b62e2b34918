"""The generator meets its target exactly and labels everything synthetic."""

import datetime as dt

import pytest

from civica.organizations.models import Organization
from civica.participants.models import Person, Service
from civica.participants.reach import persons_reached
from civica.participants.synthetic import GeneratorError, generate

pytestmark = pytest.mark.django_db


def test_it_reaches_exactly_the_target_in_the_fiscal_year(territory):
    summary = generate(
        persons=60, services=400, municipalities=3, states=2, seed=3, reached=45, fiscal_year=2023
    )
    fy = {"start": dt.date(2022, 10, 1), "end": dt.date(2023, 9, 30)}
    assert persons_reached(**fy) == [{"persons": 45}]
    assert len(persons_reached(**fy, by=["municipality_id"])) == 3
    assert len(persons_reached(**fy, by=["state_id"])) == 2
    assert Service.objects.count() == 400 and summary.reached == 45
    assert not Person.objects.filter(synthetic=False).exists()
    assert all("sintétic" in o.name for o in Organization.objects.all())


def test_the_same_seed_gives_the_same_counts(territory):
    generate(persons=30, services=90, municipalities=3, states=2, seed=5)
    first = persons_reached(
        start=dt.date(2022, 1, 1), end=dt.date(2023, 12, 31), by=["age_band", "sex"]
    )
    Service.objects.all().delete()
    from civica.participants.models import Consent, Enrollment

    Enrollment.objects.all().delete()
    Consent.objects.all().delete()
    Person.objects.all().delete()
    generate(persons=30, services=90, municipalities=3, states=2, seed=5)
    assert (
        persons_reached(
            start=dt.date(2022, 1, 1), end=dt.date(2023, 12, 31), by=["age_band", "sex"]
        )
        == first
    )


def test_impossible_parameters_are_explained(territory):
    with pytest.raises(GeneratorError, match="estados"):
        generate(persons=10, services=10, municipalities=12, states=12, seed=1)
    with pytest.raises(GeneratorError, match="al menos --persons"):
        generate(persons=10, services=5, municipalities=2, states=1, seed=1)
