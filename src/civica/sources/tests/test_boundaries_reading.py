"""Reading GeoJSON and TopoJSON boundary files: what comes out for good input."""

from __future__ import annotations

import json

import numpy as np
import pytest
import shapely

from civica.sources.boundaries import read_boundaries


def _square(lon, lat, size=0.01, z=None):
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size]]
    ring.append(ring[0])
    if z is not None:
        ring = [[x, y, z] for x, y in ring]
    return {"type": "Polygon", "coordinates": [ring]}


def _write(path, features):
    path.write_text(
        json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8"
    )
    return path


def _feature(properties, geometry):
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def test_it_reads_codes_names_and_properties_numbering_features_from_one(tmp_path):
    path = _write(
        tmp_path / "two.geojson",
        [
            _feature({"id": "09015", "nombre": "Cuauhtémoc", "extra": 1}, _square(-99.17, 19.42)),
            _feature({"id": "09003", "nombre": "Coyoacán"}, _square(-99.17, 19.32)),
        ],
    )

    features = read_boundaries(path, name_field="nombre")

    assert [(f.number, f.code, f.name) for f in features] == [
        (1, "09015", "Cuauhtémoc"),
        (2, "09003", "Coyoacán"),
    ]
    assert features[0].properties == {"id": "09015", "nombre": "Cuauhtémoc", "extra": 1}
    assert features[0].geometry.geom_type == "Polygon"
    assert features[0].repaired is None


def test_it_zero_pads_numeric_codes_to_the_width_asked_for(tmp_path):
    path = _write(
        tmp_path / "cdmx.geojson",
        [
            _feature({"cve_mun": "9015"}, _square(-99.17, 19.42)),
            _feature({"cve_mun": 9003}, _square(-99.17, 19.32)),
            _feature({"cve_mun": " 02004 "}, _square(-117.0, 32.45)),
        ],
    )

    features = read_boundaries(path, code_field="cve_mun", code_width=5)

    assert [f.code for f in features] == ["09015", "09003", "02004"]


def test_it_takes_the_feature_id_when_properties_have_no_id(tmp_path):
    feature = _feature({}, _square(-99.17, 19.42))
    feature["id"] = "09"
    path = _write(tmp_path / "ids.geojson", [feature])

    assert read_boundaries(path)[0].code == "09"


def test_it_keeps_z_coordinates_for_the_caller_to_drop(tmp_path):
    path = _write(tmp_path / "z.geojson", [_feature({"id": "a"}, _square(-99.1, 19.4, z=0.0))])

    geometry = read_boundaries(path)[0].geometry

    assert geometry.has_z


def test_it_decodes_topojson_to_the_same_coordinates_as_the_published_geojson(shared_data):
    folder = shared_data / "mx_boundaries_mxmaps"
    for stem in ("mx_estados", "mx_municipios"):
        topo = read_boundaries(folder / f"{stem}.topojson", repair_invalid=True)
        published = json.loads((folder / f"{stem}.geojson").read_text(encoding="utf-8"))
        assert [f.code for f in topo] == [f["properties"]["id"] for f in published["features"]]
        compared = 0
        for feature, expected in zip(topo, published["features"], strict=True):
            if feature.repaired:
                continue  # make_valid rebuilt it; its raw arcs are checked by the import test.
            decoded = shapely.get_coordinates(feature.geometry)
            given = shapely.get_coordinates(shapely.geometry.shape(expected["geometry"]))
            assert decoded.shape == given.shape
            assert np.abs(decoded - given).max() <= 1e-6
            compared += 1
        assert compared >= len(topo) - 26


def test_it_reads_a_hand_made_quantized_topology_with_reversed_arcs(tmp_path):
    # Two unit squares sharing the arc 0 (x = 1); the second walks it backwards (~0 = -1).
    topology = {
        "type": "Topology",
        "transform": {"scale": [0.5, 0.5], "translate": [-100, 20]},
        "arcs": [
            [[2, 0], [0, 2]],
            [[2, 2], [-2, 0], [0, -2], [2, 0]],
            [[2, 0], [2, 0], [0, 2], [-2, 0]],
        ],
        "objects": {
            "squares": {
                "type": "GeometryCollection",
                "geometries": [
                    {"type": "Polygon", "properties": {"id": "a"}, "arcs": [[0, 1]]},
                    {"type": "MultiPolygon", "properties": {"id": "b"}, "arcs": [[[2, -1]]]},
                ],
            }
        },
    }
    path = tmp_path / "squares.topojson"
    path.write_text(json.dumps(topology), encoding="utf-8")

    left, right = read_boundaries(path)

    assert left.geometry.equals(shapely.box(-100, 20, -99, 21))
    assert right.geometry.equals(shapely.MultiPolygon([shapely.box(-99, 20, -98, 21)]))


def test_it_picks_the_named_object_of_a_topology_with_several(tmp_path):
    topology = {
        "type": "Topology",
        "arcs": [[[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 0.0]]],
        "objects": {
            "one": {"type": "Polygon", "properties": {"id": "1"}, "arcs": [[0]]},
            "two": {
                "type": "GeometryCollection",
                "geometries": [
                    {"type": "Polygon", "properties": {"id": "2"}, "arcs": [[0]]},
                ],
            },
        },
    }
    path = tmp_path / "several.topojson"
    path.write_text(json.dumps(topology), encoding="utf-8")

    assert [f.code for f in read_boundaries(path, object_name="two")] == ["2"]


@pytest.mark.parametrize("stem", ["mx_estados.geojson", "mx_estados.topojson"])
def test_it_repairs_invalid_polygons_only_when_asked_and_marks_them(shared_data, stem):
    features = read_boundaries(shared_data / "mx_boundaries_mxmaps" / stem, repair_invalid=True)

    repaired = [f for f in features if f.repaired]
    assert len(features) == 32
    # mxmaps' state arcs double back on themselves ("9,-10,9"), leaving zero-width spikes.
    assert len(repaired) == 26
    assert all(f.geometry.is_valid for f in features)
    assert all("Self-intersection" in f.repaired for f in repaired)
