"""A person logs in, reads the dashboard in Spanish, switches to English, and logs out."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def login(page, live_site, username):
    page.goto(live_site["url"] + "/")
    page.get_by_label("Usuario").fill(username)
    page.get_by_label("Contraseña").fill(live_site["passwords"][username])
    page.get_by_role("button", name="Iniciar sesión").click()


def test_an_analyst_logs_in_switches_language_and_sees_the_dashboard(page, live_site, tmp_path):
    page.goto(live_site["url"] + "/")
    assert "/accounts/login/" in page.url
    assert page.locator("html").get_attribute("lang") == "es-mx"

    login(page, live_site, "analista")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tablero")
    assert "Cuauhtémoc" in page.content()  # the demo analyst's scope

    with page.expect_navigation():  # choosing a language submits the switch form
        page.select_option("#language-select", "en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")
    page.screenshot(path=str(tmp_path / "dashboard-en.png"), full_page=True)

    page.get_by_role("link", name="Territory").first.click()
    page.get_by_role("link", name="Ciudad de México").click()
    page.get_by_role("link", name="Cuauhtémoc").click()
    # the boundary, 8 police sectors and 61 cuadrantes (SSP 2016): more than 50 paths, waited
    # for (a count read at once could see the page being left)
    page.locator("figure.map svg path").nth(50).wait_for(state="attached")

    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**/accounts/login/**")


def test_a_wrong_password_is_refused_with_a_message(page, live_site):
    page.goto(live_site["url"] + "/accounts/login/")
    page.get_by_label("Usuario").fill("analista")
    page.get_by_label("Contraseña").fill("not-the-password")
    page.get_by_role("button", name="Iniciar sesión").click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert "/accounts/login/" in page.url


def test_the_login_form_works_from_the_keyboard(page, live_site):
    page.goto(live_site["url"] + "/accounts/login/")
    expect(page.locator("#id_username")).to_be_focused()  # autofocus: no click needed
    page.keyboard.type("analista")
    page.keyboard.press("Tab")
    expect(page.locator("#id_password")).to_be_focused()
    page.keyboard.type(live_site["passwords"]["analista"])
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tablero")
