""" "Selected sectors of K cities": Mexico City's alcaldías are one city, Ciudad de México;
every other municipality is a city of its own, even inside one intervention."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from civica.interventions.cities import cities_of, city_label
from civica.interventions.methods.base import Figures
from civica.interventions.models import EvaluationDesign, Intervention
from civica.interventions.summary import ProgramSummary, SummaryRow

pytestmark = pytest.mark.django_db


def _row(lead, *others, change=-20.0):
    intervention = Intervention(
        name=f"Programa {lead.name}",
        kind="patrol",
        municipality=lead,
        target_crimes=["ROBO"],
        start_date=dt.date(2016, 1, 1),
    )
    intervention.stage_more_municipalities(list(others))
    figures = Figures(
        method="before_after",
        measure="rirr",
        inference="t_welch_satterthwaite",
        scale="counts",
        estimate=1 + change / 100,
        lower=0.5,
        upper=1.1,
        percent_change=change,
        percent_lower=-50.0,
        percent_upper=10.0,
        p_value=0.2,
        df=10.0,
        se=0.2,
    )
    return SummaryRow(EvaluationDesign(intervention=intervention), object(), "", 0.4, figures)


def test_alcaldias_count_as_one_city_and_other_municipalities_as_their_own(territory):
    cuauhtemoc, coyoacan = territory.cuauhtemoc, territory.coyoacan
    tijuana, ensenada = territory.tijuana, territory.ensenada

    # Two programs in two alcaldías, one across two alcaldías: one city, Mexico City (they
    # were two when counted by leading municipality).
    assert ProgramSummary((_row(cuauhtemoc), _row(coyoacan, cuauhtemoc))).cities == 1
    # One program across two cities of Baja California: two cities (it was one).
    assert ProgramSummary((_row(tijuana, ensenada),)).cities == 2
    summary = ProgramSummary(
        (_row(cuauhtemoc, coyoacan), _row(coyoacan), _row(tijuana, ensenada, change=-6))
    )
    assert summary.cities == 3
    assert "3 cities" in summary.sentence("en")
    assert [c.name for c in cities_of([cuauhtemoc, coyoacan, tijuana])] == [
        "Ciudad de México",
        "Tijuana",
    ]
    with translation.override("es-mx"):
        assert city_label(summary.rows[0].design.intervention) == (
            "Ciudad de México (Cuauhtémoc y Coyoacán)"
        )
        assert city_label(summary.rows[2].design.intervention) == "Tijuana y Ensenada"
        assert "3 ciudades" in summary.sentence()


def test_one_alcaldia_alone_is_still_mexico_city(territory):
    summary = ProgramSummary((_row(territory.cuauhtemoc),))
    assert summary.cities == 1
    assert city_label(summary.rows[0].design.intervention) == "Ciudad de México (Cuauhtémoc)"
