"""The near-repeat page and command say how many cells pass by chance, offer the
Benjamini–Hochberg correction across the table, and show "—" where no pair can fall.

Municipio A's ten robberies lie on one line 22 m apart, one a day for ten days: every pair is
1–200 m and 1–9 days apart. Of the default 6 distance × 8 time bands, only 1–200 m × 0–7 and
× 7–14 days can hold a pair under any permutation of the times, so 2 cells are tested and
0.05 × 2 = 0.1 cells are expected below p = 0.05 by chance; the same-location band (0–1 m)
and the other 44 cells have no test.
"""

import json

from click.testing import CliRunner
from django.urls import reverse

from civica.cli.main import cli

NO_TEST = '<td class="num">—</td><td class="num">—</td></tr>'


def _page(client, url, params):
    """The page once its background job has run (the first request starts it)."""
    from civica.jobs.testing import run_queued_jobs

    client.get(url, params)
    run_queued_jobs()
    return client.get(url, params)


def test_cells_without_a_pair_show_a_dash_not_p_one(client, analyst_a):
    client.force_login(analyst_a)
    url = reverse("incidents:near-repeat", args=["sintetico"])
    response = _page(client, url, {"crime": "ROBO", "quick": "1"})
    body = response.content.decode()
    assert body.count(NO_TEST) == 46


def test_the_page_says_how_many_cells_pass_by_chance(client, analyst_a):
    client.force_login(analyst_a)
    url = reverse("incidents:near-repeat", args=["sintetico"])
    spanish = _page(client, url, {"crime": "ROBO", "quick": "1"}).content.decode()
    assert "2 celdas con prueba" in spanish and "unas 0.1 mostrarían p ≤ 0.05" in spanish
    assert "corrección de Benjamini–Hochberg" in spanish
    analyst_a.preferred_language = "en"
    analyst_a.save()
    body = _page(client, url, {"crime": "ROBO", "quick": "1", "adjust": "none"}).content.decode()
    assert "2 cells tested" in body and "about 0.1 would show p ≤ 0.05 by chance" in body
    assert "unadjusted p ≤ 0.05" in body


def test_the_command_gives_q_values_and_the_cells_expected_by_chance(synthetic_incidents):
    result = CliRunner().invoke(
        cli,
        [
            "--lang", "en", "analyze", "near-repeat", "--layer", "sintetico", "--crime", "ROBO",
            "--permutations", "99", "--format", "json",
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output + result.stderr
    data = json.loads(result.stdout)
    assert data["cells_tested"] == 2 and abs(data["expected_by_chance_at_0_05"] - 0.1) < 1e-12
    same_place = [row for row in data["rows"] if row["distance_to"] == 1]
    assert len(same_place) == 8
    assert all(row["p_value"] is None and row["q_value"] is None for row in same_place)
    assert "2 cells tested" in result.stderr
