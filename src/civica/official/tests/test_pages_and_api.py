"""The statistics pages and API answer from the same selectors, with empty states."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from civica.testing.personas import make_user


@pytest.fixture
def analyst(stats_env):
    return make_user("ana", "analyst", nationwide=True)


def test_the_overview_draws_the_national_chart_and_the_state_map(client, analyst):
    client.force_login(analyst)
    body = client.get(reverse("official:overview")).content.decode()
    assert "<svg" in body and 'data-png="chart-national"' in body
    assert "Homicidio doloso" in body and "Colima" in body  # the ranking table


def test_the_municipal_profile_explains_priority_crimes(client, analyst):
    client.force_login(analyst)
    response = client.get(reverse("official:profile", args=["11020"]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "León" in body and "Homicidio doloso" in body
    assert "2024-12" in body and "2025-11" in body  # the 12-month window
    assert 'data-png="chart-0"' in body  # every chart can be saved as PNG


def test_the_chart_data_downloads_as_csv(client, analyst):
    client.force_login(analyst)
    response = client.get(
        reverse("official:series-csv"), {"crime": "Homicidio doloso", "state": "11"}
    )
    lines = response.content.decode().splitlines()
    assert lines[1].startswith("period,count,population,rate_per_100k")
    row_2023 = next(line for line in lines if line.startswith("2023,"))
    assert row_2023.split(",")[1] == "2581"


def test_a_donor_viewer_reads_statistics_but_a_case_worker_does_not(client, stats_env):
    client.force_login(make_user("dona", "donor_viewer", nationwide=True))
    assert client.get(reverse("official:overview")).status_code == 200
    client.force_login(make_user("caso", "case_worker", municipalities=[]))
    assert client.get(reverse("official:overview")).status_code == 403


def test_the_api_series_matches_the_official_total(analyst):
    api = APIClient()
    api.force_authenticate(analyst)
    data = api.get(
        "/api/statistics/series/", {"crime": "Homicidio doloso", "measure": "victims"}
    ).json()
    rows = {row["period"]: row for row in data["rows"]}
    assert rows["2023"]["count"] == 29_714


def test_the_api_ranking_validates_the_period(analyst):
    api = APIClient()
    api.force_authenticate(analyst)
    assert api.get("/api/statistics/ranking/", {"period": "2023-13"}).status_code == 400
    ok = api.get("/api/statistics/ranking/", {"period": "2023", "crime": "Feminicidio"})
    assert ok.status_code == 200 and len(ok.json()["rows"]) == 32


def test_pages_say_how_to_load_data_when_the_warehouse_is_empty(client, db, settings, tmp_path):
    settings.CIVICA_WAREHOUSE_DIR = str(tmp_path)
    client.force_login(make_user("vacio", "analyst", nationwide=True))
    body = client.get(reverse("official:overview")).content.decode()
    assert "una persona administradora carga el archivo" in body
    assert "civica ingest" not in body  # a web user is told who loads data, not a command


def test_the_overview_names_the_catalogue_and_shows_the_2026_one_apart(client, analyst):
    """With the 2015 and the RNID 2026 files loaded, the overview stays on the 2015 catalogue
    (years 2015–2024, ranking of 2023) and says so; the RNID catalogue opens on its own, its
    ranking over the months reported (January–March 2026), and a state without a municipal
    RNID file still shows its series with a note instead of failing."""
    client.force_login(analyst)
    body = client.get(reverse("official:overview")).content.decode()
    assert "Catálogo que se muestra: catálogo de la metodología 2015 (2015–2025)." in body
    assert "Años 2015–2024." in body and "Entidades por tasa, 2023" in body
    assert "?catalogue=rnid2026" in body
    assert "sesnsp-crimes-state-2015" not in body  # the source in words, not its identifier
    assert "corte 2024-11" in body

    body = client.get(reverse("official:overview"), {"catalogue": "rnid2026"}).content.decode()
    assert "Catálogo que se muestra: catálogo RNID (desde 2026)." in body
    assert "Año 2026." in body and "Entidades por tasa, 2026 (" in body
    assert "corte 2026-03" in body and "Colima" in body

    response = client.get(
        reverse("official:overview"),
        {"catalogue": "rnid2026", "state": "11"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Año 2026." in body and 'data-png="chart-national"' in body
    assert "Aún no se han cargado delitos por municipio, catálogo RNID (desde 2026)" in body

    csv = client.get(
        reverse("official:series-csv"), {"crime": "Homicidio doloso", "catalogue": "rnid2026"}
    ).content.decode()
    assert "rnid2026 2026-03" in csv.splitlines()[0]
    assert csv.splitlines()[2].startswith("2026,")
