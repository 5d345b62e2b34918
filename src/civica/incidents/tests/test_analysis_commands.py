"""`civica analyze` on the synthetic incidents: figures checkable by hand."""

import json

from click.testing import CliRunner

from civica.cli.main import cli


def run(*args):
    return CliRunner().invoke(cli, ["--lang", "en", *args])


def test_hotspots_put_the_ten_robberies_in_one_hot_cell(synthetic_incidents, tmp_path):
    out = tmp_path / "hot.geojson"
    result = run(
        "analyze",
        "hotspots",
        "--layer",
        "sintetico",
        "--crime",
        "ROBO",
        "--cell",
        "500",
        "--output",
        str(out),
    )
    assert result.exit_code == 0, result.output + result.stderr
    cells = json.loads(out.read_text())["features"]
    assert sum(c["properties"]["count"] for c in cells) == 10


def test_concentration_of_two_places(synthetic_incidents):
    result = run(
        "analyze", "concentration", "--layer", "sintetico", "--unit", "sector", "--format", "json"
    )
    data = json.loads(result.stdout)
    assert data["places"] == 8  # the sectors of the two municipalities with incidents
    shares = {row["top_share_of_places"]: row["share_of_incidents"] for row in data["rows"]}
    assert abs(shares[0.25] - 1.0) < 1e-9  # the top 2 of 8 sectors hold everything


def test_near_repeat_counts_pairs_by_band(synthetic_incidents):
    result = run(
        "analyze",
        "near-repeat",
        "--layer",
        "sintetico",
        "--crime",
        "ROBO",
        "--distance-bands",
        "0,1,100,1000",
        "--time-bands",
        "0,2,20",
        "--permutations",
        "99",
        "--format",
        "json",
    )
    assert result.exit_code == 0, result.output + result.stderr
    rows = json.loads(result.stdout)["rows"]
    # 10 events on one line, 22 m and one day apart: 45 pairs in all.
    assert sum(row["observed"] for row in rows) == 45


def test_bands_that_do_not_increase_are_refused_before_any_work(synthetic_incidents):
    result = run(
        "analyze",
        "near-repeat",
        "--layer",
        "sintetico",
        "--crime",
        "ROBO",
        "--time-bands",
        "0,14,7",
    )
    assert result.exit_code == 2 and "increase" in result.stderr


def test_sector_hot_spots_use_touching_sectors_as_neighbours(synthetic_incidents):
    result = run("analyze", "hotspots", "--layer", "sintetico", "--unit", "sector")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("sector_id,name,count,z")
    counts = {line.split(",")[1]: int(line.split(",")[2]) for line in lines[1:]}
    assert counts["Sector A1"] == 10 and counts["Sector D4"] == 5 and sum(counts.values()) == 15


def test_trends_need_more_than_one_year(synthetic_incidents):
    result = run("analyze", "hotspots", "--layer", "sintetico", "--trends")
    assert result.exit_code == 1 and "two calendar years" in result.output


def test_sector_rates_per_1000_residents_a_year(synthetic_incidents):
    result = run(
        "analyze",
        "sectors",
        "--layer",
        "sintetico",
        "--from",
        "2015-01-01",
        "--to",
        "2015-12-31",
        "--format",
        "json",
    )
    rows = {row["name"]: row for row in json.loads(result.stdout)["rows"]}
    # 10 robberies in a year among Sector A1's 20,000 residents: 0.5 per 1,000 a year.
    assert abs(rows["Sector A1"]["per_1000_residents_year"] - 10 / (365 / 365.25) / 20) < 1e-9


def test_the_concentration_curve_runs_from_zero_to_one(synthetic_incidents):
    result = run(
        "analyze",
        "concentration",
        "--layer",
        "sintetico",
        "--unit",
        "sector",
        "--curve",
        "--format",
        "json",
    )
    rows = json.loads(result.stdout)["rows"]
    assert rows[0] == {"share_of_places": 0.0, "share_of_incidents": 0.0}
    assert rows[-1] == {"share_of_places": 1.0, "share_of_incidents": 1.0}
    assert abs(rows[1]["share_of_incidents"] - 10 / 15) < 1e-9  # the busiest sector first


def test_priority_crimes_of_a_sector(synthetic_incidents):
    from civica.territory.models import PopulationEstimate

    assert PopulationEstimate.objects.filter(municipality__cvegeo="99001").exists()
    result = run(
        "analyze", "priority", "--layer", "sintetico", "--sector", "Sector A1", "--format", "json"
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)["rows"]
    assert rows[0]["crime"] == "ROBO" and rows[0]["count"] == 10
    assert "sector's total" in rows[0]["reasons"]


def test_priority_needs_the_sectors_population(synthetic_incidents):
    from civica.territory.models import Sector

    Sector.objects.filter(name="Sector A1").update(population=None)
    result = run("analyze", "priority", "--layer", "sintetico", "--sector", "Sector A1")
    assert result.exit_code == 1 and "--population-field" in result.output
