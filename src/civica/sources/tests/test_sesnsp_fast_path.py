"""The fast path: months read by DuckDB straight as integers when the byte scan proves every
month cell empty or plain digits. It must accept and refuse exactly what the checked path
does, with the same line and column, and write the same snapshot byte for byte."""

from __future__ import annotations

from pathlib import Path

import pytest

from civica.sources import _sesnsp_bytes, _sesnsp_reading
from civica.sources._sesnsp_bytes import _scan
from civica.sources.errors import SourceError
from civica.sources.sesnsp import MONTHS, read_sesnsp

MUNICIPAL_HEADER = (
    "Año,Clave_Ent,Entidad,Cve. Municipio,Municipio,Bien jurídico afectado,Tipo de delito,"
    "Subtipo de delito,Modalidad," + ",".join(MONTHS)
)
CRIMES = (
    "La vida y la Integridad corporal,Homicidio,Homicidio doloso,Con arma de fuego",
    "La vida y la Integridad corporal,Homicidio,Homicidio doloso,Con arma blanca",
    "La vida y la Integridad corporal,Lesiones,Lesiones dolosas,Con arma de fuego",
)


def municipal(months: list[str], ending: str = "\r\n", last_ending: bool = True) -> bytes:
    """A municipal file of three rows; ``months`` are the second row's twelve cells."""
    rows = [
        f"2024,1,Aguascalientes,1001,Aguascalientes,{crime},{cells}"
        for crime, cells in zip(
            CRIMES, [",".join(["3"] * 12), ",".join(months), "0,1,,2" + ",7" * 8], strict=True
        )
    ]
    text = ending.join([MUNICIPAL_HEADER, *rows]) + (ending if last_ending else "")
    return text.encode("latin-1")


PLAIN = ["12", "0", "", "007", "4", "5", "", "", "1", "2", "3", "99"]


def outcome(tmp_path: Path, data: bytes, fast: bool, monkeypatch) -> tuple:
    """``("ok", snapshot bytes)`` or ``("refused", line, column, field, message)``, with the
    fast path allowed or not; checks that the fast path was taken when allowed and proven."""
    folder = tmp_path / ("fast" if fast else "checked")
    folder.mkdir()
    source = folder / "IDM_NM_dic24.csv"
    source.write_bytes(data)
    typed_reads = []
    load_as = _sesnsp_reading._Reading._load_as

    def spy(self, typed):
        typed_reads.append(bool(typed))
        return load_as(self, typed)

    with monkeypatch.context() as patch:
        patch.setattr(_sesnsp_reading._Reading, "_load_as", spy)
        if not fast:
            patch.setattr(_sesnsp_bytes._ByteScan, "numeric_tail_is_plain", lambda self: False)
        try:
            read_sesnsp(source, output=folder / "tidy.parquet")
        except SourceError as error:
            result = ("refused", error.line, error.column, error.field, error.message)
        else:
            result = ("ok", (folder / "tidy.parquet").read_bytes())
    # The typed read may start beside the scan (read ahead), but only a proven file keeps it.
    if fast and _proven(source):
        assert typed_reads[0] is True
    else:
        assert typed_reads[-1] is False
    return result


def _proven(path: Path) -> bool:
    return _scan(path, path.with_suffix(".inflated"), numeric_tail=12)[1].numeric_tail_is_plain()


@pytest.mark.parametrize(
    "data",
    [
        municipal(PLAIN),
        municipal(PLAIN, ending="\n"),
        municipal(PLAIN, last_ending=False),
        municipal(PLAIN, ending="\n", last_ending=False),
    ],
    ids=["crlf", "lf", "crlf-no-last-end", "lf-no-last-end"],
)
def test_a_plain_file_takes_the_fast_path_and_writes_the_same_snapshot(tmp_path, monkeypatch, data):
    source = tmp_path / "IDM_NM_dic24.csv"
    source.write_bytes(data)
    assert _proven(source)

    fast = outcome(tmp_path, data, fast=True, monkeypatch=monkeypatch)
    checked = outcome(tmp_path, data, fast=False, monkeypatch=monkeypatch)

    assert fast[0] == "ok"
    assert fast == checked


@pytest.mark.parametrize(
    "cell",
    [
        # DuckDB's integer reading takes or rounds these; the checked path refuses them.
        "1e3", "1E3", "0x10", "0b11", "+4", "1_000", "-1", "-0", "1.5", "4.", "\t4",
        # and these the checked path accepts, as their number.
        " 4", "4 ", '"4"', "12.0", "  ",
        # DuckDB refuses these itself: the fast read fails and the checked path says where.
        "n/d", "99999999999999999999", "4294967296",
    ],
)  # fmt: skip
def test_every_cell_form_meets_the_same_fate_on_both_paths(tmp_path, monkeypatch, cell):
    months = [*PLAIN[:5], cell, *PLAIN[6:]]
    data = municipal(months)

    fast = outcome(tmp_path, data, fast=True, monkeypatch=monkeypatch)
    checked = outcome(tmp_path, data, fast=False, monkeypatch=monkeypatch)

    assert fast == checked
    if fast[0] == "refused":
        assert fast[1:4] == (3, 15, "Junio")


@pytest.mark.parametrize("bad", ["1e3", "+4", " 4", "4 ", '"4"', "-1"])
def test_the_proof_sees_a_bad_cell_cut_across_two_chunks(tmp_path, monkeypatch, bad):
    # Every chunk size from 1 byte: the cell, and the line end the proof counts, fall on
    # every possible cut.
    clean, dirty = tmp_path / "clean.csv", tmp_path / "dirty.csv"
    clean.write_bytes(municipal(PLAIN))
    dirty.write_bytes(municipal([*PLAIN[:11], bad]))
    for size in [*range(1, 40), 97, 256]:
        monkeypatch.setattr(_sesnsp_bytes, "_CHUNK", size)
        assert _proven(clean), size
        assert not _proven(dirty), size


def test_a_line_with_fewer_fields_or_a_blank_line_is_not_proven(tmp_path):
    short, blank = tmp_path / "short.csv", tmp_path / "blank.csv"
    short.write_bytes(municipal(PLAIN[:11]))
    blank.write_bytes(municipal(PLAIN) + b"\r\n")
    assert not _proven(short)
    assert not _proven(blank)


def test_a_windows_1252_byte_is_still_noticed_with_the_proof(tmp_path):
    source = tmp_path / "cp1252.csv"
    source.write_bytes(municipal(PLAIN).replace(b"Aguascalientes,1001", b"Aguascalientes\x96,1001"))
    assert _scan(source, tmp_path / "x", numeric_tail=12)[1].encoding() == "cp1252"
