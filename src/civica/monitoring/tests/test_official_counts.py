"""Counts from the official statistics over a program period (real SESNSP files)."""

from civica.accounts.access import SYSTEM
from civica.indicators import Context, registry
from civica.monitoring.catalogue import default_catalogue_path, load_indicators_csv
from civica.monitoring.periods import parse_period
from civica.monitoring.reports.report import indicator_rows
from civica.official import selectors
from civica.official.tests.conftest import sesnsp_warehouse, stats_env  # noqa: F401
from civica.warehouse.sesnsp import AreaFilter, CrimeFilter

HOMICIDE_VICTIMS = {"crime": "Homicidio doloso", "level": "subtipo", "measure": "victims"}


def test_a_calendar_year_total_equals_the_published_victims(stats_env):  # noqa: F811
    result = registry.compute(
        "sesnsp_total", Context(period=parse_period("2023")), HOMICIDE_VICTIMS
    )
    assert result.value == 29_714  # the victims file's national 2023 total (cut ene25)


def test_a_fiscal_year_total_equals_the_statistics_series(stats_env):  # noqa: F811
    series = selectors.series(
        SYSTEM,
        measure="victims",
        area=AreaFilter(state_code="02"),
        crime=CrimeFilter("subtipo", "Homicidio doloso"),
        granularity="fiscal-year",
        first_year=2023,
        last_year=2023,
    )
    expected = {row.period: row.count for row in series.rows}["FY2023"]
    context = Context(period=parse_period("FY2023"), state_code="02")
    assert registry.compute("sesnsp_total", context, HOMICIDE_VICTIMS).value == expected


def test_a_period_not_yet_published_is_not_available(stats_env):  # noqa: F811
    load_indicators_csv(path=default_catalogue_path())
    rows = {r.code: r for r in indicator_rows(Context(period=parse_period("FY2025")))}
    assert rows["HOMICIDES"].value is None
    assert "meses sin datos del SESNSP" in rows["HOMICIDES"].display("es")
