"""Bad CONAPO tables are rejected naming the file, the line and the column."""

from __future__ import annotations

import pytest

from civica.sources.conapo import combine_sexes, read_conapo
from civica.sources.errors import SourceError

HEADER = "CVE,Entidad,Municipio,2020,2021\n"


def _error(path, content: str) -> SourceError:
    path.write_text(content, encoding="utf-8")
    with pytest.raises(SourceError) as caught:
        read_conapo(path)
    assert path.name in str(caught.value)
    return caught.value


def test_it_rejects_a_non_numeric_value_naming_line_and_column(tmp_path):
    error = _error(
        tmp_path / "municipal_total.csv",
        HEADER + "09015,CDMX,Cuauhtémoc,1,2\n09003,CDMX,Coyoacán,3,n/d\n",
    )

    assert (error.line, error.column, error.field) == (3, 5, "2021")
    assert "n/d" in error.message


@pytest.mark.parametrize("value", ["-5", "12.5", ""])
def test_it_rejects_negative_fractional_and_missing_values(tmp_path, value):
    error = _error(tmp_path / "municipal_total.csv", HEADER + f"09015,CDMX,Cuauhtémoc,{value},2\n")

    assert (error.line, error.column) == (2, 4)


def test_it_rejects_a_header_that_is_not_conapo_listing_the_expected_columns(tmp_path):
    error = _error(
        tmp_path / "municipal_total.csv", "clave,nombre,poblacion\n09015,Cuauhtémoc,545884\n"
    )

    assert error.line == 1
    for column in ("CVE", "Entidad", "Municipio", "ENTIDAD"):
        assert column in error.message
    assert "clave, nombre, poblacion" in error.message


def test_it_rejects_an_empty_file(tmp_path):
    assert _error(tmp_path / "municipal_total.csv", "").line == 1


def test_it_rejects_an_unknown_state_name_naming_the_line(tmp_path):
    error = _error(tmp_path / "entidad_total.csv", "ENTIDAD,2020\nJalisco,1\nAtlántida,2\n")

    assert (error.line, error.field) == (3, "ENTIDAD")
    assert "Atlántida" in error.message


def test_it_rejects_a_municipality_code_outside_the_32_states(tmp_path):
    error = _error(tmp_path / "municipal_total.csv", HEADER + "40001,X,Y,1,2\n")

    assert (error.line, error.column) == (2, 1)


def test_it_rejects_a_short_row_and_a_repeated_area(tmp_path):
    short = _error(tmp_path / "municipal_total.csv", HEADER + "09015,CDMX,Cuauhtémoc,1\n")
    twice = _error(
        tmp_path / "municipal_total.csv",
        HEADER + "09015,CDMX,Cuauhtémoc,1,2\n09015,CDMX,Cuauhtémoc,1,2\n",
    )

    assert short.line == 2
    assert twice.line == 3


def test_it_reports_men_plus_women_differing_from_the_total_with_the_line(tmp_path):
    tables = []
    for name, value in {"total": 10, "hombres": 4, "mujeres": 5}.items():
        path = tmp_path / f"municipal_{name}.csv"
        path.write_text(HEADER + f"09015,CDMX,Cuauhtémoc,{value},{value}\n", encoding="utf-8")
        tables.append(read_conapo(path))

    with pytest.raises(SourceError) as caught:
        combine_sexes(tables)

    error = caught.value
    assert (error.file.name, error.line, error.column, error.field) == (
        "municipal_total.csv",
        2,
        4,
        "2020",
    )


def test_it_rejects_two_files_of_the_same_sex_and_level(tmp_path):
    tables = []
    for name in ("a_total.csv", "b_total.csv"):
        path = tmp_path / name
        path.write_text(HEADER + "09015,CDMX,Cuauhtémoc,1,2\n", encoding="utf-8")
        tables.append(read_conapo(path))

    with pytest.raises(SourceError, match=r"b_total\.csv"):
        combine_sexes(tables)


def test_it_rejects_one_sex_alone_without_totals(tmp_path):
    path = tmp_path / "municipal_hombres.csv"
    path.write_text(HEADER + "09015,CDMX,Cuauhtémoc,1,2\n", encoding="utf-8")

    with pytest.raises(SourceError):
        combine_sexes([read_conapo(path)])
