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


def test_percentiles_equal_numpy_and_duckdb_for_every_grouping(tmp_path):
    """The percentiles over the stored grouping columns are NumPy's linear interpolation
    for every group, and DuckDB's quantile_cont over all calls."""
    import duckdb
    import numpy as np
    import pandas as pd

    from civica.warehouse.calls import response_times

    csv = write_calls(tmp_path / "cad.csv", 3000, seed=3)
    out = tmp_path / "calls.parquet"
    read_cad(csv, output=out, municipality_code="02002")
    db = duckdb.connect()
    frame = db.execute("SELECT * FROM read_parquet(?)", [str(out)]).df()
    for by, key in (("sector", "sector"), ("hour", "hour"), ("month", "month")):
        got = response_times(out, by=by, capture_standard=60, dispatch_standard=150)
        assert int(got["calls"].sum()) == 3000
        for grp, rows in frame.groupby(key):
            row = got[got["grp"] == grp].iloc[0]
            capture = rows["capture_s"].dropna().to_numpy()
            dispatch = rows["dispatch_s"].dropna().to_numpy()
            assert row["calls"] == len(rows) and row["genuine"] == int(rows["genuine"].sum())
            assert row["capture_p50"] == pytest.approx(np.percentile(capture, 50))
            assert row["capture_p90"] == pytest.approx(np.percentile(capture, 90))
            assert row["dispatch_p90"] == pytest.approx(np.percentile(dispatch, 90))
            assert row["capture_within"] == pytest.approx((capture <= 60).mean())
            assert row["dispatch_within"] == pytest.approx((dispatch <= 150).mean())
            assert row["arrival_p50"] == pytest.approx(
                np.percentile(rows["arrival_s"].dropna(), 50)
            )
    overall = response_times(out, by="all", capture_standard=90, dispatch_standard=120)
    reference = db.execute(
        "SELECT quantile_cont(capture_s, 0.9) FROM read_parquet(?)", [str(out)]
    ).fetchone()[0]
    assert overall["capture_p90"].iloc[0] == pytest.approx(reference)
    assert isinstance(overall, pd.DataFrame)


def test_calls_with_coordinates_are_placed_in_the_sector_polygons(personas, settings, tmp_path):
    """Tijuana's one sector layer holds "Sector Tijuana" (a 0.01° square at -116.99, 32.46):
    a call inside it takes that sector whatever the CAD said; outside every polygon or
    without coordinates the CAD's own sector stays; each call says which was used."""
    import duckdb

    from civica.core.services import warehouse
    from civica.warehouse.calls import by_sector

    settings.CIVICA_WAREHOUSE_DIR = str(tmp_path / "warehouse")
    header = HEADER.rstrip("\n") + ",longitud,latitud\n"
    rows = [
        "P1,2024-03-01 10:00:00,,,,,,,si,Sector 1,C1,,,-116.985,32.465\n",  # inside
        "P2,2024-03-01 11:00:00,,,,,,,si,Sector 2,C2,,,-116.90,32.40\n",  # outside all
        "P3,2024-03-01 12:00:00,,,,,,,no,Sector 2,,,,,\n",  # no coordinates
        "P4,2024-03-01 13:00:00,,,,,,,no,,,,,,\n",  # nothing
    ]
    line = calls.ingest_calls(
        path=_file(tmp_path, rows, header=header),
        municipality_code="02004",
        actor=personas.analyst_tijuana,
    )
    assert (
        "sector: 1 llamadas ubicadas por sus coordenadas (sectores), 2 por el sector que "
        "registró el CAD, 1 sin él" in line
    )
    snapshot = warehouse().manifest().current("cad-calls-02004")
    path = warehouse().path_of(snapshot)
    placed = (
        duckdb.connect()
        .execute(
            "SELECT folio, sector, sector_from, cuadrante, cuadrante_from FROM read_parquet(?) "
            "ORDER BY folio",
            [str(path)],
        )
        .fetchall()
    )
    assert placed == [
        ("P1", "Sector Tijuana", "coordinates", "C1", "cad"),
        ("P2", "Sector 2", "cad", "C2", "cad"),
        ("P3", "Sector 2", "cad", None, None),
        ("P4", None, None, None, None),
    ]
    assert snapshot.metadata["placement"]["sector"] == {
        "coordinates": 1,
        "cad": 2,
        "none": 1,
        "layer": "sectores",
    }
    sectors = by_sector(path).set_index("sector")
    assert sectors.loc["Sector Tijuana", "by_coordinates"] == 1
    assert sectors.loc["Sector 2", "by_cad"] == 2


def test_calls_without_coordinates_keep_the_cad_s_sectors_counted(personas, settings, tmp_path):
    """A file with no coordinates at all is not placed (its location columns are counted,
    not read): every call keeps the sector the CAD recorded, and the counts say so."""
    from civica.core.services import warehouse

    settings.CIVICA_WAREHOUSE_DIR = str(tmp_path / "warehouse")
    calls.ingest_calls(
        path=_file(tmp_path), municipality_code="02004", actor=personas.analyst_tijuana
    )
    snapshot = warehouse().manifest().current("cad-calls-02004")
    assert snapshot.metadata["placement"]["sector"] == {
        "coordinates": 0,
        "cad": 3,
        "none": 0,
        "layer": "sectores",
    }
    assert snapshot.metadata["placement"]["cuadrante"]["cad"] == 3


def test_a_coordinate_that_is_not_one_refuses_the_file(tmp_path):
    header = HEADER.rstrip("\n") + ",longitud,latitud\n"
    rows = [
        "P1,2024-03-01 10:00:00,,,,,,,si,,,,,-116.9,32.4\n",
        "P2,2024-03-01 10:00:00,,,,,,,si,,,,,-316.9,32.4\n",
    ]
    with pytest.raises(SourceError) as caught:
        read_cad(
            _file(tmp_path, rows, header=header),
            output=tmp_path / "x.parquet",
            municipality_code="02004",
        )
    assert (caught.value.line, caught.value.column) == (3, 14)


def test_web_upload_runs_as_a_job_and_shows_progress_result_and_refusal(
    personas, client, settings, tmp_path
):
    from civica.audit.models import AuditEvent
    from civica.core.services import warehouse
    from civica.jobs.testing import run_queued_jobs

    settings.CIVICA_WAREHOUSE_DIR = str(tmp_path / "warehouse")
    client.force_login(personas.analyst_tijuana)
    url = "/police/municipalities/02004/calls/import/"
    assert (
        'id="calls-upload"' in client.get("/police/municipalities/02004/records/").content.decode()
    )
    with _file(tmp_path, [*ROWS, "A4,2024-03-40 10:00:00,,,,,,,,,,,\n"], name="malo.csv").open(
        "rb"
    ) as handle:
        bad = client.post(url, {"file": handle})
    assert bad.status_code == 302
    waiting = client.get(bad["Location"]).content.decode()
    assert "data-job-status" in waiting  # the progress while the worker has not run it
    run_queued_jobs()
    refused = client.get(bad["Location"]).content.decode()
    assert 'id="import-errors"' in refused
    assert "malo.csv" in refused and "5" in refused and "2" in refused
    assert warehouse().manifest().current("cad-calls-02004") is None  # nothing published
    with _file(tmp_path).open("rb") as handle:
        good = client.post(url, {"file": handle})
    run_queued_jobs()
    done = client.get(good["Location"]).content.decode()
    assert 'id="import-done"' in done and "cad-calls-02004" in done
    snapshot = warehouse().manifest().current("cad-calls-02004")
    assert snapshot.rows == 3
    assert AuditEvent.objects.filter(
        object_type="warehouse.Snapshot", object_id=snapshot.id, actor=personas.analyst_tijuana
    ).exists()
    assert not any((tmp_path / "warehouse" / "incoming" / "uploads").glob("*/*"))
    # Another municipality's analyst cannot upload here.
    client.force_login(personas.analyst_cuauhtemoc)
    with _file(tmp_path).open("rb") as handle:
        assert client.post(url, {"file": handle}).status_code == 404


def test_map_of_calls_per_sector_and_its_audited_download(personas, client, settings, tmp_path):
    import json

    from civica.audit.models import AuditEvent

    settings.CIVICA_WAREHOUSE_DIR = str(tmp_path / "warehouse")
    header = HEADER.rstrip("\n") + ",longitud,latitud\n"
    rows = [
        "P1,2024-03-01 10:00:00,,,,,,,si,Sector 1,,,,-116.985,32.465\n",
        "P2,2024-03-01 11:00:00,,,,,,,no,Sector 1,,,,-116.984,32.466\n",
        "P3,2024-03-01 12:00:00,,,,,,,no,Sector 9,,,,,\n",  # no polygon named so
    ]
    calls.ingest_calls(
        path=_file(tmp_path, rows, header=header),
        municipality_code="02004",
        actor=personas.analyst_tijuana,
    )
    client.force_login(personas.analyst_tijuana)
    page = client.get("/police/municipalities/02004/calls/map/").content.decode()
    assert "incident_map.js" in page and "Sector Tijuana" in page
    assert "1 llamada está en un sector sin polígono" in page
    data = json.loads(client.get("/police/municipalities/02004/calls/sectors.geojson").content)
    (feature,) = data["features"]
    assert feature["properties"]["name"] == "Sector Tijuana"
    assert feature["properties"]["count"] == 2 and feature["properties"]["genuine"] == 1
    assert feature["properties"]["per_km2"] == pytest.approx(2 / 1.1)
    before = AuditEvent.objects.filter(object_type="police.calls").count()
    download = client.get("/police/municipalities/02004/calls/sectors.geojson?download=csv")
    text = b"".join(download.streaming_content if download.streaming else [download.content])
    assert text.decode().splitlines()[1].startswith("Sector Tijuana,sectores,2,1")
    assert AuditEvent.objects.filter(object_type="police.calls").count() == before + 1
    client.force_login(personas.analyst_cuauhtemoc)
    assert client.get("/police/municipalities/02004/calls/map/").status_code == 404
