"""Series equal the official files to the unit, and rates are checked by hand."""

import pytest

from civica.accounts.access import SYSTEM
from civica.official import selectors
from civica.official.models import Crosswalk
from civica.official.selectors import StatisticsError
from civica.official.tests.conftest import GUANAJUATO_POPULATION
from civica.warehouse.sesnsp import AreaFilter, CrimeFilter

HOMICIDIO = CrimeFilter("subtipo", "Homicidio doloso")
FEMINICIDIO = CrimeFilter("subtipo", "Feminicidio")


def by_period(result):
    return {row.period: row for row in result.rows}


def test_national_homicides_by_year_equal_the_state_file(stats_env):
    rows = by_period(selectors.series(SYSTEM, area=AreaFilter(), crime=HOMICIDIO))
    assert rows["2023"].count == 25_290 and rows["2023"].complete
    assert rows["2024"].count == 23_581
    assert not rows["2024"].complete and rows["2024"].missing == ("2024-12",)
    # 25,290 ÷ (31 × 4,000,000 + 6,000,000) × 100,000
    assert rows["2023"].rate == pytest.approx(25_290 / 130_000_000 * 100_000)
    feminicidio = by_period(selectors.series(SYSTEM, area=AreaFilter(), crime=FEMINICIDIO))
    assert feminicidio["2023"].count == 833


@pytest.mark.parametrize(
    ("year", "victims"), [(2019, 34_723), (2022, 30_978), (2023, 29_714), (2024, 30_047)]
)
def test_national_homicide_victims_equal_the_victims_file(stats_env, year, victims):
    rows = by_period(
        selectors.series(SYSTEM, measure="victims", area=AreaFilter(), crime=HOMICIDIO)
    )
    assert rows[str(year)].count == victims


def test_victims_by_sex_add_up(stats_env):
    total = by_period(
        selectors.series(SYSTEM, measure="victims", area=AreaFilter(), crime=FEMINICIDIO)
    )["2023"].count
    women = by_period(
        selectors.series(
            SYSTEM, measure="victims", area=AreaFilter(), crime=FEMINICIDIO, sex="Mujer"
        )
    )["2023"].count
    assert total == 853 and women <= total


def test_guanajuato_rate_by_hand(stats_env):
    rows = by_period(selectors.series(SYSTEM, area=AreaFilter("11"), crime=HOMICIDIO))
    assert rows["2023"].count == 2_581
    assert rows["2023"].rate == pytest.approx(2_581 / GUANAJUATO_POPULATION * 100_000)


def test_guanajuato_municipalities_sum_to_the_state_file(stats_env):
    for year in (2020, 2021, 2022, 2023):
        rows = selectors.state_vs_municipalities(SYSTEM, crime=HOMICIDIO, year=year)
        assert [row["difference"] for row in rows] == [0]


def test_a_monthly_rate_is_annualised_by_days(stats_env):
    rows = by_period(
        selectors.series(
            SYSTEM,
            area=AreaFilter("11"),
            crime=HOMICIDIO,
            granularity="month",
            first_year=2023,
            last_year=2023,
        )
    )
    january = rows["2023-01"]
    assert january.rate == pytest.approx(january.count / 31 * 365 / GUANAJUATO_POPULATION * 1e5)


def test_fiscal_years_run_october_to_september(stats_env):
    months = by_period(
        selectors.series(SYSTEM, area=AreaFilter(), crime=HOMICIDIO, granularity="month")
    )
    expected = sum(months[f"2022-{m:02d}"].count for m in (10, 11, 12)) + sum(
        months[f"2023-{m:02d}"].count for m in range(1, 10)
    )
    fiscal = by_period(
        selectors.series(SYSTEM, area=AreaFilter(), crime=HOMICIDIO, granularity="fiscal-year")
    )
    assert fiscal["FY2023"].count == expected and fiscal["FY2023"].complete
    assert not fiscal["FY2015"].complete  # Oct–Dec 2014 are not in the file


def test_a_series_across_the_2026_break_is_refused_without_a_crosswalk(stats_env):
    with pytest.raises(StatisticsError, match="2026"):
        selectors.series(
            SYSTEM, area=AreaFilter(), crime=HOMICIDIO, first_year=2024, last_year=2026
        )


def test_a_crosswalk_lets_the_series_continue_into_2026(stats_env):
    Crosswalk.objects.create(
        level="subtipo",
        name_2015="Homicidio doloso",
        name_rnid="Homicidio doloso",
        note="same definition",
    )
    result = selectors.series(
        SYSTEM, area=AreaFilter(), crime=HOMICIDIO, first_year=2024, last_year=2026
    )
    rows = by_period(result)
    assert rows["2026"].count > 0 and not rows["2026"].complete
    assert any("2026" in note for note in result.notes)


def test_municipal_victims_are_refused_with_the_reason(stats_env):
    with pytest.raises(StatisticsError, match=r"entidad|state"):
        selectors.series(SYSTEM, measure="victims", area=AreaFilter("11", "11020"), crime=HOMICIDIO)


def test_an_unavailable_cut_lists_the_available_ones(stats_env):
    with pytest.raises(StatisticsError, match="2024-11"):
        selectors.series(SYSTEM, area=AreaFilter(), crime=HOMICIDIO, cut="2019-01")
