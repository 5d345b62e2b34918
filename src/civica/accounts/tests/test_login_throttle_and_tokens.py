"""Wrong passwords lock an account and an address out (web and /api/token/); API tokens are
stored as digests, expire, and die with a password change."""

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from civica.accounts import services
from civica.accounts.roles import Role
from civica.testing.personas import PASSWORD, make_user

LOGIN = "/accounts/login/"


@pytest.fixture
def ana(db):
    return make_user("ana", Role.MUNICIPAL_ANALYST)


def _web(client, username, password, ip="10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_after_five_wrong_passwords_the_right_one_is_refused_on_the_web(client, ana, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _web(client, "ana", "wrong-password").status_code == 200  # the form again
    assert _web(client, "ana", "wrong-password").status_code == 429  # the fifth locks
    locked = _web(client, "ana", PASSWORD)
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session
    # From another address the account is locked too.
    assert _web(client, "ana", PASSWORD, ip="10.0.0.2").status_code == 429


def test_an_address_guessing_many_accounts_is_locked_out(client, db, settings):
    for n in range(settings.AXES_FAILURE_LIMIT):
        _web(client, f"nobody{n}", "wrong-password", ip="10.9.9.9")
    make_user("bea", Role.DONOR_VIEWER)
    assert _web(client, "bea", PASSWORD, ip="10.9.9.9").status_code == 429
    assert _web(client, "bea", PASSWORD, ip="10.0.0.3").status_code == 302  # elsewhere: in


def test_a_right_password_before_the_limit_resets_the_count(client, ana, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _web(client, "ana", "wrong-password")
    assert _web(client, "ana", PASSWORD).status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _web(client, "ana", "wrong-password")
    assert _web(client, "ana", PASSWORD).status_code == 302


def test_the_token_endpoint_is_throttled_too(ana, settings):
    api = APIClient(REMOTE_ADDR="10.0.0.4")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert api.post("/api/token/", {"username": "ana", "password": "nope"}).status_code == 400
    assert api.post("/api/token/", {"username": "ana", "password": "nope"}).status_code == 429
    locked = api.post("/api/token/", {"username": "ana", "password": PASSWORD})
    assert locked.status_code == 429
    assert "token" not in locked.json()


def _api_with(token):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return api


def test_a_token_is_stored_as_a_digest_and_expires(ana):
    from knox.models import AuthToken

    token, expiry = services.issue_api_token(user=ana)
    assert _api_with(token).get("/api/me/").status_code == 200
    stored = AuthToken.objects.get(user=ana)
    assert token not in (stored.digest, stored.token_key) and len(stored.digest) == 128
    assert expiry - timezone.now() > dt.timedelta(days=29)
    AuthToken.objects.filter(pk=stored.pk).update(expiry=timezone.now() - dt.timedelta(seconds=1))
    assert _api_with(token).get("/api/me/").status_code == 401


def test_a_password_change_revokes_every_token(ana):
    token = services.api_token(username="ana")
    assert _api_with(token).get("/api/me/").status_code == 200
    services.reset_password(user=ana, password="another-horse-battery-7")
    assert _api_with(token).get("/api/me/").status_code == 401


def test_a_password_changed_on_the_page_revokes_the_tokens(client, ana):
    token = services.api_token(username="ana")
    client.force_login(ana)
    new = "another-horse-battery-7"
    client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert _api_with(token).get("/api/me/").status_code == 401


def test_admin_lists_tokens_without_their_value(client, ana):
    admin_user = make_user("root", Role.ADMINISTRATOR)
    token = services.api_token(username="ana")
    client.force_login(admin_user)
    page = client.get("/admin/knox/authtoken/")
    assert page.status_code == 200 and "ana" in page.content.decode()
    assert token not in page.content.decode()
    assert client.get("/admin/authtoken/tokenproxy/").status_code == 404  # no plain-text keys
