"""Reading SESNSP's crime and victims files into their Parquet snapshot.

The snapshot keeps wide rows (twelve month columns); the queries here read its long rows,
one per month, as the warehouse does. The totals are SESNSP's own, checked to the unit in
each file's SOURCE.md.
"""

from __future__ import annotations

import gzip
import zipfile

import duckdb
import pytest

from civica.sources.errors import SourceError
from civica.sources.sesnsp import MONTHS, read_sesnsp
from civica.sources.sesnsp_snapshot import LONG_COLUMNS, SNAPSHOT_MONTHS, long_rows

STATE_HEADER = (
    "Año,Clave_Ent,Entidad,Bien jurídico afectado,Tipo de delito,Subtipo de delito,Modalidad,"
    + ",".join(MONTHS)
)
MUNICIPAL_HEADER = STATE_HEADER.replace("Entidad,", "Entidad,Cve. Municipio,Municipio,")
HOMICIDE = "La vida y la Integridad corporal,Homicidio,Homicidio doloso,Con arma de fuego"
BURGLARY = "El patrimonio,Robo,Robo a casa habitación,Con violencia"
FULL_YEAR = ",".join(["1"] * 12)


def write_latin1(path, *lines):
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("latin-1"))
    return path


def query(path, sql, *parameters):
    """``sql`` over the snapshot's long rows (``FILE``) or its wide rows (``WIDE``)."""
    relation = f"read_parquet('{path}')"
    sql = sql.replace("FILE", long_rows(relation)).replace("WIDE", relation)
    with duckdb.connect() as connection:
        return connection.execute(sql, parameters).fetchall()


@pytest.fixture(scope="module")
def state_crimes(shared_data, tmp_path_factory):
    source = shared_data / "sesnsp_estatal" / "IDEFC_NM_estatal_2015-2024.csv.gz"
    return read_sesnsp(source, output=tmp_path_factory.mktemp("idefc") / "idefc.parquet")


@pytest.fixture(scope="module")
def victims(shared_data, tmp_path_factory):
    source = shared_data / "sesnsp_victimas_estatal" / "IDVFC_NM_ene25.csv.gz"
    return read_sesnsp(source, output=tmp_path_factory.mktemp("idvfc") / "idvfc.parquet")


@pytest.fixture(scope="module")
def guanajuato(shared_data, tmp_path_factory):
    source = shared_data / "sesnsp_municipal" / "guanajuato_homicidios_2020-2025_formato_IDM.csv"
    return read_sesnsp(source, output=tmp_path_factory.mktemp("idm") / "gto.parquet")


def crimes_by_year(result, subtipo, state_code=None):
    rows = query(
        result.output,
        "SELECT year, sum(value) FROM FILE WHERE subtipo = ? "
        "AND (state_code = ? OR ? IS NULL) GROUP BY year ORDER BY year",
        subtipo,
        state_code,
        state_code,
    )
    return dict(rows)


def test_it_reads_the_state_crimes_file_to_the_unit(state_crimes):
    result = state_crimes

    assert (result.kind, result.measure, result.level) == ("state", "crimes", "state")
    assert (result.methodology, result.encoding) == ("2015", "latin-1")
    assert (result.rows, result.long_rows) == (31_360, 31_360 * 12)
    assert result.years == tuple(range(2015, 2025))
    assert result.last_month_reported == (2024, 11)
    homicides = crimes_by_year(result, "Homicidio doloso")
    assert homicides[2023] == 25_290
    assert homicides[2024] == 23_581  # January–November: December is not reported yet
    assert crimes_by_year(result, "Feminicidio")[2023] == 833


def test_it_keeps_unreported_months_as_null_not_zero(state_crimes):
    rows, reported = query(
        state_crimes.output,
        "SELECT count(*), count(value) FROM FILE WHERE year = 2024 AND month = 12",
    )[0]

    assert (rows, reported) == (32 * 98, 0)


def test_it_reads_the_victims_file_to_the_unit(victims):
    result = victims

    assert (result.kind, result.measure, result.level) == ("victims", "victims", "state")
    assert (result.cut, result.last_month_reported) == ("2025-01", (2025, 1))
    assert result.rows == 80_960
    homicides = crimes_by_year(result, "Homicidio doloso")
    assert [homicides[year] for year in (2019, 2022, 2023, 2024)] == [
        34_723,
        30_978,
        29_714,
        30_047,
    ]
    assert crimes_by_year(result, "Feminicidio")[2023] == 853
    sexes = query(result.output, "SELECT DISTINCT sex FROM FILE ORDER BY sex")
    assert [sex for (sex,) in sexes] == ["Hombre", "Mujer", "No identificado"]


def test_guanajuato_municipalities_add_up_to_the_state_file(guanajuato, state_crimes):
    municipal = crimes_by_year(guanajuato, "Homicidio doloso")
    state = crimes_by_year(state_crimes, "Homicidio doloso", state_code="11")

    assert [municipal[year] for year in range(2020, 2024)] == [3_359, 2_823, 2_634, 2_581]
    assert all(municipal[year] == state[year] for year in range(2020, 2024))
    assert (guanajuato.kind, guanajuato.encoding) == ("municipal", "utf-8")
    assert guanajuato.last_month_reported == (2025, 11)


def test_it_reads_municipal_codes_and_names(guanajuato):
    rows = query(
        guanajuato.output,
        "SELECT DISTINCT state_code, municipality_code, municipality_name FROM FILE "
        "ORDER BY municipality_code LIMIT 1",
    )

    assert rows == [("11", "11001", "Abasolo")]


def test_it_detects_the_rnid_catalogue_of_2026(shared_data, tmp_path):
    result = read_sesnsp(
        shared_data / "sesnsp_estatal" / "RNID_estatal_2026.csv.gz", output=tmp_path / "r.parquet"
    )
    modalities = query(
        result.output,
        "SELECT state_code, count(DISTINCT (bien_juridico, tipo, subtipo, modalidad)) "
        "FROM FILE GROUP BY state_code ORDER BY state_code",
    )

    assert (result.kind, result.methodology, result.years) == ("state", "rnid2026", (2026,))
    assert modalities == [(f"{code:02d}", 114) for code in range(1, 33)]
    assert result.last_month_reported == (2026, 3)


def test_the_snapshot_has_the_documented_wide_schema_and_reads_as_long_rows(guanajuato):
    wide = query(guanajuato.output, "DESCRIBE SELECT * FROM WIDE")
    long = query(guanajuato.output, "DESCRIBE SELECT * FROM FILE")

    assert [(name, sql_type) for name, sql_type, *_ in wide] == [
        ("year", "SMALLINT"),
        ("state_code", "VARCHAR"),
        ("municipality_code", "VARCHAR"),
        ("municipality_name", "VARCHAR"),
        ("bien_juridico", "VARCHAR"),
        ("tipo", "VARCHAR"),
        ("subtipo", "VARCHAR"),
        ("modalidad", "VARCHAR"),
        ("sex", "VARCHAR"),
        ("age_range", "VARCHAR"),
        *[(month, "INTEGER") for month in SNAPSHOT_MONTHS],
    ]
    assert [(name, sql_type) for name, sql_type, *_ in long] == [
        ("year", "SMALLINT"),
        ("month", "TINYINT"),
        ("state_code", "VARCHAR"),
        ("municipality_code", "VARCHAR"),
        ("municipality_name", "VARCHAR"),
        ("bien_juridico", "VARCHAR"),
        ("tipo", "VARCHAR"),
        ("subtipo", "VARCHAR"),
        ("modalidad", "VARCHAR"),
        ("sex", "VARCHAR"),
        ("age_range", "VARCHAR"),
        ("value", "INTEGER"),
    ]
    assert query(guanajuato.output, "SELECT count(*) FROM WIDE") == [(guanajuato.rows,)]


# Fingerprints of the long rows, in file order, that the reader wrote for the shared files
# before issue 19 made it cheaper (validation through a cast, one sort, leaner Parquet
# encodings, then wide rows): the snapshot's content must not change with its cost.
ROWS_BEFORE_ISSUE_19 = {
    "guanajuato": ("fd8b09ef9a9bf0d5d3e983b9fd9bce9e", 29_808),
    "state_crimes": ("1e2dde543df4a0bdb1ac046c8fb94cb4", 376_320),
    "victims": ("a3f1ed8f841d490b6f99757b5daae742", 971_520),
}


@pytest.mark.parametrize("fixture", sorted(ROWS_BEFORE_ISSUE_19))
def test_the_snapshot_rows_are_those_written_before_the_faster_reader(request, fixture):
    assert fingerprint(request.getfixturevalue(fixture).output) == ROWS_BEFORE_ISSUE_19[fixture]


def fingerprint(path) -> tuple[str, int]:
    """An order-sensitive digest of a snapshot's long rows (file order, then month)."""
    columns = [name for name, *_ in query(path, "DESCRIBE SELECT * FROM FILE")]
    cells = ", ".join(f"coalesce({name}::VARCHAR, chr(0))" for name in columns)
    digest = f"md5(string_agg(concat_ws('|', {cells}), chr(10) ORDER BY row, month))"
    rows = query(
        path,
        f"SELECT {digest}, count(*) FROM (SELECT file_row_number AS row, {LONG_COLUMNS} "  # noqa: S608
        "FROM read_parquet(?, file_row_number = true))",
        str(path),
    )
    return rows[0]


def test_the_snapshot_is_sorted_by_area_year_and_crime(state_crimes):
    unsorted = query(
        state_crimes.output,
        "SELECT count(*) FROM (SELECT state_code, year, "
        "lag((state_code, year)) OVER (ORDER BY file_row_number) AS previous "
        "FROM read_parquet(?, file_row_number = true)) "
        "WHERE previous IS NOT NULL AND (state_code, year) < previous",
        str(state_crimes.output),
    )
    first = query(state_crimes.output, "SELECT state_code, year, modalidad FROM WIDE LIMIT 2")

    assert unsorted == [(0,)]
    assert first[0][:2] == ("01", 2015)
    assert first[0][2] != first[1][2]  # the next crime of the same area and year


@pytest.mark.parametrize(
    ("name", "cut"),
    [
        ("IDVFC_NM_ene25.csv", "2025-01"),
        ("IDEFC_NM_nov24.csv.gz", "2024-11"),
        ("IDM_NM_abr25.zip", "2025-04"),
        ("Municipal-Delitos - Noviembre 2025 (2015-2025).csv", "2025-11"),
        ("Municipal-Delitos-2015-2025_nov2025.csv", "2025-11"),
        ("IDEFC_NM_sept24.csv", "2024-09"),
        ("IDEFC_NM_estatal_2015-2024.csv", None),
    ],
)
def test_it_reads_the_cut_from_the_file_name(tmp_path, name, cut):
    row = f"2024,1,Aguascalientes,{HOMICIDE},1,2,3,4,5,6,7,8,9,,,"
    source = write_latin1(tmp_path / name, STATE_HEADER, row)

    assert read_sesnsp(source, output=tmp_path / "out.parquet").cut == cut


def test_a_given_cut_overrides_the_file_name(tmp_path):
    source = write_latin1(
        tmp_path / "IDEFC_NM_ene24.csv",
        STATE_HEADER,
        f"2024,1,Aguascalientes,{HOMICIDE},1,2,,,,,,,,,,",
    )

    assert read_sesnsp(source, output=tmp_path / "o.parquet", cut="2024-03").cut == "2024-03"


def test_it_normalises_spaces_and_accents_of_categories_and_reports_them(tmp_path):
    source = write_latin1(
        tmp_path / "IDEFC_NM_dic24.csv",
        STATE_HEADER,
        f"2024,1,Aguascalientes,{HOMICIDE.replace('doloso', 'doloso ')},{FULL_YEAR}",
        f"2024,1,Aguascalientes,{BURGLARY.replace('ó', 'o')},{FULL_YEAR}",
        f"2024,2,Baja California,{BURGLARY.replace('ó', 'o')},{FULL_YEAR}",
        f"2024,2,Baja California,{HOMICIDE.replace('Homicidio doloso', 'homicidio  DOLOSO')},"
        + FULL_YEAR,
    )

    result = read_sesnsp(source, output=tmp_path / "o.parquet")

    assert set(result.normalized) == {
        ("Subtipo de delito", "Homicidio doloso ", "Homicidio doloso", 1),
        ("Subtipo de delito", "Robo a casa habitacion", "Robo a casa habitación", 2),
        ("Subtipo de delito", "homicidio  DOLOSO", "Homicidio doloso", 1),
    }
    subtipos = query(result.output, "SELECT DISTINCT subtipo FROM FILE ORDER BY subtipo")
    assert subtipos == [("Homicidio doloso",), ("Robo a casa habitación",)]


def test_it_keeps_pseudo_municipalities_and_lists_them(tmp_path):
    source = write_latin1(
        tmp_path / "IDM_NM_dic24.csv",
        MUNICIPAL_HEADER,
        f"2024,11,Guanajuato,11001,Abasolo,{HOMICIDE},{FULL_YEAR}",
        f"2024,11,Guanajuato,11999,Otros Municipios,{HOMICIDE},{FULL_YEAR}",
        f"2024,15,México,15998,No Especificado,{HOMICIDE},{FULL_YEAR}",
    )

    result = read_sesnsp(source, output=tmp_path / "o.parquet")

    assert result.pseudo_municipalities == ("11999 Otros Municipios", "15998 No Especificado")
    assert query(result.output, "SELECT sum(value) FROM FILE") == [(36,)]


def test_it_accepts_padded_codes_and_cells_saved_as_floats(tmp_path):
    source = write_latin1(
        tmp_path / "IDM_NM_dic24.csv",
        MUNICIPAL_HEADER,
        f"2024,01,Aguascalientes,01001,Aguascalientes,{HOMICIDE},1.0,2.00,3,4,5,6,7,8,9,10,11,",
        f"2024.0,1,Aguascalientes,1002.0,Asientos,{HOMICIDE},0,0,0,0,0,0,0,0,0,0,0, ",
    )

    result = read_sesnsp(source, output=tmp_path / "o.parquet")

    rows = query(
        result.output,
        "SELECT municipality_code, state_code, sum(value), count(value) FROM FILE "
        "GROUP BY ALL ORDER BY 1",
    )
    assert rows == [("01001", "01", 66, 11), ("01002", "01", 0, 11)]
    assert result.last_month_reported == (2024, 11)


def test_it_accepts_counts_padded_with_spaces_or_zeros(tmp_path):
    source = write_latin1(
        tmp_path / "IDEFC_NM_dic24.csv",
        STATE_HEADER,
        f"2024,1,Aguascalientes,{HOMICIDE}, 4,4 , 4 ,007,0,00,10,100,1000,10.0,0.0,",
    )

    result = read_sesnsp(source, output=tmp_path / "o.parquet")

    values = query(result.output, "SELECT value FROM FILE ORDER BY month")
    assert [value for (value,) in values] == [4, 4, 4, 7, 0, 0, 10, 100, 1000, 10, 0, None]


@pytest.mark.parametrize("container", ["csv", "gz", "zip"])
def test_it_reads_plain_gzip_and_zip_files_alike(tmp_path, container):
    text = f"{STATE_HEADER}\r\n2024,1,Aguascalientes,{HOMICIDE},{FULL_YEAR}\r\n"
    data = text.encode("latin-1")
    source = tmp_path / f"IDEFC_NM_dic24.{container}"
    if container == "gz":
        source.write_bytes(gzip.compress(data))
    elif container == "zip":
        with zipfile.ZipFile(source, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("IDEFC_NM_dic24.csv", data)
    else:
        source.write_bytes(data)

    result = read_sesnsp(source, output=tmp_path / "out" / "o.parquet")

    assert (result.rows, result.encoding) == (1, "latin-1")
    assert query(result.output, "SELECT sum(value) FROM FILE") == [(12,)]
    assert sorted(path.name for path in (tmp_path / "out").iterdir()) == ["o.parquet"]


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        ("\ufeff" + STATE_HEADER, "utf-8"),
        (STATE_HEADER, "utf-8"),
    ],
)
def test_it_reads_utf8_with_or_without_bom(tmp_path, data, encoding):
    source = tmp_path / "IDEFC_NM_dic24.csv"
    source.write_text(f"{data}\n2024,1,Aguascalientes,{BURGLARY},{FULL_YEAR}\n", encoding="utf-8")

    result = read_sesnsp(source, output=tmp_path / "o.parquet")

    assert result.encoding == encoding
    assert query(result.output, "SELECT DISTINCT subtipo FROM FILE") == [
        ("Robo a casa habitación",)
    ]


def test_it_records_windows_1252_when_its_own_characters_occur(tmp_path):
    source = tmp_path / "IDM_NM_dic24.csv"
    lines = [MUNICIPAL_HEADER, f"2024,11,Guanajuato,11001,Abasolo “Centro”,{HOMICIDE},{FULL_YEAR}"]
    source.write_bytes("\r\n".join(lines).encode("cp1252"))

    result = read_sesnsp(source, output=tmp_path / "o.parquet")

    assert result.encoding == "cp1252"
    assert query(result.output, "SELECT DISTINCT municipality_name FROM FILE") == [
        ("Abasolo “Centro”",)
    ]


def test_it_works_in_a_given_connection_and_leaves_no_tables_behind(tmp_path):
    source = write_latin1(
        tmp_path / "IDEFC_NM_dic24.csv",
        STATE_HEADER,
        f"2024,1,Aguascalientes,{HOMICIDE},{FULL_YEAR}",
    )
    with duckdb.connect() as connection:
        result = read_sesnsp(source, output=tmp_path / "o.parquet", connection=connection)
        tables = connection.execute("SELECT table_name FROM duckdb_tables()").fetchall()

    assert result.rows == 1
    assert tables == []


def write_synthetic_municipal_file(path):
    """A small national-style municipal file: years, then states, then municipalities, as
    SESNSP orders it, every modality of the 2015 catalogue, December of the last year empty,
    pseudo-municipalities, names spelt unlike the catalogue, a quoted name with a comma and
    counts written as pandas or Excel leave them (``4.0``, ``007``)."""
    import csv
    import io
    from random import Random

    from civica.sources.sesnsp_catalog import catalogue

    chance = Random(19)
    crimes = catalogue("2015").crimes
    places = {
        1: [(1001, "Aguascalientes"), (1002, "Asientos"), (1999, "Otros Municipios")],
        11: [(11020, "León"), (11007, "Celaya, Centro"), (11998, "No Especificado")],
        15: [(15033, "Ecatepec de Morelos")],
    }
    states = {1: "Aguascalientes", 11: "Guanajuato", 15: "México"}
    lines = [MUNICIPAL_HEADER]
    for year in (2023, 2024):
        for state, municipalities in places.items():
            for code, name in municipalities:
                for number, crime in enumerate(crimes):
                    names = list(crime)
                    if number % 17 == 0:
                        names[2] = names[2].lower() + " "
                    cells = [str(chance.choice([0, 0, 1, 2, 5, 13])) for _month in range(12)]
                    if number % 11 == 0:
                        cells[3] = f"{cells[3]}.0"
                    if number % 13 == 0:
                        cells[5] = cells[5].zfill(3)
                    if year == 2024:
                        cells[11] = ""
                    row = [year, state, states[state], code, name, *names, *cells]
                    text = io.StringIO()
                    csv.writer(text, lineterminator="").writerow(row)
                    lines.append(text.getvalue())
    return write_latin1(path, *lines)


# The same file's long rows as main wrote them before the snapshot became wide (50aade0).
SYNTHETIC_ROWS_BEFORE_ISSUE_19 = ("3617569e832cfbb648d4efdc1b55d9f5", 16_464)


def test_a_synthetic_national_style_file_keeps_the_rows_written_before(tmp_path):
    source = write_synthetic_municipal_file(tmp_path / "IDM_NM_dic24.csv")

    result = read_sesnsp(source, output=tmp_path / "o.parquet")

    assert (result.rows, result.long_rows) == (2 * 7 * 98, 2 * 7 * 98 * 12)
    assert fingerprint(result.output) == SYNTHETIC_ROWS_BEFORE_ISSUE_19


def test_a_row_pasted_again_far_below_is_refused_naming_both_lines(tmp_path):
    source = write_synthetic_municipal_file(tmp_path / "IDM_NM_dic24.csv")
    lines = source.read_bytes().split(b"\r\n")
    source.write_bytes(b"\r\n".join([*lines[:-1], lines[5], b""]))

    with pytest.raises(SourceError) as caught:
        read_sesnsp(source, output=tmp_path / "o.parquet")

    assert caught.value.line == len(lines)
    assert f"Lines 6 and {len(lines)} hold the same area" in str(caught.value.message)
