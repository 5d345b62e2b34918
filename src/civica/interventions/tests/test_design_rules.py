"""An evaluation design refuses windows that would bias the comparison (DOMAIN.md §7):
unequal lengths, seasons out of step, an after window inside the ramp-up, a before window
that reaches the start, overlapping windows, and comparison sectors that are also targets."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from civica.interventions.models import DataSource, EvaluationDesign, Method
from civica.interventions.tests.factories import (
    design_fields,
    error_codes,
    make_comparison_sector,
    make_intervention,
)

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture
def intervention(territory):
    return make_intervention(territory)


def clean(intervention, *, comparison=(), **overrides):
    design = EvaluationDesign(intervention=intervention, **design_fields(**overrides))
    design.stage_comparison_sectors(comparison)
    design.full_clean()
    return design


def codes(intervention, **kwargs) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as info:
        clean(intervention, **kwargs)
    return error_codes(info.value)


def test_it_accepts_a_valid_design(intervention, territory):
    clean(intervention, comparison=[make_comparison_sector(territory)])


def test_it_accepts_windows_one_day_apart_in_length_across_a_leap_year(territory):
    intervention = make_intervention(territory, start_date=D(2023, 1, 1), ramp_up_days=0)
    clean(
        intervention,
        before_start=D(2022, 1, 1),
        before_end=D(2022, 12, 31),
        after_start=D(2024, 1, 1),
        after_end=D(2024, 12, 31),  # 366 days against 365
    )


def test_it_refuses_windows_of_unequal_length(intervention):
    found = codes(intervention, after_end=D(2024, 6, 30))
    assert found == {"after_end": ["unequal_windows"]}


def test_it_says_how_long_each_window_is(intervention):
    with pytest.raises(ValidationError) as info:
        clean(intervention, after_end=D(2024, 6, 30))
    with translation.override("en"):
        message = info.value.message_dict["after_end"][0]
    assert "184 days" in message
    assert "122" in message


def test_it_refuses_windows_out_of_season(intervention):
    found = codes(intervention, after_start=D(2024, 2, 15), after_end=D(2024, 8, 16))
    assert found == {"after_start": ["not_season_aligned"]}


def test_it_suggests_the_season_aligned_start(intervention):
    with pytest.raises(ValidationError) as info:
        clean(intervention, after_start=D(2024, 2, 15), after_end=D(2024, 8, 16))
    with translation.override("en"):
        assert "2024-03-01" in info.value.message_dict["after_start"][0]


def test_it_refuses_an_after_window_inside_the_ramp_up(intervention):
    # Start 2023-09-15 + 60 days of ramp-up: full strength on 2023-11-14.
    found = codes(
        intervention,
        before_start=D(2022, 11, 1),
        before_end=D(2023, 4, 30),
        after_start=D(2023, 11, 1),
        after_end=D(2024, 4, 30),
    )
    assert found == {"after_start": ["after_in_ramp_up"]}


def test_it_accepts_an_after_window_starting_the_day_the_ramp_up_ends(territory):
    intervention = make_intervention(territory, start_date=D(2023, 9, 15), ramp_up_days=47)
    clean(
        intervention,
        before_start=D(2022, 11, 1),
        before_end=D(2023, 4, 30),
        after_start=D(2023, 11, 1),
        after_end=D(2024, 4, 30),
    )


def test_it_refuses_a_before_window_reaching_the_start(intervention):
    found = codes(
        intervention,
        before_start=D(2023, 3, 16),
        before_end=D(2023, 9, 15),
        after_start=D(2024, 3, 16),
        after_end=D(2024, 9, 15),
    )
    assert found == {"before_end": ["before_not_before_start"]}


def test_it_refuses_overlapping_windows(territory):
    intervention = make_intervention(territory, start_date=D(2021, 1, 1), ramp_up_days=0)
    found = codes(
        intervention,
        before_start=D(2020, 1, 1),
        before_end=D(2021, 12, 31),
        after_start=D(2021, 1, 1),
        after_end=D(2022, 12, 31),
    )
    assert "windows_overlap" in found["after_start"]


def test_it_refuses_a_window_that_ends_before_it_starts(intervention):
    found = codes(intervention, before_end=D(2023, 2, 1))
    assert found == {"before_end": ["window_reversed"]}


def test_it_refuses_comparison_sectors_that_are_targets(intervention, territory):
    target = territory.sectors["09015"]
    found = codes(intervention, comparison=[make_comparison_sector(territory), target])
    assert found == {"comparison_sectors": ["comparison_includes_target"]}


def test_it_refuses_a_buffer_of_zero_metres(intervention):
    assert codes(intervention, buffer_metres=0) == {"buffer_metres": ["buffer_not_positive"]}


def test_it_needs_a_layer_for_incidents_and_none_for_sesnsp(intervention):
    assert codes(intervention, incident_layer="") == {"incident_layer": ["layer_missing"]}
    sesnsp = {
        "source": DataSource.SESNSP,
        "method": Method.SYNTHETIC_CONTROL,
        "buffer_metres": None,
    }
    found = codes(intervention, **sesnsp)
    assert found == {"incident_layer": ["layer_with_sesnsp"]}
    clean(intervention, **sesnsp, incident_layer="")


def test_the_method_must_match_the_data_source(intervention):
    found = codes(intervention, method=Method.SYNTHETIC_CONTROL)
    assert found == {"method": ["method_needs_other_source"]}
    found = codes(intervention, source=DataSource.SESNSP, incident_layer="", buffer_metres=None)
    assert found == {"method": ["method_needs_other_source"]}


def test_sesnsp_windows_are_whole_months_without_buffer(intervention):
    found = codes(
        intervention,
        source=DataSource.SESNSP,
        method=Method.SYNTHETIC_CONTROL,
        incident_layer="",
        before_start=dt.date(2023, 3, 2),
        before_end=dt.date(2023, 8, 30),
        after_start=dt.date(2024, 3, 2),
        after_end=dt.date(2024, 8, 30),
    )
    assert found == {
        "before_start": ["window_not_whole_months"],
        "after_start": ["window_not_whole_months"],
        "before_end": ["window_not_whole_months"],
        "after_end": ["window_not_whole_months"],
        "buffer_metres": ["buffer_with_sesnsp"],
    }
