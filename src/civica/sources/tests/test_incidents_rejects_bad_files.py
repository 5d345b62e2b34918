"""Incident files that cannot be read as a whole are refused, naming the file and the line,
column, feature or field, and nothing is written.

Messages are translated, so the tests check where an error points and the values it
quotes, not its wording.
"""

from __future__ import annotations

import json

import pytest

from civica.sources.errors import SourceError
from civica.sources.incidents import read_incidents

MAPPING = {"date": "fecha", "crime": "delito", "lat": "lat", "lon": "lon"}
HEADER = "id,fecha,delito,lat,lon"


def refused(tmp_path, data: bytes | str, name: str = "incidentes.csv", **options) -> SourceError:
    """Read ``data`` as a file called ``name``; return the error after checking that it names
    the file and that the output folder is left empty (no outputs, no scratch files)."""
    source = tmp_path / name
    if isinstance(data, str):
        data = data.encode("utf-8")
    source.write_bytes(data)
    out = tmp_path / "out"
    out.mkdir(exist_ok=True)
    options.setdefault("mapping", None if "preset" in options else MAPPING)
    with pytest.raises(SourceError) as caught:
        read_incidents(source, output=out / "tidy.parquet", rejects=out / "rejects.csv", **options)
    assert source.name in str(caught.value)
    assert list(out.iterdir()) == []
    return caught.value


def csv_text(*rows: str) -> str:
    return "\n".join([HEADER, *rows]) + "\n"


def test_it_refuses_an_empty_file(tmp_path):
    error = refused(tmp_path, b"")

    assert error.line == 1


def test_it_refuses_a_header_without_rows(tmp_path):
    error = refused(tmp_path, csv_text())

    assert error.line == 2


def test_it_names_the_missing_columns_and_lists_those_found(tmp_path):
    error = refused(tmp_path, "fecha,delito,latitud,long\n2020-01-01,ROBO,19.4,-99.1\n")

    assert error.line == 1
    assert error.field == "lat"
    assert "lat" in error.message and "lon" in error.message
    assert "latitud" in error.message and "long" in error.message


def test_it_refuses_a_mapped_optional_column_that_does_not_exist(tmp_path):
    error = refused(
        tmp_path, csv_text("1,2020-01-01,ROBO,19.4,-99.1"), mapping=MAPPING | {"area": "alcaldia"}
    )

    assert error.field == "alcaldia"


def test_it_refuses_an_unknown_preset_listing_the_presets(tmp_path):
    error = refused(tmp_path, csv_text("1,2020-01-01,ROBO,19.4,-99.1"), preset="cdmx-pgj")

    assert error.field == "preset"
    assert "cdmx-pgj" in error.message
    assert "cdmx-ssp" in error.message and "cdmx-fgj" in error.message


def test_it_refuses_an_unknown_role(tmp_path):
    error = refused(
        tmp_path, csv_text("1,2020-01-01,ROBO,19.4,-99.1"), mapping=MAPPING | {"fecha": "x"}
    )

    assert error.field == "fecha"


def test_it_refuses_a_line_with_too_few_fields(tmp_path):
    error = refused(tmp_path, csv_text("1,2020-01-01,ROBO,19.4,-99.1", "2,2020-01-02,ROBO"))

    assert error.line == 3


def test_it_says_when_coordinates_appear_swapped(tmp_path):
    error = refused(
        tmp_path,
        csv_text(
            "1,2020-01-01,ROBO,-99.1332,19.4326",
            "2,2020-01-02,ROBO,-99.2,19.3",
            "3,2020-01-03,ROBO,19.4,-99.1",
        ),
    )

    assert (error.line, error.column, error.field) == (2, 4, "lat")
    assert "-99.1332" in error.message and "19.4326" in error.message


def test_it_says_when_coordinates_appear_projected_and_suggests_the_crs(tmp_path):
    # CDMX in EPSG:6372 (INEGI Lambert): x ≈ 2.8 million, y ≈ 0.83 million metres.
    error = refused(
        tmp_path,
        csv_text("1,2020-01-01,ROBO,828777,2800504", "2,2020-01-02,ROBO,830000,2801000"),
    )

    assert (error.line, error.field) == (2, "lat")
    assert "EPSG:6372" in error.message


def test_it_recognises_utm_metres(tmp_path):
    error = refused(tmp_path, csv_text("1,2020-01-01,ROBO,2148412,486353"))

    assert "32611" in error.message


def test_it_says_when_coordinates_are_not_decimal_numbers(tmp_path):
    error = refused(tmp_path, "id;fecha;delito;lat;lon\n1;2020-01-01;ROBO;19,4326;-99,1332\n")

    assert (error.line, error.column) == (2, 4)
    assert "19,4326" in error.message


def test_it_reports_the_line_and_column_of_malformed_geojson(tmp_path):
    text = '{"type": "FeatureCollection",\n "features": [\n  {"type": "Feature",}\n ]}\n'

    error = refused(tmp_path, text, name="puntos.geojson")

    assert (error.line, error.column) == (3, 22)  # the "}" where a name was expected


def test_it_refuses_geojson_that_is_not_a_feature_collection(tmp_path):
    text = json.dumps({"type": "Point", "coordinates": [-99.1, 19.4]})

    error = refused(tmp_path, text, name="punto.geojson")

    assert "Point" in error.message


def point(lon, lat, **properties):
    properties = {"fecha": "2020-01-01", "delito": "ROBO"} | properties
    geometry = {"type": "Point", "coordinates": [lon, lat]}
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def test_it_names_the_feature_that_is_not_a_point(tmp_path):
    line = {"type": "LineString", "coordinates": [[-99.1, 19.4], [-99.2, 19.5]]}
    features = [point(-99.1, 19.4), {"type": "Feature", "properties": {}, "geometry": line}]
    text = json.dumps({"type": "FeatureCollection", "features": features})

    error = refused(tmp_path, text, name="puntos.geojson")

    assert (error.feature, error.field) == (2, "geometry")
    assert "LineString" in error.message


def test_it_says_when_geojson_positions_are_latitude_first(tmp_path):
    features = [point(19.43, -99.13), point(19.44, -99.12)]
    text = json.dumps({"type": "FeatureCollection", "features": features})

    error = refused(tmp_path, text, name="puntos.geojson")

    assert (error.feature, error.field) == (1, "geometry")


def test_it_refuses_a_file_that_is_not_parquet_despite_its_magic(tmp_path):
    error = refused(tmp_path, b"PAR1 this is not really parquet", name="roto.parquet")

    assert error.line is None
