"""CAD / 9-1-1 calls: a documented preset and a column map, bad files refused with line and
column, response-time percentiles against the standards checked by hand."""

from pathlib import Path

import pytest

from civica.police import calls
from civica.police.synthetic import write_calls
from civica.sources.cad import parse_map, read_cad
from civica.sources.errors import SourceError

HEADER = (
    "folio,recibida,capturada,despachada,arribo,codigo_cnie,version_cnie,prioridad,"
    "procedente,sector,cuadrante,resultado,iph\n"
)
ROWS = [
    # capture 30 s, dispatch 60 s
    "A1,2024-03-01 10:00:00,2024-03-01 10:00:30,2024-03-01 10:01:30,2024-03-01 10:10:00,"
    "10101,3.0,alta,si,Sector 1,C1,atendido,IPH-1\n",
    # capture 100 s, dispatch 200 s
    "A2,2024-03-01 11:00:00,2024-03-01 11:01:40,2024-03-01 11:05:00,,20101,3.0,media,si,"
    "Sector 1,C2,atendido,\n",
    # not genuine: captured in 50 s, never dispatched
    "A3,2024-03-02 22:00:00,2024-03-02 22:00:50,,,70101,3.0,baja,no,Sector 2,C3,improcedente,\n",
]


def _file(tmp_path, rows=ROWS, header=HEADER, name="cad.csv"):
    path = tmp_path / name
    path.write_text(header + "".join(rows), encoding="utf-8")
    return path


def test_percentiles_and_standards_by_hand(tmp_path):
    out = tmp_path / "calls.parquet"
    read_cad(_file(tmp_path), output=out, municipality_code="02002")
    from civica.warehouse.calls import profile, response_times

    overall = response_times(out, by="all", capture_standard=90, dispatch_standard=120).iloc[0]
    assert overall["calls"] == 3 and overall["genuine"] == 2
    assert overall["capture_p50"] == 50  # 30, 50, 100
    assert overall["capture_within"] == pytest.approx(2 / 3)
    assert overall["dispatch_within"] == pytest.approx(1 / 2)  # 60 and 200 s
    by_sector = response_times(out, by="sector", capture_standard=90, dispatch_standard=120)
    assert list(by_sector["grp"]) == ["Sector 1", "Sector 2"]
    grid = profile(out)
    assert int(grid[(grid.weekday == 5) & (grid.hour == 10)]["calls"].iloc[0]) == 1  # a Friday


@pytest.mark.parametrize(
    ("bad", "line", "column"),
    [
        ("A4,2024-03-40 10:00:00,,,,,,,,,,,\n", 5, 2),  # no such day
        ("A1,2024-03-03 10:00:00,,,,,,,,,,,\n", 5, 1),  # folio repeated
        ("A4,2024-03-03 10:00:00,2024-03-03 09:00:00,,,,,,,,,,\n", 5, 3),  # captured first
        ("A4,2024-03-03 10:00:00,,,,1X1,,,,,,,\n", 5, 6),  # CNIE code
        ("A4,2024-03-03 10:00:00,,,,,,,quizá,,,,\n", 5, 9),  # genuine
    ],
)
def test_a_bad_file_is_refused_with_line_and_column(tmp_path, bad, line, column):
    with pytest.raises(SourceError) as caught:
        read_cad(
            _file(tmp_path, [*ROWS, bad]), output=tmp_path / "x.parquet", municipality_code="02002"
        )
    assert (caught.value.line, caught.value.column) == (line, column)
    assert not (tmp_path / "x.parquet").exists()


def test_another_layout_reads_through_a_column_map(tmp_path):
    path = _file(
        tmp_path,
        ["F-9,01/03/2024 10:00,01/03/2024 10:01,,,,,,S,Norte,,,\n"],
        header="FOLIO,FH_REC,FH_CAP,FH_DES,FH_ARR,a,b,c,PROC,SECT,d,e,f\n",
    )
    mapping = parse_map("folio=FOLIO,received=FH_REC,captured=FH_CAP,genuine=PROC,sector=SECT")
    result = read_cad(
        path, output=tmp_path / "m.parquet", municipality_code="02001", mapping=mapping
    )
    assert result.rows == 1
    with pytest.raises(SourceError):
        parse_map("when=FH_REC")


def test_import_report_page_and_command(personas, client, settings, tmp_path):
    import json

    from click.testing import CliRunner

    from civica.cli.main import cli

    settings.CIVICA_WAREHOUSE_DIR = str(tmp_path / "warehouse")
    path = write_calls(tmp_path / "cad.csv", 3000, seed=3)
    line = calls.ingest_calls(path=path, municipality_code="02004", actor=personas.analyst_tijuana)
    assert "3000" in line
    report = calls.report(personas.analyst_tijuana, "02004", by="hour")
    assert sum(row["calls"] for row in report.groups) == 3000
    assert sum(map(sum, report.profile)) == 3000
    client.force_login(personas.analyst_tijuana)
    page = client.get("/police/municipalities/02004/calls/?by=month").content.decode()
    assert 'id="response"' in page and "2024-12" in page
    client.force_login(personas.analyst_cuauhtemoc)
    assert client.get("/police/municipalities/02004/calls/").status_code == 404
    result = CliRunner().invoke(
        cli, ["police", "calls", "02004", "--by", "all", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["groups"][0]["calls"] == 3000
    again = CliRunner().invoke(
        cli, ["police", "calls-import", str(path), "--municipality", "02004"]
    )
    assert again.exit_code == 0 and "3000" in again.output


def test_the_generator_is_realistic(tmp_path):
    from civica.police.synthetic import calls_frame

    frame = calls_frame(20_000, seed=2)
    assert 0.2 < (frame["procedente"] == "si").mean() < 0.3  # about 3 in 4 not genuine
    assert (frame.loc[frame["procedente"] == "no", "despachada"] == "").all()
    assert Path
