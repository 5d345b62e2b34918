"""Reading CONAPO's wide population tables."""

from __future__ import annotations

import pytest

from civica.sources.conapo import combine_sexes, read_conapo

MUNICIPAL_HEADER = "CVE,Entidad,Municipio,2020,2021\n"


@pytest.fixture(scope="module")
def municipal_total(shared_data):
    return read_conapo(shared_data / "conapo_poblacion" / "municipal_total.csv")


def test_it_reads_the_national_municipal_table(municipal_total):
    table = municipal_total

    assert (table.level, table.sex, table.encoding) == ("municipal", "total", "utf-8")
    assert table.years == tuple(range(1990, 2041))
    assert len(table.codes) == 2475
    assert len(table.rows) == 2475 * 51
    assert sum(row.value for row in table.rows if row.year == 2020) == 128_209_170
    first = table.rows[0]
    assert (first.code, first.state_name, first.municipality_name, first.year) == (
        "01001",
        "Aguascalientes",
        "Aguascalientes",
        1990,
    )
    assert (first.line, first.column) == (2, 4)


@pytest.mark.parametrize(
    ("name", "sex"),
    [
        ("entidad_hombres.csv", "men"),
        ("entidad_mujeres.csv", "women"),
        ("entidad_total.csv", "total"),
    ],
)
def test_it_tells_the_sex_from_the_file_name(shared_data, name, sex):
    table = read_conapo(shared_data / "conapo_poblacion" / name)

    assert (table.level, table.sex) == ("state", sex)


def test_it_maps_short_state_names_to_inegi_codes(shared_data):
    table = read_conapo(shared_data / "conapo_poblacion" / "entidad_total.csv")

    assert len(table.codes) == 32
    by_name = {row.state_name: row.code for row in table.rows}
    assert by_name["Coahuila"] == "05"
    assert by_name["Michoacán"] == "16"
    assert by_name["Veracruz"] == "30"
    assert by_name["México"] == "15"
    assert table.years == tuple(range(1970, 2071))


def test_it_accepts_long_unaccented_and_upper_case_state_names(tmp_path):
    path = tmp_path / "entidad_total.csv"
    path.write_text(
        "ENTIDAD,2020\nCoahuila de Zaragoza,1\nMICHOACAN DE OCAMPO,2\n"
        "veracruz de ignacio de la llave,3\nEstado de México,4\n",
        encoding="utf-8",
    )

    assert [row.code for row in read_conapo(path).rows] == ["05", "16", "30", "15"]


def test_it_falls_back_to_windows_1252_and_says_so(tmp_path):
    path = tmp_path / "municipal_total.csv"
    path.write_bytes(
        (MUNICIPAL_HEADER + "09015,Ciudad de México,Cuauhtémoc,545884,548013\n").encode("cp1252")
    )

    table = read_conapo(path)

    assert table.encoding == "cp1252"
    assert table.rows[0].municipality_name == "Cuauhtémoc"


def test_it_restores_the_leading_zero_a_spreadsheet_dropped(tmp_path):
    path = tmp_path / "municipal_total.csv"
    path.write_text(MUNICIPAL_HEADER + "9015,Ciudad de México,Cuauhtémoc,1,2\n", encoding="utf-8")

    assert read_conapo(path).rows[0].code == "09015"


def test_it_lets_the_caller_say_the_sex_of_a_file_whose_name_does_not(tmp_path):
    path = tmp_path / "poblacion.csv"
    path.write_text(MUNICIPAL_HEADER + "09015,CDMX,Cuauhtémoc,1,2\n", encoding="utf-8")

    assert read_conapo(path).sex == "total"
    assert read_conapo(path, sex="women").sex == "women"


def test_it_joins_total_men_and_women_per_area_and_year(tmp_path):
    rows = {"total": (10, 20), "hombres": (4, 9), "mujeres": (6, 11)}
    tables = []
    for name, (y2020, y2021) in rows.items():
        path = tmp_path / f"municipal_{name}.csv"
        path.write_text(
            MUNICIPAL_HEADER + f"09015,CDMX,Cuauhtémoc,{y2020},{y2021}\n", encoding="utf-8"
        )
        tables.append(read_conapo(path))

    values = combine_sexes(tables, years=[2021])

    assert [(v.code, v.year, v.total, v.men, v.women) for v in values] == [
        ("09015", 2021, 20, 9, 11),
    ]


def test_it_adds_men_and_women_when_no_total_is_given(tmp_path):
    tables = []
    for name, value in {"hombres": 4, "mujeres": 6}.items():
        path = tmp_path / f"municipal_{name}.csv"
        path.write_text(
            MUNICIPAL_HEADER + f"09015,CDMX,Cuauhtémoc,{value},{value}\n", encoding="utf-8"
        )
        tables.append(read_conapo(path))

    assert combine_sexes(tables)[0].total == 10
