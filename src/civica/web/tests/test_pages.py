"""Pages: sign-in required, Spanish by default, English on request, empty states."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

PAGES = ["home", "territory:states", "accounts:profile"]


@pytest.mark.parametrize("name", PAGES)
def test_it_sends_anonymous_visitors_to_the_login_page(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_the_dashboard_speaks_spanish_by_default(client, personas):
    client.force_login(personas.analyst_cuauhtemoc)
    body = client.get(reverse("home")).content.decode()
    assert '<html lang="es-mx">' in body
    assert "Tablero" in body
    assert "Cuauhtémoc" in body  # the scope is named


def test_the_language_switch_turns_the_pages_to_english(client, personas):
    client.force_login(personas.analyst_cuauhtemoc)
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    body = client.get(reverse("home")).content.decode()
    assert '<html lang="en">' in body and "Dashboard" in body


def test_the_dashboard_counts_population_in_the_users_scope_only(client, personas):
    client.force_login(personas.analyst_cuauhtemoc)
    body = client.get(reverse("home")).content.decode()
    assert "550,000" in body or "550 000" in body or "550000" in body
    assert "2,000,000" not in body


def test_an_empty_catalogue_says_who_fills_it_and_names_no_command(client, db):
    from civica.testing.personas import make_user

    client.force_login(make_user("vacia", "donor_viewer", nationwide=True))
    body = client.get(reverse("territory:states")).content.decode()
    assert "un administrador de esta instalación carga el catálogo territorial" in body
    assert "civica territory" not in body


def test_the_state_page_lists_its_municipalities_with_missing_boundaries_flagged(client, personas):
    client.force_login(personas.donor)
    body = client.get(reverse("territory:state", args=["02"])).content.decode()
    assert "Ensenada" in body and "Tijuana" in body
    assert "falta" in body  # Ensenada has no boundary


def test_the_municipality_page_draws_the_boundary_and_the_sectors(client, personas):
    client.force_login(personas.analyst_cuauhtemoc)
    body = client.get(reverse("territory:municipality", args=["09015"])).content.decode()
    assert body.count("<path ") == 2
    assert "Sector Cuauhtémoc" in body


def test_static_files_are_served_by_the_app(client, personas):
    client.force_login(personas.donor)
    body = client.get(reverse("home")).content.decode()
    assert "/static/civica/civica.css" in body
    assert "http://" not in body.split("<body")[0] and "https://" not in body.split("<body")[0]


def test_an_english_browser_still_gets_spanish_until_the_person_chooses(client, personas):
    client.force_login(personas.donor)
    body = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="es-mx">' in body


def test_a_saved_preference_applies_without_the_switch(client, personas):
    personas.donor.preferred_language = "en"
    personas.donor.save()
    client.force_login(personas.donor)
    assert '<html lang="en">' in client.get(reverse("home")).content.decode()


def test_the_navigation_offers_only_what_the_role_may_open(client, personas):
    client.force_login(personas.donor)
    body = client.get(reverse("home")).content.decode()
    assert reverse("official:overview") in body
    assert reverse("incidents:layers") not in body
    client.force_login(personas.case_worker)
    body = client.get(reverse("home")).content.decode()
    assert reverse("incidents:layers") in body
    assert reverse("official:overview") not in body


def test_a_civic_judge_is_not_offered_the_caseload_of_organizations_they_do_not_belong_to(
    client, personas
):
    # A judge sees personal data (their juzgado's cases), but the caseload and reinsertion
    # pages hold the persons of one's organizations: for a judge they could only be empty.
    caseload, reinsertion = reverse("participants:caseload"), reverse("reinsertion:home")
    client.force_login(personas.judge_cuauhtemoc)
    body = client.get(reverse("home")).content.decode()
    assert reverse("justice:board") in body
    assert caseload not in body and reinsertion not in body
    client.force_login(personas.case_worker)
    body = client.get(reverse("home")).content.decode()
    assert caseload in body and reinsertion in body
