"""A locked evaluation design cannot change: not its fields, not its comparison sectors,
not by deleting it; and only a valid design can be locked."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation

from civica.interventions.models import DesignLockedError, EvaluationDesign
from civica.interventions.services import lock_design
from civica.interventions.tests.factories import (
    error_codes,
    make_comparison_sector,
    make_design,
    make_intervention,
)

pytestmark = pytest.mark.django_db

LOCKED_AT = dt.datetime(2025, 1, 10, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def design(territory, personas):
    design = make_design(make_intervention(territory))
    return lock_design(design=design, actor=personas.analyst_cuauhtemoc, now=LOCKED_AT)


def test_it_stamps_the_lock_time(design):
    assert EvaluationDesign.objects.get(pk=design.pk).locked_at == LOCKED_AT


def test_it_refuses_a_change_in_clean(design):
    design.after_end = dt.date(2024, 8, 30)
    with pytest.raises(ValidationError) as info:
        design.full_clean()
    assert error_codes(info.value) == {"__all__": ["locked"]}
    with translation.override("en"):
        message = info.value.messages[0]
    assert "locked on 2025-01-10" in message
    assert "Create a new design" in message


def test_it_refuses_a_change_in_save(design):
    design.notes = "changed after seeing the results"
    with pytest.raises(DesignLockedError):
        design.save()
    assert EvaluationDesign.objects.get(pk=design.pk).notes == ""


def test_it_refuses_unlocking_by_hand(design):
    design.locked_at = None
    with pytest.raises(DesignLockedError):
        design.save()


def test_it_refuses_new_comparison_sectors(design, territory):
    sector = make_comparison_sector(territory)
    # The related manager writes without a savepoint: the refusal rolls back the caller's
    # transaction, so each attempt gets its own.
    with pytest.raises(DesignLockedError), transaction.atomic():
        design.comparison_sectors.add(sector)
    with pytest.raises(DesignLockedError), transaction.atomic():
        sector.comparison_in_designs.add(design)
    assert not design.comparison_sectors.exists()


def test_it_refuses_deletion(design):
    with pytest.raises(DesignLockedError):
        design.delete()
    assert EvaluationDesign.objects.filter(pk=design.pk).exists()


def test_it_refuses_locking_twice(design, personas):
    with pytest.raises(ValidationError):
        lock_design(design=design, actor=personas.analyst_cuauhtemoc)
    assert EvaluationDesign.objects.get(pk=design.pk).locked_at == LOCKED_AT


def test_it_refuses_to_lock_an_invalid_design(territory, personas):
    design = make_design(make_intervention(territory), after_end=dt.date(2024, 5, 31))
    with pytest.raises(ValidationError):
        lock_design(design=design, actor=personas.analyst_cuauhtemoc)
    assert EvaluationDesign.objects.get(pk=design.pk).locked_at is None


def test_an_unlocked_design_can_still_change(territory):
    design = make_design(make_intervention(territory))
    design.notes = "Sectors chosen on 2021–2022 counts, before the baseline."
    design.full_clean()
    design.save()
    design.comparison_sectors.add(make_comparison_sector(territory))
    assert design.updated_at <= timezone.now()
