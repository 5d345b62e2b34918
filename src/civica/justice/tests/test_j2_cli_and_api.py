"""``civica justice indicators|reincidence`` and the API answer the same aggregates as the
pages, as JSON numbers."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from click.testing import CliRunner
from django.urls import reverse

from civica.cli.main import cli
from civica.justice import analysis
from civica.justice.synthetic import load
from civica.justice.synthetic_book import MunicipalityBook

pytestmark = pytest.mark.django_db

END = dt.datetime(2026, 11, 30, 4, 0)


@pytest.fixture
def book(personas):
    load(end=END, seed=9, books=(MunicipalityBook("09015", 400),))


def test_indicators_on_the_command_line_as_json(book):
    result = CliRunner().invoke(
        cli,
        [
            "justice",
            "indicators",
            "--start",
            "2025-01-01",
            "--end",
            "2025-12-31",
            "--municipality",
            "09015",
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    screened = next(r for r in data["rows"] if r["indicator"] == "screened")
    figure = analysis.figure(
        "screened", municipality_ids=None, start=dt.date(2025, 1, 1), end=dt.date(2025, 12, 31)
    )
    assert screened["numerator"] == figure.total.numerator
    assert screened["value"] == pytest.approx(figure.total.value, abs=0.01)


def test_reincidence_on_the_command_line_as_json(book):
    result = CliRunner().invoke(
        cli,
        [
            "justice",
            "reincidence",
            "--start",
            "2024-01-01",
            "--end",
            "2024-12-31",
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    every = next(
        r
        for r in data["rows"]
        if r["group"] == "*" and r["window_months"] == 12 and r["measure"] == "reincidence"
    )
    assert every["observed"] + every["under_observation"] == every["persons"]
    assert 0 <= every["share"] <= 1
    assert any("not an effect" in n or "no un efecto" in n for n in data["notes"])
    assert data["curves"] and data["curves"][0]["at_risk"][0]["month"] == 0
    table = CliRunner().invoke(
        cli, ["justice", "reincidence", "--start", "2024-01-01", "--end", "2024-12-31"]
    )
    assert table.exit_code == 0 and "window_months" in table.output


def test_the_api_answers_numbers_in_the_user_s_scope(client, personas, book):
    client.force_login(personas.analyst_cuauhtemoc)
    url = reverse("api:justice-indicators") + "?start=2025-01-01&end=2025-12-31&by=sex"
    data = client.get(url).json()
    screened = next(r for r in data["indicators"] if r["indicator"] == "screened")
    assert screened["total"]["denominator"] > 0 and screened["groups"]
    reincidence = client.get(
        reverse("api:justice-reincidence") + "?start=2024-01-01&end=2024-12-31"
    ).json()
    assert reincidence["rows"] and reincidence["notes"]
    client.force_login(personas.analyst_tijuana)
    other = client.get(url).json()
    assert all(r["total"]["denominator"] in (0, None) for r in other["indicators"][1:])
    assert client.get(url + "&municipality=09015").status_code == 404
