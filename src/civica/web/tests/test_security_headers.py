"""Pages and API answers carry a Content-Security-Policy and are never cached."""

from rest_framework.test import APIClient

from civica.accounts import services


def test_a_page_with_personal_scope_is_not_cached_and_has_a_policy(client, personas):
    client.force_login(personas.case_worker)
    response = client.get("/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]


def test_an_api_answer_with_a_token_is_not_cached(personas):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {services.api_token(username='ana')}")
    response = api.get("/api/me/")
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"


def test_the_log_in_page_has_the_policy_too(client, db):
    response = client.get("/accounts/login/")
    assert "Content-Security-Policy" in response and response["Cache-Control"] == "no-store"


def test_tiles_from_the_configured_server_are_allowed(client, personas, settings):
    settings.CIVICA_TILE_URL = "https://tiles.example.org/{z}/{x}/{y}.png"
    client.force_login(personas.admin)
    policy = client.get("/")["Content-Security-Policy"]
    assert "img-src 'self' data: blob: https://tiles.example.org" in policy
