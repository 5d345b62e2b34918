"""`civica analyze near-repeat` shares the store of the page's jobs: the same question is
answered without computing, `--fresh` computes again; progress goes to standard error."""

import json

from click.testing import CliRunner

from civica.cli.main import cli

ARGS = [
    "--lang",
    "en",
    "analyze",
    "near-repeat",
    "--layer",
    "sintetico",
    "--crime",
    "ROBO",
    "--permutations",
    "99",
    "--format",
    "json",
]


def test_the_second_run_reads_the_stored_table(synthetic_incidents):
    from civica.jobs.models import CachedResult

    first = CliRunner().invoke(cli, ARGS)
    assert first.exit_code == 0, first.output
    assert "Counting pairs close in space and time against 99 permutations" in first.stderr
    stored = CachedResult.objects.get(kind="incidents.near_repeat")
    second = CliRunner().invoke(cli, ARGS)
    assert json.loads(second.stdout) == json.loads(first.stdout)
    assert "Counting pairs" not in second.stderr
    assert CachedResult.objects.get().created_at == stored.created_at
    fresh = CliRunner().invoke(cli, [*ARGS, "--fresh"])
    assert "Counting pairs" in fresh.stderr
    assert json.loads(fresh.stdout) == json.loads(first.stdout)  # seeded: the same table
