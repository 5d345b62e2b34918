"""Duplicate detection that survives a typo: same municipality and birth YEAR with a very
similar name (≥ 0.9), found through a keyed blind index without decrypting the table."""

import hashlib

import pytest

from civica.participants import identity, services
from civica.participants.models import Person
from civica.participants.services import DuplicateSuspected
from civica.participants.tests.factories import register

pytestmark = pytest.mark.django_db


@pytest.fixture
def maria(personas, territory):
    # Born 12 May 2008; "12/05" and "05/12" are the classic transposition.
    return register(personas, territory, birth_date="2008-05-12")


def test_a_transposed_day_and_month_still_proposes_the_record(personas, territory, maria):
    with pytest.raises(DuplicateSuspected) as caught:
        register(personas, territory, birth_date="2008-12-05")
    assert caught.value.candidates == [maria] and not caught.value.exact
    assert Person.objects.count() == 1


def test_a_missing_accent_and_a_wrong_day_still_propose_the_record(personas, territory, maria):
    with pytest.raises(DuplicateSuspected) as caught:
        register(
            personas,
            territory,
            given_names="MARIA FERNANDA",
            family_names="Lopez Hernandez",
            birth_date="2008-05-21",
        )
    assert caught.value.candidates == [maria]


def test_a_one_letter_typo_in_the_name_with_another_date_of_the_year(personas, territory, maria):
    # "lopes" for "lopez": 29 of 30 characters match, ratio 2·29/60 = 0.967 ≥ 0.9.
    with pytest.raises(DuplicateSuspected) as caught:
        register(personas, territory, family_names="Lopes Hernandez", birth_date="2008-02-12")
    assert caught.value.candidates == [maria]


def test_the_same_year_asks_for_a_closer_name_than_the_same_date(personas, territory, maria):
    # "fernanda lopez hernandez" (24 chars) is inside "maria fernanda lopez hernandez"
    # (30): ratio 2·24/54 = 8/9 ≈ 0.889, above 0.85 (same date) and below 0.9 (same year).
    fields = {"given_names": "Fernanda", "family_names": "López Hernández"}
    with pytest.raises(DuplicateSuspected):
        register(personas, territory, birth_date="2008-05-12", **fields)
    other = register(personas, territory, birth_date="2008-05-13", **fields)
    assert other.pid != maria.pid and Person.objects.count() == 2


def test_another_year_or_municipality_is_not_proposed(personas, territory, maria):
    register(personas, territory, birth_date="2009-05-12")
    register(personas, territory, birth_date="2008-12-05", municipality=territory.tijuana)
    assert Person.objects.count() == 3


def test_a_similar_person_of_another_organization_is_not_revealed(personas, territory, maria):
    register(personas, territory, actor=personas.worker_b, organization=personas.org_b)
    assert Person.objects.count() == 2  # B does not see A's María, nor the reverse


def test_only_the_persons_of_the_same_year_and_municipality_are_decrypted(
    personas, territory, maria, monkeypatch
):
    for year in (2001, 2002, 2003, 2004, 2005):
        register(personas, territory, birth_date=f"{year}-05-12")
    seen = []
    original = identity.normalize_name

    def counting(value):
        seen.append(value)
        return original(value)

    monkeypatch.setattr(identity, "normalize_name", counting)
    candidates, exact = services.find_duplicates(
        personas.worker_a,
        given_names="Ana",
        family_names="Ruiz",
        birth_date="2008-01-30",
        municipality_id=territory.cuauhtemoc.pk,
    )
    assert candidates == [] and not exact
    # The new name, then the one person born in 2008 in Cuauhtémoc; never the other five.
    assert seen == ["Ana Ruiz", "María Fernanda López Hernández"]


def test_the_year_index_is_keyed_and_follows_an_edit_of_the_birth_date(
    personas, territory, maria, settings
):
    plain = hashlib.sha256(f"birth-year:2008|{territory.cuauhtemoc.pk}".encode()).hexdigest()
    assert maria.birth_year_index == identity.birth_year_index(2008, territory.cuauhtemoc.pk)
    assert maria.birth_year_index != plain
    key = settings.CIVICA_INDEX_KEY
    settings.CIVICA_INDEX_KEY = key + " rotated"
    assert identity.birth_year_index(2008, territory.cuauhtemoc.pk) != maria.birth_year_index
    settings.CIVICA_INDEX_KEY = key
    services.save_versioned(
        actor=personas.worker_a, obj=maria, version=1, changes={"birth_date": "2007-05-12"}
    )
    stored = Person.objects.get(pk=maria.pk)
    assert stored.birth_year_index == identity.birth_year_index(2007, territory.cuauhtemoc.pk)


def test_the_migration_fills_the_index_of_persons_registered_before_it(personas, territory, maria):
    from importlib import import_module

    from django.apps import apps

    migration = import_module(
        "civica.participants.migrations.0002_case_plan_pages_and_birth_year_index"
    )
    undated = register(personas, territory, given_names="Sin", family_names="Fecha", birth_date="")
    Person.objects.update(birth_year_index="")
    migration.fill_birth_year_index(apps, None)
    assert Person.objects.get(pk=maria.pk).birth_year_index == identity.birth_year_index(
        2008, territory.cuauhtemoc.pk
    )
    assert Person.objects.get(pk=undated.pk).birth_year_index == ""
