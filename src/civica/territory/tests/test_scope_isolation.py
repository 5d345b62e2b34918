"""A municipal analyst sees nothing of another municipality's records: pages, API, exports
and search alike."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from civica.audit.models import Action, AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def tijuana_client(client, personas):
    client.force_login(personas.analyst_tijuana)
    return client


def test_it_returns_404_for_another_municipalitys_sector_page(tijuana_client, territory):
    other = territory.sectors["09015"]
    own = territory.sectors["02004"]
    assert tijuana_client.get(reverse("territory:sector", args=[own.pk])).status_code == 200
    assert tijuana_client.get(reverse("territory:sector", args=[other.pk])).status_code == 404


def test_it_hides_another_municipalitys_sectors_on_its_page(tijuana_client, territory):
    response = tijuana_client.get(reverse("territory:municipality", args=["09015"]))
    assert response.status_code == 200
    assert "Sector Cuauhtémoc" not in response.content.decode()


def test_it_exports_no_sector_of_another_municipality(tijuana_client, territory):
    for fmt in ("geojson", "csv"):
        response = tijuana_client.get(reverse("territory:sectors-export", args=["09015", fmt]))
        assert response.status_code == 200
        assert "Sector Cuauhtémoc" not in response.content.decode()
    own = tijuana_client.get(reverse("territory:sectors-export", args=["02004", "geojson"]))
    assert own.json()["features"][0]["properties"]["name"] == "Sector Tijuana"


def test_it_finds_no_other_municipalitys_sector_in_search(tijuana_client, territory):
    response = tijuana_client.get(reverse("territory:states"), {"q": "Sector"})
    body = response.content.decode()
    assert "Sector Tijuana" in body
    assert "Sector Cuauhtémoc" not in body and "Sector Coyoacán" not in body


def test_it_returns_404_through_the_api_and_lists_only_own_sectors(personas, territory):
    api = APIClient()
    api.force_authenticate(personas.analyst_tijuana)
    other = territory.sectors["09015"]
    assert api.get(f"/api/sectors/{other.pk}/").status_code == 404
    names = [s["name"] for s in api.get("/api/sectors/").json()["results"]]
    assert names == ["Sector Tijuana"]
    assert api.get("/api/sectors/", {"municipality": "09015"}).json()["count"] == 0


def test_a_state_analyst_sees_every_municipality_of_the_state_and_no_other(personas, territory):
    api = APIClient()
    api.force_authenticate(personas.state_analyst_cdmx)
    names = sorted(s["name"] for s in api.get("/api/sectors/").json()["results"])
    assert names == ["Sector Coyoacán", "Sector Cuauhtémoc"]


def test_an_administrator_sees_every_sector(personas, territory):
    api = APIClient()
    api.force_authenticate(personas.admin)
    assert api.get("/api/sectors/").json()["count"] == 3


def test_a_donor_viewer_cannot_export_and_the_refusal_is_not_an_export(client, personas):
    client.force_login(personas.donor)
    response = client.get(reverse("territory:sectors-export", args=["09015", "csv"]))
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action=Action.EXPORT).exists()


def test_every_export_is_audited(tijuana_client, personas):
    tijuana_client.get(reverse("territory:sectors-export", args=["02004", "csv"]))
    event = AuditEvent.objects.get(action=Action.EXPORT)
    assert event.actor == personas.analyst_tijuana
    assert event.detail == {"format": "csv", "rows": 1}
    assert event.ip_address == "127.0.0.1"


def test_a_user_without_scope_sees_no_sector(client, territory):
    from civica.testing.personas import make_user

    nobody = make_user("nadie", "municipal_analyst")
    client.force_login(nobody)
    for sector in territory.sectors.values():
        assert client.get(reverse("territory:sector", args=[sector.pk])).status_code == 404
