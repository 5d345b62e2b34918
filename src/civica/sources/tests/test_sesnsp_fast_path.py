"""The fast path: the file read by Arrow, months straight as integers, when the byte scan
proves every month cell empty or plain digits. It must accept and refuse exactly what the
checked path does, with the same line and column, and write the same snapshot byte for byte."""

from __future__ import annotations

import threading
import unicodedata
from pathlib import Path

import duckdb
import pytest

from civica.sources import _sesnsp_bytes, _sesnsp_reading, sesnsp
from civica.sources._sesnsp_bytes import _scan
from civica.sources._sesnsp_kinds import _MONTH_ROLES
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


def municipal(
    months: list[str],
    ending: str = "\r\n",
    last_ending: bool = True,
    year: str = "2024",
    state: str = "1",
    municipality: str = "1001",
    name: str = "Aguascalientes",
    encoding: str = "latin-1",
) -> bytes:
    """A municipal file of three rows; ``months``, ``year``, ``state``, ``municipality``
    and ``name`` are the second row's cells."""
    rows = [
        f"{first},{code},Aguascalientes,{place},{place_name},{crime},{cells}"
        for first, code, place, place_name, crime, cells in zip(
            ["2024", year, "2024"],
            ["1", state, "1"],
            ["1001", municipality, "1001"],
            ["Aguascalientes", name, "Aguascalientes"],
            CRIMES,
            [",".join(["3"] * 12), ",".join(months), "0,1,,2" + ",7" * 8],
            strict=True,
        )
    ]
    text = ending.join([MUNICIPAL_HEADER, *rows]) + (ending if last_ending else "")
    return text.encode(encoding)


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


@pytest.mark.parametrize(
    ("column", "cell"),
    [
        *(("year", cell) for cell in ["2024.0", "02024", " 2024", "2024 ", '"2024"', "+2024",
                                      "0x7E8", "2_024", "2.024e3", "-2024", "2024.5", "20240",
                                      "2014", "", "n/d", "99999999999999999999"]),
        *(("state", cell) for cell in ["01", "1.0", " 1", "+1", "0x1", "1e0", "-1", "0", "33",
                                       "", "Ags", "4294967297"]),
    ],
)  # fmt: skip
def test_every_year_and_state_form_meets_the_same_fate_on_both_paths(
    tmp_path, monkeypatch, column, cell
):
    data = municipal(PLAIN, **{column: cell})

    fast = outcome(tmp_path, data, fast=True, monkeypatch=monkeypatch)
    checked = outcome(tmp_path, data, fast=False, monkeypatch=monkeypatch)

    assert fast == checked
    if fast[0] == "refused":
        assert fast[1:3] == (3, 1 if column == "year" else 2)


@pytest.mark.parametrize(
    "cell", ["01001", " 1001", "1001 ", "1001.0", '"1001"', "+1001", "0x3E9", "1e3", "1001.5",
             "-1001", "2001", "1", "", "Ags", "99999999999"],
)  # fmt: skip
def test_every_municipality_code_form_meets_the_same_fate_on_both_paths(
    tmp_path, monkeypatch, cell
):
    data = municipal(PLAIN, municipality=cell)

    fast = outcome(tmp_path, data, fast=True, monkeypatch=monkeypatch)
    checked = outcome(tmp_path, data, fast=False, monkeypatch=monkeypatch)

    assert fast == checked
    if fast[0] == "refused":
        assert fast[1:3] == (3, 4)


@pytest.mark.parametrize(
    "name",
    [
        # Names the fast read takes as codes, decoded once: the same names, the same snapshot.
        '"Ensenada, B.C."', '"Ensenada ""centro"""', " Ensenada ", "Ensenada  centro",
        # and cells it leaves to the checked read, or that both refuse alike: an empty cell,
        # a quoted empty or blank one, a line end inside quotes, a lone CR.
        "", '""', "   ", '"Tecate\r\nnorte"', '"Tecate\nnorte"', "Tecate\rnorte",
    ],
)  # fmt: skip
@pytest.mark.parametrize("ending", ["\r\n", "\n"])
def test_every_name_form_meets_the_same_fate_on_both_paths(tmp_path, monkeypatch, name, ending):
    data = municipal(PLAIN, name=name, ending=ending)

    fast = outcome(tmp_path, data, fast=True, monkeypatch=monkeypatch)
    checked = outcome(tmp_path, data, fast=False, monkeypatch=monkeypatch)

    assert fast == checked


@pytest.mark.parametrize("encoding", ["utf-8", "latin-1", "cp1252"])
def test_accented_names_are_read_alike_in_every_encoding(tmp_path, monkeypatch, encoding):
    name = "Tecate – Peñasco" if encoding == "cp1252" else "San Andrés Peñasco"
    data = municipal(PLAIN, name=name, encoding=encoding)

    fast = outcome(tmp_path, data, fast=True, monkeypatch=monkeypatch)
    checked = outcome(tmp_path, data, fast=False, monkeypatch=monkeypatch)

    assert fast[0] == "ok"
    assert fast == checked


def test_years_and_states_in_any_accepted_spelling_stay_on_the_fast_path(tmp_path, monkeypatch):
    # Years, states and codes arrive as dictionary entries and are checked once per spelling,
    # so a spaced year needs no second read; it is read as its number, as the checked path does.
    reads = []
    load_as = _sesnsp_reading._Reading._load_as

    def spy(self, typed):
        reads.append(typed)
        return load_as(self, typed)

    monkeypatch.setattr(_sesnsp_reading._Reading, "_load_as", spy)
    snapshots = []
    for name, data in [("plain", municipal(PLAIN)), ("spaced", municipal(PLAIN, year=" 2024"))]:
        read_sesnsp(_written(tmp_path, name, data), output=tmp_path / f"{name}.parquet")
        snapshots.append((tmp_path / f"{name}.parquet").read_bytes())

    assert reads == [_MONTH_ROLES, _MONTH_ROLES]
    assert snapshots[0] == snapshots[1]


def _written(folder: Path, name: str, data: bytes) -> Path:
    (folder / name).mkdir()
    (folder / name / "IDM_NM_dic24.csv").write_bytes(data)
    return folder / name / "IDM_NM_dic24.csv"


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


# --- the fast read started beside the scan (read ahead) -----------------------------------


def _long_file(last_row: str, encoding: str = "latin-1") -> bytes:
    """More than the 64 KB the read ahead guesses from, all ASCII, then ``last_row``."""
    rows = [
        f"2024,1,Aguascalientes,{1000 + number},Municipio {number},{crime},{','.join(['3'] * 12)}"
        for number in range(1, 700)
        for crime in CRIMES
    ]
    header = unicodedata.normalize("NFKD", MUNICIPAL_HEADER).encode("ascii", "ignore").decode()
    head = "\r\n".join([header, *rows]).encode("ascii")
    return head + b"\r\n" + last_row.encode(encoding) + b"\r\n"


def _late(name: str = "Tecate", months: str = ",".join(["1"] * 12)) -> str:
    return f"2024,2,Baja California,2001,{name},{CRIMES[0]},{months}"


READ_AHEAD_FILES = {
    # The first 64 KB are ASCII (the header without its accents, which the header check
    # folds); what the scan finds further on decides.
    "plain": _long_file(_late(months="1,2,,4,5,6,7,8,9,10,11,")),
    "utf-8 name": _long_file(_late(name="Ensenada ñ"), "utf-8"),
    "latin-1 after an ascii head": _long_file(_late(name="Tecate ñ")),
    "windows-1252 byte": _long_file(_late(name="Tijuana – centro"), "cp1252"),
    "month written 1e3": _long_file(_late(months="1e3," + ",".join(["1"] * 11))),
    "month written 4.0": _long_file(_late(months="4.0," + ",".join(["1"] * 11))),
    "NUL byte": _long_file(_late(name="Tec\0ate")),
    "short line": _long_file(_late(months="1,2")),
    "bad year": _long_file(_late().replace("2024,", "2O24,", 1)),
    "duplicate": _long_file(
        f"2024,1,Aguascalientes,1001,Municipio 1,{CRIMES[0]},{PLAIN[0]}" + ",1" * 11
    ),
}


def read_outcome(tmp_path: Path, data: bytes, ahead: bool, monkeypatch) -> tuple:
    """``read_sesnsp``'s snapshot bytes or refusal, with the read ahead allowed or not, in a
    connection of the caller's that must be left clean and usable."""
    folder = tmp_path / ("ahead" if ahead else "after")
    folder.mkdir()
    source = folder / "IDM_NM_dic24.csv"
    source.write_bytes(data)
    with monkeypatch.context() as patch, duckdb.connect() as connection:
        if not ahead:
            patch.setattr(sesnsp, "_read_ahead", lambda *args: None)
        try:
            read_sesnsp(source, output=folder / "tidy.parquet", connection=connection)
        except SourceError as error:
            result = ("refused", error.line, error.column, error.field, error.message)
        else:
            result = ("ok", (folder / "tidy.parquet").read_bytes())
        assert connection.execute("SELECT count(*) FROM duckdb_tables()").fetchone() == (0,)
    return result


@pytest.mark.parametrize("name", sorted(READ_AHEAD_FILES))
@pytest.mark.parametrize("chunk", [1 << 24, 4096])
def test_the_read_ahead_changes_no_outcome(tmp_path, monkeypatch, name, chunk):
    monkeypatch.setattr(_sesnsp_bytes, "_CHUNK", chunk)  # 4 KB: stopped while scanning
    data = READ_AHEAD_FILES[name]
    assert len(data) > 65536

    ahead = read_outcome(tmp_path, data, ahead=True, monkeypatch=monkeypatch)
    after = read_outcome(tmp_path, data, ahead=False, monkeypatch=monkeypatch)

    assert ahead == after
    assert ahead[0] == (
        "ok"
        if name
        in {
            "plain",
            "utf-8 name",
            "latin-1 after an ascii head",
            "windows-1252 byte",
            "month written 4.0",
        }
        else "refused"
    )


def test_a_proven_file_is_read_once_beside_the_scan(tmp_path, monkeypatch):
    source = tmp_path / "IDM_NM_dic24.csv"
    source.write_bytes(READ_AHEAD_FILES["plain"])
    reads = []
    load_as = _sesnsp_reading._Reading._load_as

    def spy(self, typed):
        reads.append((bool(typed), threading.current_thread() is threading.main_thread()))
        return load_as(self, typed)

    monkeypatch.setattr(_sesnsp_reading._Reading, "_load_as", spy)
    read_sesnsp(source, output=tmp_path / "tidy.parquet")

    assert reads == [(True, False)]  # typed, in the read-ahead thread, and nothing more


def test_the_scan_stops_the_read_ahead_as_soon_as_it_knows(tmp_path, monkeypatch):
    # A month written 1e3 (which DuckDB's integer reading takes) on line 2,099 of a file of
    # ~200,000 lines, scanned in chunks of 4 KB: the read ahead is stopped while it runs,
    # not left to parse the rest of the file, and the checked read says where.
    monkeypatch.setattr(_sesnsp_bytes, "_CHUNK", 4096)
    plain = READ_AHEAD_FILES["plain"]
    body = plain.split(b"\r\n", 1)[1]
    source = tmp_path / "IDM_NM_dic24.csv"
    source.write_bytes(
        READ_AHEAD_FILES["month written 1e3"]
        + body.replace(b"2024,", b"2023,") * 50
        + body.replace(b"2024,", b"2022,") * 45
    )
    stops = []
    stop = _sesnsp_reading._ReadAhead.stop

    def spy(self):
        stops.append(self.thread.is_alive())
        return stop(self)

    monkeypatch.setattr(_sesnsp_reading._ReadAhead, "stop", spy)
    with pytest.raises(SourceError) as caught:
        read_sesnsp(source, output=tmp_path / "tidy.parquet")

    assert stops[0] is True
    assert (caught.value.line, caught.value.column) == (2099, 10)


# --- the read started before the reading (prefetch: `civica ingest sesnsp`) -----------------


def prefetched_outcome(tmp_path: Path, data: bytes) -> tuple:
    """``read_sesnsp``'s snapshot bytes or refusal with a prefetch of the file, which must be
    stopped afterwards and leave the caller's connection clean."""
    folder = tmp_path / "prefetched"
    folder.mkdir()
    source = folder / "IDM_NM_dic24.csv"
    source.write_bytes(data)
    started = sesnsp.prefetch(source)
    with duckdb.connect() as connection:
        try:
            read_sesnsp(
                source, output=folder / "tidy.parquet", connection=connection, prefetch=started
            )
        except SourceError as error:
            result = ("refused", error.line, error.column, error.field, error.message)
        else:
            result = ("ok", (folder / "tidy.parquet").read_bytes())
        assert connection.execute("SELECT count(*) FROM duckdb_tables()").fetchone() == (0,)
    assert started is not None and started.stopped and not started.thread.is_alive()
    return result


@pytest.mark.parametrize("name", sorted(READ_AHEAD_FILES))
@pytest.mark.parametrize("chunk", [1 << 24, 4096])
def test_a_prefetch_changes_no_outcome(tmp_path, monkeypatch, name, chunk):
    monkeypatch.setattr(_sesnsp_bytes, "_CHUNK", chunk)
    data = READ_AHEAD_FILES[name]

    prefetched = prefetched_outcome(tmp_path, data)
    after = read_outcome(tmp_path, data, ahead=False, monkeypatch=monkeypatch)

    assert prefetched == after


def _spied_arrow_reads(monkeypatch) -> list[str]:
    """The threads in which Arrow read a file, in order."""
    reads = []
    read_coded = _sesnsp_reading.read_coded

    def spy(*args, **kwargs):
        reads.append(threading.current_thread().name)
        return read_coded(*args, **kwargs)

    monkeypatch.setattr(_sesnsp_reading, "read_coded", spy)
    return reads


def test_a_prefetched_file_is_read_once(tmp_path, monkeypatch):
    reads = _spied_arrow_reads(monkeypatch)
    source = tmp_path / "IDM_NM_dic24.csv"
    source.write_bytes(READ_AHEAD_FILES["plain"])

    read_sesnsp(source, output=tmp_path / "tidy.parquet", prefetch=sesnsp.prefetch(source))

    assert reads == ["sesnsp-prefetch"]


def test_a_prefetch_of_a_file_changed_since_is_not_used(tmp_path, monkeypatch):
    reads = _spied_arrow_reads(monkeypatch)
    source = tmp_path / "IDM_NM_dic24.csv"
    source.write_bytes(READ_AHEAD_FILES["plain"])
    started = sesnsp.prefetch(source)
    started.thread.join()
    source.write_bytes(READ_AHEAD_FILES["utf-8 name"])  # another size: another version

    read_sesnsp(source, output=tmp_path / "tidy.parquet", prefetch=started)

    assert reads == ["sesnsp-prefetch", "sesnsp-read-ahead"]
    (name,) = duckdb.execute(
        "SELECT DISTINCT municipality_name FROM read_parquet(?) WHERE municipality_code = '02001'",
        [str(tmp_path / "tidy.parquet")],
    ).fetchone()
    assert name == "Ensenada ñ"
