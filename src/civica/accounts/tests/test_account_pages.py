import pytest
from django.urls import reverse

from civica.testing.personas import PASSWORD

pytestmark = pytest.mark.django_db


def test_a_user_changes_their_password_and_the_old_one_stops_working(client, personas):
    client.force_login(personas.analyst_cuauhtemoc)
    response = client.post(
        reverse("accounts:password-change"),
        {
            "old_password": PASSWORD,
            "new_password1": "otra-clave-segura-42",
            "new_password2": "otra-clave-segura-42",
        },
    )
    assert response.status_code == 302
    personas.analyst_cuauhtemoc.refresh_from_db()
    assert personas.analyst_cuauhtemoc.check_password("otra-clave-segura-42")


def test_a_weak_new_password_is_refused_in_spanish(client, personas):
    client.force_login(personas.analyst_cuauhtemoc)
    response = client.post(
        reverse("accounts:password-change"),
        {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
    )
    assert response.status_code == 200
    assert "contraseña" in response.content.decode().lower()
    personas.analyst_cuauhtemoc.refresh_from_db()
    assert personas.analyst_cuauhtemoc.check_password(PASSWORD)


def test_saving_english_as_preference_switches_the_pages(client, personas):
    client.force_login(personas.analyst_cuauhtemoc)
    client.post(
        reverse("accounts:profile"),
        {"first_name": "Ana", "last_name": "", "email": "", "preferred_language": "en"},
    )
    body = client.get(reverse("home")).content.decode()
    assert '<html lang="en">' in body and "Ana" in body
