"""The REST API: token authentication, OpenAPI schema, pagination, same scopes as pages."""

import pytest
from rest_framework.test import APIClient

from civica.accounts import services

pytestmark = pytest.mark.django_db


def test_it_refuses_anonymous_requests(territory):
    assert APIClient().get("/api/states/").status_code in (401, 403)


def test_a_token_from_the_token_endpoint_opens_the_api(personas):
    from civica.testing.personas import PASSWORD

    api = APIClient()
    response = api.post("/api/token/", {"username": "ana", "password": PASSWORD})
    token = response.json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    me = api.get("/api/me/").json()
    assert me["username"] == "ana"
    assert me["role"] == "municipal_analyst"
    assert me["municipalities"] == ["09015"]


def test_the_cli_token_is_the_same_token(personas):
    token = services.api_token(username="ana")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/me/").json()["username"] == "ana"


def test_it_serves_an_openapi_3_schema_listing_the_endpoints(personas):
    api = APIClient()
    api.force_authenticate(personas.donor)
    response = api.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    for path in ["/api/states/", "/api/municipalities/{cvegeo}/", "/api/sectors/", "/api/me/"]:
        assert path in schema["paths"]


def test_the_docs_page_works_offline(client, personas):
    client.force_login(personas.donor)
    body = client.get("/api/docs/").content.decode()
    assert "swagger-ui" in body and "cdn" not in body.lower()


def test_it_filters_municipalities_by_state_and_search(personas):
    api = APIClient()
    api.force_authenticate(personas.donor)
    data = api.get("/api/municipalities/", {"state": "02"}).json()
    assert [m["cvegeo"] for m in data["results"]] == ["02001", "02004"]
    assert data["results"][0]["has_boundary"] is False
    hits = api.get("/api/municipalities/", {"q": "cuauh"}).json()["results"]
    assert [m["name"] for m in hits] == ["Cuauhtémoc"]


def test_a_municipality_comes_with_its_geometry_and_population(personas):
    api = APIClient()
    api.force_authenticate(personas.donor)
    detail = api.get("/api/municipalities/09015/").json()
    assert detail["geometry"]["type"] == "Polygon"
    population = api.get("/api/municipalities/09015/population/").json()
    assert population == [
        {"year": 2024, "total": 550000, "men": 275000, "women": 275000, "source": "CONAPO 2023"}
    ]


def test_it_paginates_lists(personas):
    api = APIClient()
    api.force_authenticate(personas.donor)
    data = api.get("/api/municipalities/").json()
    assert data["count"] == 4 and data["next"] is None and len(data["results"]) == 4
