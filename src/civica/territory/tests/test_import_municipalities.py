"""Importing municipal boundaries: the 2,469 of INEGI 2020, names, states, changes."""

from __future__ import annotations

import json
import time

import pytest

from civica.territory.models import Municipality, State
from civica.territory.services import import_municipalities, import_states


@pytest.fixture(scope="module")
def national(django_db_setup, django_db_blocker, shared_data):
    """The states and the 2,469 municipalities, imported once for the module."""
    folder = shared_data / "mx_boundaries_mxmaps"
    with django_db_blocker.unblock():
        try:
            import_states(path=folder / "mx_estados.geojson", repair_invalid=True)
            started = time.perf_counter()
            report = import_municipalities(
                path=folder / "mx_municipios.topojson",
                names_path=folder / "municipios_censo2020.csv",
                repair_invalid=True,
            )
            seconds = time.perf_counter() - started
            yield report, seconds
        finally:
            Municipality.objects.all().delete()
            State.objects.all().delete()


def _cdmx_copy(shared_data, tmp_path, change=None):
    """The CDMX municipalities of the national GeoJSON, optionally with one changed."""
    source = shared_data / "mx_boundaries_mxmaps" / "mx_municipios.geojson"
    document = json.loads(source.read_text(encoding="utf-8"))
    document["features"] = [
        f for f in document["features"] if f["properties"]["id"].startswith("09")
    ]
    if change:
        change(document["features"])
    path = tmp_path / "cdmx.geojson"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def test_it_imports_the_2469_municipalities_named_from_the_census_table(db, national):
    report, _seconds = national

    assert (report.created, report.updated, report.unchanged) == (2469, 0, 0)
    assert Municipality.objects.count() == 2469
    cuauhtemoc = Municipality.objects.get(cvegeo="09015")
    assert (cuauhtemoc.name, cuauhtemoc.state.code) == ("Cuauhtémoc", "09")
    assert 30 < cuauhtemoc.area_km2 < 35  # INEGI: 32.4 km²


def test_it_reports_the_municipalities_it_repaired(db, national):
    report, _seconds = national

    assert [item.split(" ")[1] for item in report.repaired] == [
        "(31002):",
        "(31050):",
        "(31041):",
        "(31076):",
        "(30044):",
        "(30068):",
    ]


def test_it_reports_everything_unchanged_on_a_second_import(db, national, shared_data):
    folder = shared_data / "mx_boundaries_mxmaps"

    report = import_municipalities(
        path=folder / "mx_municipios.topojson",
        repair_invalid=True,
    )

    # Without a names table the stored names are kept, so nothing changes.
    assert (report.created, report.updated, report.unchanged) == (0, 0, 2469)
    assert report.without_boundary == ()


def test_it_reports_the_one_municipality_that_changed(db, national, shared_data, tmp_path):
    def shift_a_vertex(features):
        ring = features[0]["geometry"]["coordinates"][0]
        ring[1] = [ring[1][0] + 0.001, ring[1][1]]

    same = import_municipalities(path=_cdmx_copy(shared_data, tmp_path))
    changed = import_municipalities(path=_cdmx_copy(shared_data, tmp_path, shift_a_vertex))

    assert (same.created, same.updated, same.unchanged) == (0, 0, 16)
    assert (changed.created, changed.updated, changed.unchanged) == (0, 1, 15)


def test_it_lists_municipalities_left_without_boundary(db, national, shared_data, tmp_path):
    Municipality.objects.create(
        cvegeo="02007", state=State.objects.get(code="02"), name="San Felipe"
    )

    report = import_municipalities(path=_cdmx_copy(shared_data, tmp_path))

    assert report.without_boundary == ("02007 San Felipe",)
