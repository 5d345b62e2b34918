"""`civica analyze hotspots --permutations N` shows its progress and stores the result by
its inputs: the same command again writes the same cells without computing."""

import json

from click.testing import CliRunner

from civica.cli.main import cli

ARGS = ["--lang", "en", "analyze", "hotspots", "--layer", "sintetico", "--crime", "ROBO"]


def test_the_second_run_reads_the_stored_cells(synthetic_incidents, tmp_path):
    from civica.jobs.models import CachedResult

    first_file, second_file = tmp_path / "a.geojson", tmp_path / "b.geojson"
    first = CliRunner().invoke(
        cli, [*ARGS, "--permutations", "99", "--seed", "3", "--output", str(first_file)]
    )
    assert first.exit_code == 0, first.output
    assert "Gi* with 99 conditional permutations" in first.stderr
    assert CachedResult.objects.filter(kind="incidents.hotspots").count() == 1
    second = CliRunner().invoke(
        cli, [*ARGS, "--permutations", "99", "--seed", "3", "--output", str(second_file)]
    )
    assert "conditional permutations" not in second.stderr
    assert json.loads(second_file.read_text()) == json.loads(first_file.read_text())
    assert (
        sum(c["properties"]["count"] for c in json.loads(first_file.read_text())["features"]) == 10
    )
    # Another seed is another question.
    CliRunner().invoke(
        cli, [*ARGS, "--permutations", "99", "--seed", "4", "--output", str(tmp_path / "c.geojson")]
    )
    assert CachedResult.objects.filter(kind="incidents.hotspots").count() == 2
