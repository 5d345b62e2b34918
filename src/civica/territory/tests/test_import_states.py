"""Importing state boundaries: GeoJSON and TopoJSON, names, idempotence, changes."""

from __future__ import annotations

import json

import pytest

from civica.territory.models import State
from civica.territory.services import import_states


@pytest.fixture
def estados(shared_data):
    return shared_data / "mx_boundaries_mxmaps" / "mx_estados.geojson"


def test_it_imports_the_32_states_naming_them_from_the_catalogue(db, estados):
    report = import_states(path=estados, repair_invalid=True)

    assert (report.created, report.updated, report.unchanged) == (32, 0, 0)
    assert State.objects.count() == 32
    coahuila = State.objects.get(code="05")
    assert (coahuila.name, coahuila.abbreviation) == ("Coahuila de Zaragoza", "COAH")
    assert State.objects.get(code="09").abbreviation == "CDMX"
    cdmx_area = State.objects.get(code="09").area_km2
    assert 1400 < cdmx_area < 1550  # INEGI gives 1,494 km²; these polygons are simplified.
    assert all(
        json.loads(s.geometry)["type"] in ("Polygon", "MultiPolygon") for s in State.objects.all()
    )


def test_it_reports_the_states_whose_polygons_it_had_to_repair(db, estados):
    report = import_states(path=estados, repair_invalid=True)

    assert len(report.repaired) == 26
    assert report.repaired[0].startswith("2 (16): Ring Self-intersection")


def test_it_stores_the_same_geometries_from_topojson_as_from_geojson(db, estados):
    import_states(path=estados, repair_invalid=True)
    from_geojson = dict(State.objects.values_list("code", "geometry"))

    report = import_states(path=estados.with_suffix(".topojson"), repair_invalid=True)

    assert (report.created, report.updated, report.unchanged) == (0, 0, 32)
    assert dict(State.objects.values_list("code", "geometry")) == from_geojson


def test_it_reports_everything_unchanged_on_a_second_import(db, estados):
    import_states(path=estados, repair_invalid=True)

    report = import_states(path=estados, repair_invalid=True)

    assert (report.created, report.updated, report.unchanged) == (0, 0, 32)


def test_it_reports_the_one_state_that_changed(db, estados, tmp_path):
    import_states(path=estados, repair_invalid=True)
    document = json.loads(estados.read_text(encoding="utf-8"))
    ring = document["features"][0]["geometry"]["coordinates"][0]
    first = document["features"][0]["properties"]["id"]
    ring[1] = [ring[1][0] + 0.001, ring[1][1]]
    changed = tmp_path / "estados.geojson"
    changed.write_text(json.dumps(document), encoding="utf-8")
    before = State.objects.get(code=first).area_km2

    report = import_states(path=changed, repair_invalid=True)

    assert (report.created, report.updated, report.unchanged) == (0, 1, 31)
    assert State.objects.get(code=first).area_km2 != before


def test_it_takes_names_from_the_file_when_asked(db, tmp_path):
    path = tmp_path / "one.geojson"
    path.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"cve": 9, "nombre": "CDMX (capital)"},
                        "geometry": {
                            "type": "Polygon",
                            "coordinates": [
                                [[-99.2, 19.4], [-99.1, 19.4], [-99.1, 19.5], [-99.2, 19.4]],
                            ],
                        },
                    }
                ],
            }
        ),
        encoding="utf-8",
    )

    import_states(path=path, code_field="cve", name_field="nombre")

    state = State.objects.get()
    assert (state.code, state.name, state.abbreviation) == ("09", "CDMX (capital)", "CDMX")
