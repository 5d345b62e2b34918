"""An instrument held as data scores the answers; a retest after six months shows the change."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from civica.participants import casework
from civica.participants.models import Instrument, check_definition
from civica.participants.tests.factories import answers, consent, make_instrument, register

pytestmark = pytest.mark.django_db


def screen(personas, person, instrument, day, high):
    return casework.apply_screening(
        actor=personas.worker_a,
        person=person,
        organization=personas.org_a,
        instrument=instrument,
        date=day,
        answers=answers(high),
    )


def test_eligible_at_or_above_threshold_on_four_of_nine_scales(personas, territory):
    person = register(personas, territory)
    consent(person)
    instrument = make_instrument()
    three = screen(personas, person, instrument, dt.date(2023, 2, 1), 3)
    # 3 + 3 = 6 ≥ 5 on scales 1–3; 1 + 1 = 2 elsewhere.
    assert three.scores["S1"] == 6 and three.scores["S9"] == 2
    assert three.at_or_above == ["S1", "S2", "S3"] and not three.eligible


def test_four_scales_make_the_person_eligible(personas, territory):
    person = register(personas, territory)
    consent(person)
    assert screen(personas, person, make_instrument(), dt.date(2023, 2, 1), 4).eligible


def test_a_retest_before_six_months_is_refused_and_after_shows_the_change(personas, territory):
    person = register(personas, territory)
    consent(person)
    instrument = make_instrument()
    first = screen(personas, person, instrument, dt.date(2023, 2, 1), 5)
    with pytest.raises(ValidationError) as caught:
        screen(personas, person, instrument, dt.date(2023, 7, 31), 2)
    assert "2023-08-01" in caught.value.messages[0]
    retest = screen(personas, person, make_instrument(version=2), dt.date(2023, 8, 1), 2)
    assert retest.retest_of == first
    changes = {c["scale"]: c["change"] for c in retest.changes()}
    # Scales 1–2 stay high (6 → 6), 3–5 fall (6 → 2), 6–9 stay low (2 → 2).
    assert (changes["S1"], changes["S3"], changes["S5"], changes["S9"]) == (0, -4, -4, 0)


def test_missing_or_out_of_range_answers_are_named(personas, territory):
    instrument = make_instrument()
    partial = answers(4)
    del partial["s2b"]
    with pytest.raises(ValidationError, match="s2b"):
        instrument.score(partial)
    wrong = answers(4) | {"s1a": 9}
    with pytest.raises(ValidationError, match="s1a"):
        instrument.score(wrong)


def test_a_broken_definition_lists_its_problems():
    from django.utils import translation

    with translation.override("en"):
        problems = check_definition(
            {
                "scales": [
                    {"code": "A", "items": ["x"], "threshold": 1},
                    {"code": "A", "items": ["x"]},
                ],
                "eligibility": {"min_scales": 3},
            }
        )
    assert problems == [
        "Scale code A is repeated.",
        "Item x is in more than one scale.",
        "Scale A has no numeric threshold.",
        "Eligibility needs min_scales between 1 and 2.",
    ]


def test_a_version_in_use_cannot_change(personas, territory):
    person = register(personas, territory)
    consent(person)
    instrument = make_instrument()
    screen(personas, person, instrument, dt.date(2023, 2, 1), 4)
    instrument.definition = instrument.definition | {"eligibility": {"min_scales": 3}}
    with pytest.raises(ValidationError):
        instrument.full_clean()
    assert Instrument.objects.get(pk=instrument.pk).definition["eligibility"]["min_scales"] == 4
