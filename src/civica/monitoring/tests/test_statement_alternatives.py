"""A catalogue statement may hold alternatives: the fact sheet says "a reduction of 6–69%"
only when every city's crime fell, and otherwise the signed range, never "name: value"."""

from __future__ import annotations

import csv

import pytest

from civica.monitoring.catalogue import default_catalogue_path
from civica.monitoring.status import check_statement, fill_statement

# The parts of the real demo workspace's FY2016 result: Mexico City's three-alcaldía program
# on the real incidents rose, the six synthetic cities fell as planted.
MIXED = {
    "cities": 7,
    "evaluations": 8,
    "significant": 3,
    "low_signed": "-69",
    "high_signed": "+22",
    "pooled_signed": "-31",
    "pooled_lower_signed": "-52",
    "pooled_upper_signed": "-2",
}


@pytest.fixture
def crime_change():
    with default_catalogue_path().open(encoding="utf-8") as handle:
        return next(row for row in csv.DictReader(handle) if row["code"] == "CRIME-CHANGE")


def test_every_city_fell_reads_as_a_reduction(crime_change):
    values = MIXED | {"range": "6–69", "high_signed": "-6", "significant": 4}
    assert fill_statement(crime_change["statement_en"], values, "en") == (
        "6–69 percent reduction in priority crime rates in selected sectors of 7 cities; 4 of "
        "8 results remain significant after adjusting for multiple comparisons (Holm)."
    )


def test_a_city_whose_crime_rose_gives_the_signed_range_and_the_pooled_estimate(crime_change):
    assert fill_statement(crime_change["statement_es"], MIXED, "es") == (
        "Cambios de -69 % a +22 % en las tasas de delitos prioritarios en sectores "
        "seleccionados de 7 ciudades; 3 de 8 resultados siguen siendo significativos tras "
        "ajustar por comparaciones múltiples (Holm); estimación combinada -31 % "
        "(IC 95 %: -52 a -2)."
    )
    alone = {k: v for k, v in MIXED.items() if not k.startswith("pooled")}
    assert fill_statement(crime_change["statement_en"], alone, "en") == (
        "Changes of -69 to +22 percent in priority crime rates in selected sectors of 7 "
        "cities; 3 of 8 results remain significant after adjusting for multiple comparisons "
        "(Holm)."
    )


def test_a_value_no_alternative_has_is_still_an_error():
    with pytest.raises(KeyError):
        fill_statement("{a} || {b}", {"c": 1}, "en")
    with pytest.raises(ValueError):
        check_statement("{a} || {b|one}")
