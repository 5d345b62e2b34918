"""Bad SESNSP files are refused naming the file, the line and the column (or the crime), and
the output is left untouched.

Messages are translated, so the tests check where an error points and the values it quotes,
not its wording.
"""

from __future__ import annotations

import gzip
import zipfile

import pytest

from civica.sources.errors import SourceError
from civica.sources.sesnsp import MONTHS, read_sesnsp

STATE_HEADER = (
    "Año,Clave_Ent,Entidad,Bien jurídico afectado,Tipo de delito,Subtipo de delito,Modalidad,"
    + ",".join(MONTHS)
)
MUNICIPAL_HEADER = STATE_HEADER.replace("Entidad,", "Entidad,Cve. Municipio,Municipio,")
HOMICIDE = "La vida y la Integridad corporal,Homicidio,Homicidio doloso,Con arma de fuego"
FIREARM_INJURY = "La vida y la Integridad corporal,Lesiones,Lesiones dolosas,Con arma de fuego"
FULL_YEAR = ",".join(["1"] * 12)


def state_row(year=2024, state="1", crime=HOMICIDE, months=FULL_YEAR) -> str:
    return f"{year},{state},Aguascalientes,{crime},{months}"


def latin1(*lines: str) -> bytes:
    return ("\r\n".join(lines) + "\r\n").encode("latin-1")


def refused(tmp_path, data: bytes, name: str = "IDEFC_NM_dic24.csv", **options) -> SourceError:
    """Read ``data`` as a file called ``name``; return the error after checking that it names
    the file and that the output folder is left empty (no output, no scratch files)."""
    source = tmp_path / name
    source.write_bytes(data)
    out = tmp_path / "out"
    out.mkdir(exist_ok=True)
    with pytest.raises(SourceError) as caught:
        read_sesnsp(source, output=out / "tidy.parquet", **options)
    assert source.name in str(caught.value)
    assert list(out.iterdir()) == []
    return caught.value


def test_it_leaves_an_existing_output_untouched(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "tidy.parquet").write_bytes(b"previous snapshot")
    source = tmp_path / "IDEFC_NM_dic24.csv"
    source.write_bytes(latin1(STATE_HEADER, state_row(months="1,2,n/d" + ",1" * 9)))

    with pytest.raises(SourceError):
        read_sesnsp(source, output=out / "tidy.parquet")

    assert (out / "tidy.parquet").read_bytes() == b"previous snapshot"
    assert [path.name for path in out.iterdir()] == ["tidy.parquet"]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le"])
def test_it_rejects_utf16_as_a_wrong_encoding(tmp_path, encoding):
    text = "\r\n".join([STATE_HEADER, state_row()])

    error = refused(tmp_path, text.encode(encoding))

    assert error.line == 1


def test_it_rejects_a_binary_file_as_a_wrong_encoding(tmp_path):
    error = refused(tmp_path, bytes(range(256)) * 4, name="IDEFC_NM_dic24.xlsx")

    assert error.line == 1


def test_it_rejects_a_file_mixing_utf8_and_latin1_naming_the_latin1_line(tmp_path):
    burglary = "El patrimonio,Robo,Robo a casa habitación,Con violencia"
    data = (STATE_HEADER + "\r\n").encode("utf-8")
    data += latin1(state_row(), state_row(crime=FIREARM_INJURY), state_row(crime=burglary))

    error = refused(tmp_path, data)

    assert error.line == 4


def test_it_rejects_a_utf8_marked_file_with_latin1_lines(tmp_path):
    burglary = "El patrimonio,Robo,Robo a casa habitación,Con violencia"
    data = b"\xef\xbb\xbf" + (STATE_HEADER + "\r\n").encode("utf-8")
    data += latin1(state_row(), state_row(crime=burglary))

    assert refused(tmp_path, data).line == 3


@pytest.mark.parametrize("encoding", ["latin-1", "utf-8"])
def test_a_character_cut_by_a_chunk_does_not_make_a_mixed_encoding(tmp_path, monkeypatch, encoding):
    # Every chunk size from 1 byte: the header's "ñ" and "í" fall across every cut.
    from civica.sources import _sesnsp_bytes

    source = tmp_path / "IDEFC_NM_dic24.csv"
    source.write_bytes(("\r\n".join([STATE_HEADER, state_row()]) + "\r\n").encode(encoding))
    for size in range(1, 12):
        monkeypatch.setattr(_sesnsp_bytes, "_CHUNK", size)
        scan = _sesnsp_bytes._scan(source, tmp_path / "inflated", numeric_tail=12)[1]
        assert scan.encoding() == encoding, size


def test_it_rejects_a_byte_that_windows_1252_leaves_undefined(tmp_path):
    rows = [state_row(), state_row(crime=FIREARM_INJURY).replace("Aguascalientes", "Ags\x81")]

    error = refused(
        tmp_path, latin1(STATE_HEADER, rows[0]) + "\r\n".join(rows[1:]).encode("latin-1")
    )

    assert error.line == 3


def test_it_rejects_a_renamed_column_listing_expected_and_found(tmp_path):
    header = STATE_HEADER.replace("Marzo", "Mzo")

    error = refused(tmp_path, latin1(header, state_row()))

    assert (error.line, error.column, error.field) == (1, 10, "Mzo")
    assert "Marzo" in error.message and "Mzo" in error.message


def test_it_rejects_a_missing_column_naming_it(tmp_path):
    header = STATE_HEADER.replace("Modalidad,", "")
    row = state_row().replace(",Con arma de fuego", "")

    error = refused(tmp_path, latin1(header, row))

    assert (error.line, error.column) == (1, 7)
    assert "Modalidad" in error.message


def test_it_rejects_a_file_of_another_kind_saying_what_it_found(tmp_path):
    data = "CVE,Entidad,Municipio,1990,1991\n01001,Aguascalientes,Aguascalientes,1,2\n"

    error = refused(tmp_path, data.encode("utf-8"), name="municipal_total.csv")

    assert error.line == 1
    assert "CVE, Entidad, Municipio, 1990, 1991" in error.message
    for accepted in ("IDM_NM", "IDEFC_NM", "IDVFC_NM", "Sexo"):
        assert accepted in error.message


@pytest.mark.parametrize(
    ("cell", "quoted"),
    [
        ("n/d", "n/d"),
        ("-2", "-2"),
        ("-0", "-0"),
        ("1.5", "1.5"),
        # DuckDB's own number parser takes all of these; a count is digits only.
        ("1e3", "1e3"),
        ("1e2", "1e2"),
        ("0x10", "0x10"),
        ("0b11", "0b11"),
        ("+4", "+4"),
        ("1_000", "1_000"),
        ("\t4", "4"),
    ],
)
def test_it_rejects_a_cell_that_is_not_a_count_naming_line_and_month(tmp_path, cell, quoted):
    rows = [state_row(), state_row(crime=FIREARM_INJURY, months=f"1,2,{cell}" + ",1" * 9)]

    error = refused(tmp_path, latin1(STATE_HEADER, *rows))

    assert (error.line, error.column, error.field) == (3, 10, "Marzo")
    assert quoted in error.message


def test_it_counts_lines_past_blank_lines(tmp_path):
    data = latin1(
        STATE_HEADER, state_row(), "", state_row(crime=FIREARM_INJURY, months="x" + ",1" * 11)
    )

    error = refused(tmp_path, data)

    assert (error.line, error.column, error.field) == (4, 8, "Enero")


@pytest.mark.parametrize(
    ("year", "state", "column"), [("20x4", "1", 1), ("2014", "1", 1), ("2024", "33", 2)]
)
def test_it_rejects_a_bad_year_or_state_code(tmp_path, year, state, column):
    error = refused(tmp_path, latin1(STATE_HEADER, state_row(year=year, state=state)))

    assert (error.line, error.column) == (2, column)


def test_it_rejects_a_municipality_code_of_another_state(tmp_path):
    rows = [f"2024,11,Guanajuato,14001,Acatic,{HOMICIDE},{FULL_YEAR}"]

    error = refused(tmp_path, latin1(MUNICIPAL_HEADER, *rows), name="IDM_NM_dic24.csv")

    assert (error.line, error.column, error.field) == (2, 4, "Cve. Municipio")
    assert "14001" in error.message


def test_it_rejects_duplicate_rows_naming_both_lines(tmp_path):
    rows = [state_row(), state_row(crime=FIREARM_INJURY), state_row(months="2" + ",1" * 11)]

    error = refused(tmp_path, latin1(STATE_HEADER, *rows))

    assert error.line == 4
    assert "2" in error.message and "4" in error.message


def test_it_rejects_rows_that_differ_only_by_spelling_as_duplicates(tmp_path):
    respelt = HOMICIDE.replace("Homicidio doloso", "Homicidio  doloso ")
    rows = [state_row(), state_row(crime=respelt)]

    assert refused(tmp_path, latin1(STATE_HEADER, *rows)).line == 3


def test_it_rejects_duplicate_victims_rows_by_sex_and_age(tmp_path):
    header = STATE_HEADER.replace("Modalidad,", "Modalidad,Sexo,Rango de edad,")
    crime = HOMICIDE + ",Hombre,Adultos (18 y más)"
    rows = [
        state_row(crime=crime),
        state_row(crime=crime.replace("Hombre", "Mujer")),
        state_row(crime=crime),
    ]

    error = refused(tmp_path, latin1(header, *rows), name="IDVFC_NM_dic24.csv")

    assert error.line == 4


@pytest.mark.parametrize(
    ("ending", "stray"),
    [("\r\n", "Aguas\rcalientes"), ("\n", "Aguas\rcalientes"), ("\n", "Aguascalientes\r")],
    ids=["lone-cr-in-crlf", "lone-cr-in-lf", "crlf-line-in-lf"],
)
@pytest.mark.parametrize("cut", [None, 1, 2, 7])
def test_it_rejects_a_stray_carriage_return_naming_its_line(
    tmp_path, monkeypatch, ending, stray, cut
):
    # DuckDB's reader stops at one without a line; the reader finds the line itself, also
    # when a chunk ends right on the CR (read in chunks of a few bytes).
    from civica.sources import _sesnsp_bytes

    lines = [STATE_HEADER, state_row(), state_row(state="2"), state_row(state="3")]
    lines[2] = lines[2].replace("Aguascalientes", stray) if "\r" in stray[:-1] else lines[2] + "\r"
    data = (ending.join(lines) + ending).encode("latin-1")
    if cut is not None:
        monkeypatch.setattr(_sesnsp_bytes, "_CHUNK", cut)

    error = refused(tmp_path, data)

    assert error.line == 3


def test_it_rejects_a_truncated_last_line(tmp_path):
    data = latin1(STATE_HEADER, state_row(), state_row(crime=FIREARM_INJURY))[:-20]

    error = refused(tmp_path, data)

    assert (error.line, error.column, error.field) == (3, 11, "Abril")


def test_it_rejects_a_gzip_file_that_ends_early(tmp_path):
    rows = [state_row(year=2015 + i % 10, state=str(1 + i // 10 % 32)) for i in range(5000)]
    data = gzip.compress(latin1(STATE_HEADER, *rows))

    error = refused(tmp_path, data[: len(data) // 2], name="IDEFC_NM_dic24.csv.gz")

    assert 2 < error.line < 5000


def test_it_rejects_a_zip_file_that_ends_early(tmp_path):
    rows = [state_row(year=2015 + i % 10, state=str(1 + i // 10 % 32)) for i in range(5000)]
    whole = tmp_path / "whole.zip"
    with zipfile.ZipFile(whole, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("IDEFC_NM_dic24.csv", latin1(STATE_HEADER, *rows))
    data = whole.read_bytes()

    error = refused(tmp_path, data[: len(data) // 2], name="IDEFC_NM_dic24.zip")

    assert 2 < error.line < 5000


def test_it_rejects_a_zip_with_several_files(tmp_path):
    whole = tmp_path / "two.zip"
    with zipfile.ZipFile(whole, "w") as archive:
        archive.writestr("a.csv", latin1(STATE_HEADER, state_row()))
        archive.writestr("b.csv", latin1(STATE_HEADER, state_row()))

    error = refused(tmp_path, whole.read_bytes(), name="IDEFC_NM_dic24.zip")

    assert "a.csv" in error.message and "b.csv" in error.message


def test_it_rejects_an_unknown_crime_category_naming_it_and_the_line(tmp_path):
    unknown = HOMICIDE.replace("Homicidio doloso", "Homicidio agravado")
    rows = [state_row(), state_row(crime=unknown)]

    error = refused(tmp_path, latin1(STATE_HEADER, *rows))

    assert (error.line, error.column, error.field) == (3, 6, "Subtipo de delito")
    assert "Homicidio agravado" in error.message


def test_it_rejects_a_2015_category_in_an_rnid_file(tmp_path):
    # "Secuestro extorsivo" is a modality in 2015 and a subtipo of its own in RNID.
    kidnapping = "Libertad personal,Secuestro,Secuestro,Secuestro extorsivo"
    rows = [state_row(year=2026, crime=HOMICIDE), state_row(year=2026, crime=kidnapping)]

    error = refused(tmp_path, latin1(STATE_HEADER, *rows))

    assert (error.line, error.column, error.field) == (3, 6, "Subtipo de delito")


def test_it_rejects_a_file_mixing_the_2015_and_rnid_catalogues(tmp_path):
    rows = [state_row(year=2025), state_row(year=2026)]

    error = refused(tmp_path, latin1(STATE_HEADER, *rows))

    assert (error.line, error.column, error.field) == (3, 1, "Año")
    assert "2026" in error.message


@pytest.mark.parametrize(("data", "line"), [(b"", 1), (latin1(STATE_HEADER), 2)])
def test_it_rejects_an_empty_file_and_a_header_without_rows(tmp_path, data, line):
    assert refused(tmp_path, data).line == line


def test_it_rejects_a_cut_that_is_not_yyyy_mm(tmp_path):
    error = refused(tmp_path, latin1(STATE_HEADER, state_row()), cut="nov-2024")

    assert error.field == "cut"


def test_it_rejects_a_cut_earlier_than_the_data(tmp_path):
    error = refused(tmp_path, latin1(STATE_HEADER, state_row()), name="IDEFC_NM_jun24.csv")

    assert error.field == "cut"
    assert "2024-12" in error.message
