"""Official rates compare like with like: women's crimes per 100,000 women, an incomplete
year on the same months as complete ones, and shares that warn when crimes are missing."""

import pytest
from django.utils import translation

from civica.accounts.access import SYSTEM
from civica.official import selectors
from civica.territory.models import PopulationEstimate
from civica.warehouse.sesnsp import AreaFilter, CrimeFilter

HOMICIDIO = CrimeFilter("subtipo", "Homicidio doloso")
FEMINICIDIO = CrimeFilter("subtipo", "Feminicidio")
GUANAJUATO_WOMEN = 3_100_000


@pytest.fixture
def with_women(stats_env):
    PopulationEstimate.objects.filter(municipality__isnull=True).update(women=2_000_000)
    PopulationEstimate.objects.filter(municipality__isnull=True, state__code="11").update(
        women=GUANAJUATO_WOMEN
    )
    return stats_env


def by_period(result):
    return {row.period: row for row in result.rows}


def test_feminicidio_is_a_rate_per_100000_women(with_women):
    with translation.override("en"):
        result = selectors.series(SYSTEM, area=AreaFilter("11"), crime=FEMINICIDIO)
    row = by_period(result)["2023"]
    assert row.rate == pytest.approx(row.count / GUANAJUATO_WOMEN * 100_000)
    assert result.population == "women"
    assert any("100,000 women" in note or "100 000 women" in note for note in result.notes)


def test_women_victims_are_divided_by_women(with_women):
    result = selectors.series(
        SYSTEM, measure="victims", area=AreaFilter(), crime=HOMICIDIO, sex="Mujer"
    )
    row = by_period(result)["2023"]
    # 31 states × 2,000,000 + Guanajuato's 3,100,000 women.
    assert row.rate == pytest.approx(row.count / 65_100_000 * 100_000)
    everyone = by_period(
        selectors.series(SYSTEM, measure="victims", area=AreaFilter(), crime=HOMICIDIO)
    )
    assert everyone["2023"].rate == pytest.approx(everyone["2023"].count / 130_000_000 * 100_000)


def test_without_women_population_the_rate_is_missing_and_says_why(stats_env):
    with translation.override("en"):
        result = selectors.series(SYSTEM, area=AreaFilter("11"), crime=FEMINICIDIO)
    assert all(row.rate != row.rate for row in result.rows)  # NaN, not a rate per everyone
    assert any("women" in note for note in result.notes)


def test_an_incomplete_year_is_compared_on_the_same_months(stats_env):
    years = by_period(selectors.series(SYSTEM, area=AreaFilter(), crime=HOMICIDIO))
    months = by_period(
        selectors.series(SYSTEM, area=AreaFilter(), crime=HOMICIDIO, granularity="month",
                         first_year=2023, last_year=2023)
    )  # fmt: skip
    december_2023 = months["2023-12"].count
    assert years["2024"].missing == ("2024-12",)
    # January–November of each year: 23,581 in 2024 against 25,290 − December in 2023.
    assert years["2024"].same_months_count == 23_581
    assert years["2023"].same_months_count == 25_290 - december_2023
    like_for_like = (23_581 / (25_290 - december_2023) - 1) * 100
    assert years["2024"].same_months_change == pytest.approx(like_for_like)
    annualised = (23_581 * 12 / 11 / 25_290 - 1) * 100
    # ×12/11 reads +1.7%; on the same months the change is +1.2%.
    assert annualised == pytest.approx(1.72, abs=0.01)
    assert like_for_like == pytest.approx(1.22, abs=0.01)
    assert years["2023"].complete and years["2024"].same_months_rate == pytest.approx(
        23_581 * 12 / 11 / 130_000_000 * 100_000
    )


def test_priority_shares_warn_when_only_some_crimes_are_loaded(stats_env):
    with translation.override("en"):
        ranking, _snapshot = selectors.priority(SYSTEM, municipality_code="11020")
    # The municipal file of the test holds homicides only: "100% of the total" is of those.
    assert ranking.notes and "of the crimes loaded" in ranking.notes[0]
