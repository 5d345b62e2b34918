"""The demo program reproduces the fact sheet's coverage figures by computing them."""

import pytest

from civica.indicators import Context, registry
from civica.monitoring import demo
from civica.monitoring.models import Coverage, Indicator
from civica.monitoring.periods import parse_period
from civica.monitoring.reports.report import indicator_rows
from civica.territory.models import Municipality, State


@pytest.fixture
def national_territory(db):
    """14 states with 6 to 9 municipalities each (no boundaries: the counts are what matter)."""
    codes = [*demo.PREFERRED_STATES, "09"]
    for index, code in enumerate(codes):
        state = State.objects.create(code=code, name=f"Estado {code}")
        Municipality.objects.bulk_create(
            Municipality(cvegeo=f"{code}{n:03d}", state=state, name=f"Municipio {code}{n:03d}")
            for n in range(1, 7 + index % 3)
        )


def test_the_demo_program_computes_67_cities_in_13_states_32_direct_35_collaborative(
    national_territory,
):
    demo.load()
    context = Context(period=parse_period("FY2023"))
    result = registry.compute("municipalities_covered", context, {"component": "civic_justice"})
    assert result.value == 67
    assert result.parts == {"states": 13, "direct": 32, "collaborative": 35}
    states = registry.compute("states_covered", context, {"component": "civic_justice"})
    assert states.value == 13
    assert Coverage.objects.filter(synthetic=False).count() == 0
    # Mexicali and Ensenada are covered by the police activity and the alliance.
    police = Coverage.objects.filter(activity__code="demo-police-bc")
    assert set(police.values_list("municipality__cvegeo", flat=True)) == {
        demo.MEXICALI,
        demo.ENSENADA,
    }


def test_loading_the_demo_twice_changes_nothing(national_territory):
    demo.load()
    before = Coverage.objects.count()
    demo.load()
    assert Coverage.objects.count() == before


def test_the_fact_sheet_statement_is_written_from_the_computed_figures(national_territory):
    demo.load()
    rows = {r.code: r for r in indicator_rows(Context(period=parse_period("FY2023")))}
    assert rows["CJ-MUN"].statement("en", "FY2023") == (
        "67 cities across 13 states received support for civic justice, with direct technical "
        "assistance in 32 cities and collaborative efforts in 35 others."
    )
    assert rows["CJ-MUN"].statement("es", "FY2023") == (
        "67 ciudades de 13 estados recibieron apoyo en justicia cívica, con asistencia técnica "
        "directa en 32 ciudades y esfuerzos colaborativos en 35 ciudades más."
    )
    assert rows["CJ-MUN"].status == "met"  # target 60
    assert rows["CJ-DIRECT"].status == "behind"  # target 35
    # No participant records on this branch: an honest empty state, not a number.
    assert rows["YOUTH-REACHED"].value is None
    assert rows["YOUTH-REACHED"].display("es") == "no disponible: sin registros de participantes"
    assert Indicator.objects.count() >= 8


def test_a_small_territory_is_refused_with_what_to_do(territory):
    with pytest.raises(demo.DemoTerritoryError, match="civica demo --data"):
        demo.load()


def test_a_state_filter_uses_the_states_target_and_counts_only_its_cities(national_territory):
    from civica.monitoring.models import Indicator, Target
    from civica.territory.models import State

    demo.load()
    Target.objects.create(
        indicator=Indicator.objects.get(code="CJ-MUN"),
        period="FY2023",
        state=State.objects.get(code="02"),
        value=7,
    )
    context = Context(period=parse_period("FY2023"), state_code="02")
    rows = {r.code: r for r in indicator_rows(context)}
    assert rows["CJ-MUN"].value == 5  # the test Baja California is not one of the two larger
    assert rows["CJ-MUN"].target == 7 and rows["CJ-MUN"].status == "behind"
    assert rows["CJ-STATES"].target is None  # the national target is not the state's
