"""`civica ingest`, `civica fetch` and `civica stats` from the command line."""

import hashlib
import json

import pytest
from click.testing import CliRunner

from civica.cli.main import cli
from civica.warehouse.store import Warehouse


@pytest.fixture
def empty_warehouse(db, settings, tmp_path):
    settings.CIVICA_HOME = tmp_path
    settings.CIVICA_WAREHOUSE_DIR = str(tmp_path / "warehouse")
    return Warehouse(tmp_path / "warehouse")


def run(*args):
    return CliRunner().invoke(cli, ["--lang", "en", *args])


def test_fetch_downloads_records_the_checksum_and_ingests(
    empty_warehouse, file_server, shared_data, settings
):
    name = "sesnsp_victimas_estatal/IDVFC_NM_ene25.csv.gz"
    result = run("fetch", "sesnsp", file_server.url + name)
    assert result.exit_code == 0, result.output
    digest = hashlib.sha256((shared_data / name).read_bytes()).hexdigest()
    assert digest in result.output
    sums = (settings.CIVICA_HOME / "downloads" / "sesnsp" / "SHA256SUMS").read_text()
    assert sums.strip() == f"{digest}  IDVFC_NM_ene25.csv.gz"
    assert "cut 2025-01" in result.output and "victims" in result.output
    assert empty_warehouse.manifest().current("sesnsp-victims-state-2015").cut == "2025-01"


def test_ingest_without_a_cut_in_the_name_asks_for_one(empty_warehouse, shared_data):
    result = run(
        "ingest",
        "sesnsp",
        str(shared_data / "sesnsp_estatal" / "IDEFC_NM_estatal_2015-2024.csv.gz"),
    )
    assert result.exit_code == 1 and "--cut YYYY-MM" in result.output
    assert empty_warehouse.manifest().snapshots == ()


def test_a_bad_file_is_refused_naming_line_and_column(empty_warehouse, tmp_path):
    bad = tmp_path / "IDEFC_NM_nov24.csv"
    bad.write_text(
        "Año,Clave_Ent,Entidad,Bien jurídico afectado,Tipo de delito,Subtipo de delito,"
        "Modalidad,Enero,Febrero,Marzo,Abril,Mayo,Junio,Julio,Agosto,Septiembre,Octubre,"
        "Noviembre,Diciembre\n"
        "2024,1,Aguascalientes,La vida y la Integridad corporal,Homicidio,Homicidio doloso,"
        "Con arma de fuego,1,2,tres,4,5,6,7,8,9,10,11,\n",
        encoding="utf-8",
    )
    result = run("ingest", "sesnsp", str(bad))
    assert result.exit_code == 1
    assert "line 2" in result.output and "Marzo" in result.output
    assert empty_warehouse.manifest().snapshots == ()


def test_an_older_cut_is_kept_but_does_not_become_current(empty_warehouse, shared_data):
    path = str(shared_data / "sesnsp_estatal" / "IDEFC_NM_estatal_2015-2024.csv.gz")
    run("ingest", "sesnsp", path, "--cut", "2024-12")
    result = run("ingest", "sesnsp", path, "--cut", "2024-11")
    assert result.exit_code == 0 and "older cut" in result.output
    vintages = json.loads(run("stats", "vintages", "--format", "json").output)["rows"]
    assert [(v["cut"], v["current"]) for v in vintages] == [("2024-11", False), ("2024-12", True)]


def test_stats_series_prints_csv_with_the_official_totals(stats_env):
    result = run("stats", "series", "--crime", "Feminicidio", "--format", "csv")
    assert result.exit_code == 0, result.output
    row = next(line for line in result.output.splitlines() if line.startswith("2023,"))
    assert row.split(",")[1] == "833"


def test_stats_series_says_whose_population_the_rates_are_per(stats_env):
    import json

    result = run("stats", "series", "--crime", "Feminicidio", "--format", "json")
    assert json.loads(result.output)["rates_per_100k_of"] == "women"


def test_stats_ranking_and_semaforo_and_priority_run(stats_env):
    ranking = run(
        "stats",
        "ranking",
        "--crime",
        "Homicidio doloso",
        "--state",
        "11",
        "--period",
        "2023",
        "--format",
        "json",
    )
    assert ranking.exit_code == 0, ranking.output
    assert json.loads(ranking.output)["rows"][0]["rank_by_lower"] == 1
    light = run("stats", "semaforo", "--crime", "Homicidio doloso", "--state", "11")
    assert light.exit_code == 0 and "status" in light.output
    priority = run("stats", "priority", "--municipality", "11020")
    assert priority.exit_code == 0 and "Homicidio doloso" in priority.output


def test_a_question_the_data_cannot_answer_is_one_clear_line(stats_env):
    result = run("stats", "series", "--crime", "Homicidio doloso", "--from", "2024", "--to", "2026")
    assert result.exit_code == 1
    assert "2026" in result.output and "Traceback" not in result.output


def test_stats_vintages_shows_how_a_year_changed(stats_env):
    result = run(
        "stats", "vintages", "--crime", "Homicidio doloso", "--year", "2023", "--format", "json"
    )
    rows = json.loads(result.output)["rows"]
    assert rows == [{"cut": "2024-11", "total": 25290.0, "months_reported": 12, "change": None}]


def test_stats_quality_compares_state_and_municipal_files(stats_env):
    result = run(
        "stats", "quality", "--crime", "Homicidio doloso", "--year", "2022", "--format", "json"
    )
    rows = json.loads(result.output)["rows"]
    assert rows == [
        {"state": "11", "state_file": 2634.0, "sum_of_municipalities": 2634.0, "difference": 0.0}
    ]


def test_reingesting_the_same_file_and_cut_adds_no_snapshot_and_prune_frees_the_rest(
    empty_warehouse, shared_data
):
    path = shared_data / "sesnsp_municipal" / "guanajuato_homicidios_2020-2025_formato_IDM.csv"
    first = run("ingest", "sesnsp", str(path), "--cut", "2025-11")
    assert first.exit_code == 0, first.output
    assert "unchanged" not in first.output
    again = run("ingest", "sesnsp", str(path), "--cut", "2025-11")
    assert again.exit_code == 0, again.output
    assert "unchanged" in again.output
    files = list((empty_warehouse.root / "snapshots").rglob("*.parquet"))
    assert len(files) == 1 and len(empty_warehouse.manifest().snapshots) == 1
    # Another cut of the same content is a snapshot of its own; prune leaves live cuts alone.
    assert run("ingest", "sesnsp", str(path), "--cut", "2025-12").exit_code == 0
    live = {empty_warehouse.path_of(s) for s in empty_warehouse.manifest().snapshots}
    orphan = empty_warehouse.new_file("sesnsp-crimes-municipal-2015", "2025-11")
    orphan.write_bytes(b"left by a failed import")
    kept = run("warehouse", "prune")
    assert kept.exit_code == 0, kept.output
    assert orphan.exists() and "0 superseded snapshot files removed" in kept.output
    pruned = run("warehouse", "prune", "--grace-minutes", "0")
    assert pruned.exit_code == 0, pruned.output
    assert not orphan.exists() and "1 superseded snapshot files removed" in pruned.output
    assert set((empty_warehouse.root / "snapshots").rglob("*.parquet")) == live
