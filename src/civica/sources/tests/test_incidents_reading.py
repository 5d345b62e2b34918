"""Reading incident files: the real CDMX SSP points, the FGJ schema and the three formats."""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
import json
import zipfile
from collections import Counter

import duckdb
import pytest
import shapely

from civica.sources.boundaries import read_boundaries
from civica.sources.incidents import REASONS, read_incidents

SSP = "cdmx_hoyodecrimen/crime_lat_long_2013-2016.csv.gz"
TIDY_COLUMNS = [
    ("id", "VARCHAR"),
    ("date", "DATE"),
    ("time", "TIME"),
    ("crime", "VARCHAR"),
    ("category", "VARCHAR"),
    ("lat", "DOUBLE"),
    ("lon", "DOUBLE"),
    ("x", "DOUBLE"),
    ("y", "DOUBLE"),
    ("area", "VARCHAR"),
    ("place", "VARCHAR"),
    ("source_cuadrante", "VARCHAR"),
]


@pytest.fixture(scope="module")
def ssp(shared_data, tmp_path_factory):
    folder = tmp_path_factory.mktemp("ssp")
    return read_incidents(
        shared_data / SSP,
        output=folder / "incidents.parquet",
        rejects=folder / "rejects.csv",
        preset="cdmx-ssp",
    )


def rows(path, sql="SELECT * FROM t"):
    with duckdb.connect() as connection:
        connection.execute(f"CREATE VIEW t AS SELECT * FROM read_parquet('{path}')")  # noqa: S608
        return connection.execute(sql).fetchall()


def test_it_reads_every_row_of_the_ssp_file_and_rejects_only_those_without_coordinates(ssp):
    assert ssp.format == "csv"
    assert ssp.encoding == "utf-8"
    assert ssp.rows_read == 132_692
    assert ssp.rejected == {reason: 0 for reason in REASONS} | {"no_coordinates": 1_551}
    assert ssp.rows_kept == 132_692 - 1_551
    assert ssp.date_range == (dt.date(2013, 1, 1), dt.date(2016, 9, 25))
    assert ssp.mapping["lon"] == "long"
    assert ssp.mapping["source_cuadrante"] == "cuadrante"


def test_it_counts_kept_incidents_per_crime(ssp):
    crimes = dict(ssp.crimes)
    assert len(crimes) == 19
    assert sum(crimes.values()) == ssp.rows_kept
    assert ssp.crimes[0] == ("ROBO DE VEHICULO AUTOMOTOR S.V.", 36_819)
    assert crimes["HOMICIDIO DOLOSO"] == 3_801
    assert rows(ssp.output, "SELECT count(*) FROM t WHERE crime = 'HOMICIDIO DOLOSO'") == [(3_801,)]


def test_it_writes_the_tidy_columns_in_file_order(ssp):
    described = rows(ssp.output, "SELECT column_name, column_type FROM (DESCRIBE t)")
    assert described == TIDY_COLUMNS
    first = rows(ssp.output, "SELECT * FROM t LIMIT 1")[0]
    assert first[:7] == (
        "1",
        dt.date(2013, 1, 1),
        dt.time(10, 7),
        "VIOLACION",
        None,
        19.5440795241155,
        -99.1247208081161,
    )
    assert first[11] == "N-1.1.18"
    # EPSG:6372 puts CDMX near x = 2.8 million and y = 0.83 million metres.
    assert 2_790_000 < first[7] < 2_810_000 and 820_000 < first[8] < 850_000


def test_it_keeps_unreadable_hours_as_empty_times_and_counts_them(ssp):
    # Ten rows write the hour as five digits (21510): not a time, so it is left empty.
    assert ssp.unreadable_times == 10
    assert rows(ssp.output, "SELECT count(*) FROM t WHERE time IS NULL") == [(10,)]


def test_its_rejects_name_the_original_line_of_each_row(ssp, shared_data):
    with gzip.open(shared_data / SSP, "rt", encoding="utf-8") as handle:
        lines = handle.read().splitlines()
    with ssp.rejects.open(encoding="utf-8") as handle:
        rejected = list(csv.reader(handle))

    assert rejected[0] == ["line", "reason", *next(csv.reader([lines[0]]))]
    assert len(rejected) - 1 == 1_551
    for line, reason, *values in rejected[1:]:
        assert reason == "no_coordinates"
        assert next(csv.reader([lines[int(line) - 1]])) == values
    assert rejected[1][:2] == ["11", "no_coordinates"]


def test_it_rejects_points_outside_the_boundary_given(shared_data, tmp_path):
    alcaldias = read_boundaries(
        shared_data / "cdmx_hoyodecrimen/alcaldias_cdmx.geojson", code_field="cvegeo"
    )
    cdmx = shapely.union_all([feature.geometry for feature in alcaldias])

    result = read_incidents(
        shared_data / SSP,
        output=tmp_path / "incidents.parquet",
        rejects=tmp_path / "rejects.csv",
        preset="cdmx-ssp",
        boundary=cdmx,
    )

    # 870 points lie outside the union of the 16 alcaldías (on its ragged edge).
    assert result.rejected["outside_area"] == 870
    assert result.rejected["no_coordinates"] == 1_551
    assert result.rows_kept == 132_692 - 1_551 - 870
    with (tmp_path / "rejects.csv").open(encoding="utf-8") as handle:
        counted = Counter(row["reason"] for row in csv.DictReader(handle))
    assert counted == {"no_coordinates": 1_551, "outside_area": 870}


FGJ_HEADER = (
    "folio,fecha_hechos,hora_hechos,delito,categoria_delito,alcaldia_hechos,"
    "colonia_hechos,latitud,longitud"
)


def test_it_reads_the_fgj_schema_with_both_date_styles(tmp_path):
    source = tmp_path / "carpetas.csv"
    source.write_text(
        "\n".join(
            [
                FGJ_HEADER,
                "CI-1,2019-01-31,22:16:00,ROBO A TRANSEUNTE EN VIA PUBLICA CON VIOLENCIA,"
                "ROBO A TRANSEUNTE EN VÍA PÚBLICA CON Y SIN VIOLENCIA,CUAUHTEMOC,CENTRO,"
                "19.4326,-99.1332",
                "CI-2,31/01/2019,08:05,FRAUDE,DELITO DE BAJO IMPACTO,COYOACAN,"
                '"DEL CARMEN, COYOACAN",19.3467,-99.1617',
                "CI-3,1/2/2019,,VIOLENCIA FAMILIAR,DELITO DE BAJO IMPACTO,TLALPAN,,NA,NA",
            ]
        )
        + "\n",
        encoding="utf-8",
    )

    result = read_incidents(
        source,
        output=tmp_path / "out.parquet",
        rejects=tmp_path / "rejects.csv",
        preset="cdmx-fgj",
        today=dt.date(2025, 1, 1),
    )

    assert result.mapping == {
        "id": "folio",
        "date": "fecha_hechos",
        "time": "hora_hechos",
        "crime": "delito",
        "category": "categoria_delito",
        "lat": "latitud",
        "lon": "longitud",
        "area": "alcaldia_hechos",
        "place": "colonia_hechos",
    }
    assert result.rows_read == 3 and result.rows_kept == 2
    assert result.rejected["no_coordinates"] == 1
    kept = rows(result.output, "SELECT id, date, time, category, area, place FROM t")
    assert kept == [
        (
            "CI-1",
            dt.date(2019, 1, 31),
            dt.time(22, 16),
            "ROBO A TRANSEUNTE EN VÍA PÚBLICA CON Y SIN VIOLENCIA",
            "CUAUHTEMOC",
            "CENTRO",
        ),
        ("CI-2", dt.date(2019, 1, 31), dt.time(8, 5), "DELITO DE BAJO IMPACTO", "COYOACAN",
         "DEL CARMEN, COYOACAN"),
    ]  # fmt: skip
    rejected = (tmp_path / "rejects.csv").read_text(encoding="utf-8").splitlines()
    assert rejected[1].startswith("4,no_coordinates,CI-3,1/2/2019,")


def test_it_numbers_rows_by_line_without_an_id_column_and_reads_latin1(tmp_path):
    source = tmp_path / "sin_id.csv"
    source.write_bytes(
        (
            "fecha_hecho;delito;latitud;longitud;colonia_hecho\r\n"
            "2020-03-01;ROBO;19.43;-99.13;PEÑÓN DE LOS BAÑOS\r\n"
            "\r\n"
            "2020-03-02;ROBO;19.44;-99.12;ÁLAMOS\r\n"
        ).encode("latin-1")
    )

    result = read_incidents(
        source, output=tmp_path / "out.parquet", rejects=tmp_path / "r.csv", preset="cdmx-fgj"
    )

    assert result.encoding == "latin-1"
    assert result.mapping["place"] == "colonia_hecho"
    # The blank line 3 counts: the second incident is on line 4.
    assert rows(result.output, "SELECT id, place FROM t") == [
        ("2", "PEÑÓN DE LOS BAÑOS"),
        ("4", "ÁLAMOS"),
    ]


def test_it_counts_lines_inside_quoted_values(tmp_path):
    source = tmp_path / "multilinea.csv"
    source.write_text(
        'fecha,delito,lat,lon,nota\n2020-01-01,ROBO,19.4,-99.1,"dos\nlíneas"\n'
        "2020-01-02,ROBO,NA,NA,una\n",
        encoding="utf-8",
    )
    mapping = {"date": "fecha", "crime": "delito", "lat": "lat", "lon": "lon"}

    read_incidents(source, output=tmp_path / "o.parquet", rejects=tmp_path / "r.csv",
                   mapping=mapping)  # fmt: skip

    with (tmp_path / "r.csv").open(encoding="utf-8") as handle:
        assert [row["line"] for row in csv.DictReader(handle)] == ["4"]


def _point_feature(properties, lon, lat):
    return {
        "type": "Feature",
        "properties": properties,
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
    }


def test_it_reads_geojson_points_with_properties_as_columns(tmp_path):
    source = tmp_path / "delitos.geojson"
    features = [
        _point_feature({"fecha_hechos": "2021-05-04", "delito": "ROBO", "folio": 7}, -99.13, 19.43),
        _point_feature({"fecha_hechos": "2021-05-05", "delito": "ROBO", "folio": 8}, -99.14, 19.42),
        {"type": "Feature", "properties": {"fecha_hechos": "2021-05-06", "delito": "ROBO"},
         "geometry": None},
    ]  # fmt: skip
    source.write_text(json.dumps({"type": "FeatureCollection", "features": features}))

    result = read_incidents(
        source, output=tmp_path / "o.parquet", rejects=tmp_path / "r.csv", preset="cdmx-fgj"
    )

    assert result.format == "geojson" and result.numbered_by == "feature"
    assert "lat" not in result.mapping
    assert result.rejected["no_coordinates"] == 1
    assert rows(result.output, "SELECT id, lon, lat FROM t") == [
        ("7", -99.13, 19.43),
        ("8", -99.14, 19.42),
    ]
    rejected = list(csv.DictReader(io.StringIO((tmp_path / "r.csv").read_text())))
    assert rejected[0]["feature"] == "3" and rejected[0]["reason"] == "no_coordinates"


def test_it_reads_parquet_with_typed_columns(tmp_path):
    source = tmp_path / "incidentes.parquet"
    with duckdb.connect() as connection:
        connection.execute(f"""
            COPY (SELECT * FROM (VALUES
                (DATE '2022-07-01', TIME '13:45:00', 'ROBO', 19.43::DOUBLE, -99.13::DOUBLE),
                (DATE '2022-07-02', NULL, 'ROBO', NULL, NULL)
            ) v(fecha, hora, delito, lat, lon)) TO '{source}' (FORMAT parquet)
        """)  # noqa: S608
    mapping = {"date": "fecha", "time": "hora", "crime": "delito", "lat": "lat", "lon": "lon"}

    result = read_incidents(
        source, output=tmp_path / "o.parquet", rejects=tmp_path / "r.csv", mapping=mapping
    )

    assert result.format == "parquet" and result.encoding is None
    assert rows(result.output, "SELECT id, date, time FROM t") == [
        ("1", dt.date(2022, 7, 1), dt.time(13, 45))
    ]
    assert result.rejected["no_coordinates"] == 1


def test_it_reads_windows_1252_inside_a_zip(tmp_path):
    text = (
        "fecha_hechos,delito,categoria_delito,latitud,longitud\r\n"
        "2020-03-01,ROBO A NEGOCIO,“ROBO” – ALTO IMPACTO,19.43,-99.13\r\n"
    )
    source = tmp_path / "carpetas.zip"
    with zipfile.ZipFile(source, "w") as archive:
        archive.writestr("carpetas.csv", text.encode("cp1252"))

    result = read_incidents(
        source, output=tmp_path / "o.parquet", rejects=tmp_path / "r.csv", preset="cdmx-fgj"
    )

    assert result.encoding == "cp1252"
    assert rows(result.output, "SELECT category FROM t") == [("“ROBO” – ALTO IMPACTO",)]
