"""An intervention refuses impossible dates, a negative ramp-up, sectors of another
municipality and an empty list of target crimes, each with a message saying what to change."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from civica.interventions.models import Intervention
from civica.interventions.tests.factories import error_codes, intervention_fields

pytestmark = pytest.mark.django_db


def clean(territory, *, sectors=(), **overrides):
    intervention = Intervention(**intervention_fields(territory, **overrides))
    intervention.stage_target_sectors(sectors)
    intervention.full_clean()
    return intervention


def refused(territory, **kwargs) -> ValidationError:
    with pytest.raises(ValidationError) as info:
        clean(territory, **kwargs)
    return info.value


def test_it_accepts_a_valid_intervention(territory):
    clean(territory, sectors=[territory.sectors["09015"]], end_date=dt.date(2024, 9, 14))


def test_it_refuses_an_end_before_the_start(territory):
    exc = refused(territory, end_date=dt.date(2023, 9, 14))
    assert "end_before_start" in error_codes(exc)["end_date"]
    with translation.override("en"):
        assert "before the start date 2023-09-15" in exc.message_dict["end_date"][0]


def test_it_refuses_a_negative_ramp_up(territory):
    exc = refused(territory, ramp_up_days=-1)
    assert error_codes(exc)["ramp_up_days"] == ["negative_ramp_up"]


def test_it_refuses_a_sector_of_another_municipality(territory):
    exc = refused(territory, sectors=[territory.sectors["09015"], territory.sectors["02004"]])
    assert error_codes(exc)["target_sectors"] == ["sector_of_another_municipality"]
    with translation.override("en"):
        message = exc.message_dict["target_sectors"][0]
    assert "Sector Tijuana" in message
    assert "Sector Cuauhtémoc" not in message


def test_it_checks_the_stored_sectors_when_none_are_staged(territory):
    intervention = clean(territory)
    intervention.save()
    intervention.target_sectors.set([territory.sectors["09015"]])
    fresh = Intervention.objects.get(pk=intervention.pk)
    fresh.municipality = territory.coyoacan
    with pytest.raises(ValidationError) as info:
        fresh.full_clean()
    assert error_codes(info.value)["target_sectors"] == ["sector_of_another_municipality"]


@pytest.mark.parametrize("crimes", [[], ["  "], None])
def test_it_refuses_an_empty_list_of_target_crimes(territory, crimes):
    exc = refused(territory, target_crimes=crimes)
    assert "target_crimes" in error_codes(exc)


def test_it_refuses_an_empty_crime_among_others(territory):
    exc = refused(territory, target_crimes=["ROBO", ""])
    assert error_codes(exc)["target_crimes"] == ["blank_target_crime"]
