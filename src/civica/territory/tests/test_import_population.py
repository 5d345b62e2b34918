"""Importing CONAPO population: the six national files, grouping by sex, new areas."""

from __future__ import annotations

import time

import pytest
from django.db.models import Sum

from civica.territory.models import Municipality, PopulationEstimate, State
from civica.territory.services import import_municipalities, import_population, import_states

NEWER_THAN_THE_BOUNDARIES = ("02007", "04013", "12082", "12083", "12084", "12085")


def _conapo_files(shared_data):
    return sorted((shared_data / "conapo_poblacion").glob("*.csv"))


@pytest.fixture(scope="module")
def national(django_db_setup, django_db_blocker, shared_data):
    """Boundaries, then the six CONAPO files (state and municipal × total, men, women)."""
    folder = shared_data / "mx_boundaries_mxmaps"
    with django_db_blocker.unblock():
        try:
            import_states(path=folder / "mx_estados.geojson", repair_invalid=True)
            import_municipalities(
                path=folder / "mx_municipios.geojson",
                names_path=folder / "municipios_censo2020.csv",
                repair_invalid=True,
            )
            started = time.perf_counter()
            report = import_population(paths=_conapo_files(shared_data))
            yield report, time.perf_counter() - started
        finally:
            PopulationEstimate.objects.all().delete()
            Municipality.objects.all().delete()
            State.objects.all().delete()


def _national_total(year: int, **filters) -> int:
    estimates = PopulationEstimate.objects.filter(year=year, **filters)
    return estimates.aggregate(total=Sum("total"))["total"]


def test_it_imports_every_municipality_and_state_for_every_year(db, national):
    report, _seconds = national

    assert report.created == 2475 * 51 + 32 * 101
    assert (report.updated, report.unchanged) == (0, 0)


def test_the_municipal_totals_add_up_to_conapos_national_figures(db, national):
    assert _national_total(2020, municipality__isnull=False) == 128_209_170
    assert _national_total(2024, municipality__isnull=False) == 132_274_416
    assert _national_total(2024, municipality__isnull=True) == 132_274_416


def test_it_joins_men_and_women_to_each_total(db, national):
    estimate = PopulationEstimate.objects.get(municipality__cvegeo="09015", year=2020)

    assert estimate.men + estimate.women == estimate.total
    state = PopulationEstimate.objects.get(state__code="05", municipality=None, year=2020)
    assert state.men + state.women == state.total


def test_it_keeps_and_reports_municipalities_newer_than_the_boundaries(db, national):
    report, _seconds = national

    assert [item[:5] for item in report.without_boundary] == list(NEWER_THAN_THE_BOUNDARIES)
    assert "02007 San Felipe" in report.without_boundary
    assert [item[:5] for item in report.created_areas] == list(NEWER_THAN_THE_BOUNDARIES)
    san_felipe = Municipality.objects.get(cvegeo="02007")
    assert (san_felipe.name, san_felipe.state.code, san_felipe.geometry) == (
        "San Felipe",
        "02",
        "",
    )
    assert PopulationEstimate.objects.filter(municipality=san_felipe).count() == 51


def test_it_reports_everything_unchanged_on_a_second_import(db, national, shared_data):
    report = import_population(paths=_conapo_files(shared_data))

    assert (report.created, report.updated) == (0, 0)
    assert report.unchanged == 2475 * 51 + 32 * 101
    assert report.created_areas == ()


def test_it_reports_the_one_value_that_changed(db, national, tmp_path):
    path = tmp_path / "municipal_total.csv"
    path.write_text(
        "CVE,Entidad,Municipio,2020,2021\n09015,CDMX,Cuauhtémoc,1,545884\n", encoding="utf-8"
    )
    before = PopulationEstimate.objects.get(municipality__cvegeo="09015", year=2020)

    report = import_population(paths=[path], years=[2020])

    assert (report.created, report.updated, report.unchanged) == (0, 1, 0)
    after = PopulationEstimate.objects.get(municipality__cvegeo="09015", year=2020)
    assert (after.id, after.total) == (before.id, 1)
