"""The one reader of CSV records: encodings people's files come in are read, and every bad
file is refused with a code, a line and a column — never a bare exception."""

import codecs

import pytest

from civica.sources.records import MAX_CELL_CHARS, RecordError, read_records

KNOWN = ("name", "place", "note")


def read(data, **options):
    return read_records(data, known=KNOWN, required=("name",), name="f.csv", **options)


def refusal(data) -> RecordError:
    with pytest.raises(RecordError) as caught:
        read(data)
    return caught.value


def test_utf8_with_bom_latin1_and_utf16_read_the_same_rows():
    text = "name,place,note\nPeña,Nezahualcóyotl,año\n"
    expected = [(2, {"name": "Peña", "place": "Nezahualcóyotl", "note": "año"})]
    assert read(text.encode("utf-8-sig")).rows == expected
    assert read(text.encode("latin-1")).rows == expected
    assert read(text.encode("cp1252")).encoding == "cp1252"
    assert read(codecs.BOM_UTF16_LE + text.encode("utf-16-le")).rows == expected
    assert read(text.encode("utf-16")).encoding == "utf-16"


def test_utf16_without_bom_is_refused_not_read_as_garbage():
    error = refusal("name,place\nAna,X\n".encode("utf-16-le"))
    assert error.code == "encoding" and error.line == 1


def test_a_nul_byte_names_its_line_and_column():
    error = refusal(b"name,place\nAna,X\nLu\x00is,Y\n")
    assert (error.code, error.line, error.column_number) == ("nul", 3, 3)


def test_a_huge_cell_is_refused_with_its_column():
    error = refusal(("name,note\nAna," + "x" * 10_000_000 + "\n").encode())
    assert (error.code, error.line, error.column) == ("cell_too_long", 2, "note")
    assert error.params == {"chars": 10_000_000, "limit": MAX_CELL_CHARS}


def test_an_extra_field_is_refused_but_trailing_empty_cells_are_not():
    error = refusal(b"name,place\nAna,X\nLuis,Y,Z\n")
    assert (error.code, error.line) == ("too_many_cells", 3)
    assert error.params == {"cells": 3, "expected": 2}
    assert read(b"name,place,\nAna,X,,\n").rows == [(2, {"name": "Ana", "place": "X"})]
    assert refusal(b"name,place\nAna\n").code == "too_few_cells"


def test_a_duplicated_column_is_refused_instead_of_keeping_the_last_value():
    error = refusal(b"name,place,name\nAna,X,Eva\n")
    assert (error.code, error.line, error.column, error.column_number) == (
        "duplicate_column",
        1,
        "name",
        3,
    )


def test_missing_unknown_and_empty():
    assert refusal(b"place\nX\n").code == "missing_columns"
    error = refusal(b"name,colour\nAna,red\n")
    assert (error.code, error.column) == ("unknown_columns", "colour")
    assert refusal(b"").code == "empty"
    error = refusal(b'name,place\nAna,"X\n')
    assert (error.code, error.line) == ("malformed", 2)


def test_lines_are_the_files_lines_with_blank_and_multiline_cells():
    data = b'name,note\n\nAna,"two\nlines"\n,\nEva,x\n'
    assert [line for line, _row in read(data)] == [3, 6]


def test_semicolon_and_tab_separated_files_are_read():
    assert read(b"name;place\nAna;X\n").rows == [(2, {"name": "Ana", "place": "X"})]
    assert read(b"name\tplace\nAna\tX\n").delimiter == "\t"
