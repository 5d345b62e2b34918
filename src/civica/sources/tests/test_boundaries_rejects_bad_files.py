"""Bad boundary files are rejected with the file and the place of the problem."""

from __future__ import annotations

import json

import pytest

from civica.sources.boundaries import read_boundaries
from civica.sources.errors import SourceError

SQUARE = {
    "type": "Polygon",
    "coordinates": [
        [[-99.17, 19.4], [-99.16, 19.4], [-99.16, 19.41], [-99.17, 19.41], [-99.17, 19.4]],
    ],
}
BOW_TIE = {
    "type": "Polygon",
    "coordinates": [
        [[-99.17, 19.4], [-99.16, 19.41], [-99.16, 19.4], [-99.17, 19.41], [-99.17, 19.4]],
    ],
}


def _write(path, features, kind="FeatureCollection"):
    path.write_text(json.dumps({"type": kind, "features": features}), encoding="utf-8")
    return path


def _feature(properties, geometry=SQUARE):
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def _error(path, **options) -> SourceError:
    with pytest.raises(SourceError) as caught:
        read_boundaries(path, **options)
    assert path.name in str(caught.value)
    return caught.value


def test_it_rejects_a_missing_file_and_a_folder(tmp_path):
    assert _error(tmp_path / "nowhere.geojson").file == tmp_path / "nowhere.geojson"
    folder = tmp_path / "folder.geojson"
    folder.mkdir()
    _error(folder)


def test_it_rejects_latin1_geojson_naming_the_line_and_column(tmp_path):
    path = tmp_path / "latin1.geojson"
    text = (
        '{"type": "FeatureCollection", "features": [\n{"type": "Feature", "properties": '
        '{"id": "1", "name": "Cuauhtémoc"}, "geometry": null}]}'
    )
    path.write_bytes(text.encode("latin-1"))

    error = _error(path)

    assert (error.line, error.column) == (2, text.split("\n")[1].index("é") + 1)
    assert "UTF-8" in error.message


def test_it_rejects_a_csv_given_as_geojson_with_the_json_position(tmp_path):
    path = tmp_path / "municipios.geojson"
    path.write_text("CVE,Municipio\n01001,Aguascalientes\n", encoding="utf-8")

    error = _error(path)

    assert (error.line, error.column) == (1, 1)
    assert "JSON" in error.message


def test_it_rejects_json_that_is_neither_a_featurecollection_nor_a_topology(tmp_path):
    path = tmp_path / "feature.geojson"
    path.write_text(json.dumps(_feature({"id": "1"})), encoding="utf-8")

    assert "Feature" in _error(path).message


def test_it_rejects_a_file_without_features(tmp_path):
    _error(_write(tmp_path / "empty.geojson", []))


def test_it_rejects_a_feature_without_geometry_naming_it(tmp_path):
    path = _write(tmp_path / "null.geojson", [_feature({"id": "1"}), _feature({"id": "2"}, None)])

    assert _error(path).feature == 2


def test_it_rejects_points_and_lines_naming_the_feature(tmp_path):
    point = {"type": "Point", "coordinates": [-99.1, 19.4]}
    path = _write(tmp_path / "point.geojson", [_feature({"id": "1"}, point)])

    error = _error(path)

    assert error.feature == 1
    assert "Point" in error.message


def test_it_rejects_a_self_intersecting_bow_tie_explaining_why(tmp_path):
    path = _write(
        tmp_path / "bowtie.geojson", [_feature({"id": "1"}), _feature({"id": "2"}, BOW_TIE)]
    )

    error = _error(path)

    assert error.feature == 2
    assert "Self-intersection" in error.message


def test_it_repairs_the_bow_tie_only_when_asked(tmp_path):
    path = _write(tmp_path / "bowtie.geojson", [_feature({"id": "1"}, BOW_TIE)])

    (feature,) = read_boundaries(path, repair_invalid=True)

    assert feature.geometry.is_valid
    assert feature.geometry.geom_type == "MultiPolygon"
    assert feature.repaired.startswith("Self-intersection")


def test_it_rejects_a_missing_code_field_listing_the_fields_there_are(tmp_path):
    path = _write(tmp_path / "fields.geojson", [_feature({"CVEGEO": "01001", "NOMGEO": "Ags"})])

    error = _error(path, code_field="cve")

    assert (error.feature, error.field) == (1, "cve")
    assert "CVEGEO, NOMGEO" in error.message


def test_it_rejects_a_missing_name_field(tmp_path):
    path = _write(tmp_path / "names.geojson", [_feature({"id": "1"})])

    assert _error(path, name_field="nombre").field == "nombre"


def test_it_rejects_an_empty_code(tmp_path):
    path = _write(tmp_path / "blank.geojson", [_feature({"id": " "})])

    assert _error(path).feature == 1


def test_it_rejects_duplicate_codes_naming_both_features(tmp_path):
    path = _write(
        tmp_path / "twice.geojson",
        [
            _feature({"id": "9015"}),
            _feature({"id": "1"}),
            _feature({"id": "09015"}),
        ],
    )

    error = _error(path, code_width=5)

    assert error.feature == 3
    assert "09015" in error.message
    assert "1" in error.message and "3" in error.message


def test_it_asks_which_object_of_a_topology_with_several(tmp_path):
    path = tmp_path / "several.topojson"
    path.write_text(
        json.dumps(
            {
                "type": "Topology",
                "arcs": [],
                "objects": {
                    "a": {"type": "GeometryCollection", "geometries": []},
                    "b": {"type": "GeometryCollection", "geometries": []},
                },
            }
        ),
        encoding="utf-8",
    )

    assert "a, b" in _error(path).message
    assert "a, b" in _error(path, object_name="c").message


def test_it_rejects_a_topology_feature_that_refers_to_a_missing_arc(tmp_path):
    path = tmp_path / "arcs.topojson"
    path.write_text(
        json.dumps(
            {
                "type": "Topology",
                "arcs": [],
                "objects": {
                    "a": {
                        "type": "GeometryCollection",
                        "geometries": [
                            {"type": "Polygon", "properties": {"id": "1"}, "arcs": [[5]]}
                        ],
                    }
                },
            }
        ),
        encoding="utf-8",
    )

    assert _error(path).feature == 1


def test_it_rejects_the_invalid_cuadrante_of_the_cdmx_file_unless_repair_is_asked(shared_data):
    path = shared_data / "cdmx_hoyodecrimen" / "cuadrantes_2016.geojson"

    error = _error(path, code_field="cuadrante")

    assert error.feature == 829
    repaired = [
        f for f in read_boundaries(path, code_field="cuadrante", repair_invalid=True) if f.repaired
    ]
    assert [(f.number, f.code) for f in repaired] == [(829, "O-3.5.10")]
