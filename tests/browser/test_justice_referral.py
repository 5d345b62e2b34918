"""The diversion referral's edges on a phone, in Spanish, as the demo's people: the judge
refers two measures to the program organization; its case worker declines one with a reason
(the judge reads "Rechazada" and the reason, the organization no longer finds the person)
and accepts the other (the enrollment is in her caseload, the case shows the attendance).
The case-list export is offered to the judge, not to the intake desk.

Screenshots go to ``$CIVICA_SCREENSHOTS`` when it is set (looked at while walking the pages)."""

import re

import pytest

from tests.browser.conftest import keep_screenshot, read_workspace
from tests.browser.test_justice_night import PHONE, _login, _resolved_with_a_measure

pytestmark = pytest.mark.browser

#: The organization of the demo's case worker ("trabajadora"), read from the workspace.
STAFF_ORGANIZATION = """
from django.contrib.auth import get_user_model
user = get_user_model().objects.get(username="trabajadora")
print(json.dumps({"name": user.organizations.order_by("name").first().name}))
"""
NO_SIDEWAYS = "document.documentElement.scrollWidth <= 390"
FOCUSED = "(document.activeElement.textContent || document.activeElement.name || '').trim()"


def _refer(page, url, organization: str, given: str, family: str) -> tuple[str, str]:
    """As the judge: a case resolved with a Medida served with the organization, referred
    with the person's consent. Returns the case's URL and folio."""
    _resolved_with_a_measure(page, url, given, family, organization)
    page.locator("#measure summary").click()
    page.locator("#id_diversion-consent").check()
    with page.expect_navigation():
        page.locator("#measure").get_by_role("button", name="Canalizar").click()
    assert "esperando la respuesta" in page.locator("#measure-answer").inner_text()
    return page.url, page.locator("h1 .code").inner_text()


def _card(page, folio: str):
    """The referral of that case on the organization's page (named by juzgado and folio)."""
    return page.locator("section.card", has_text=re.compile(rf"· {re.escape(folio)}(?!\d)"))


def test_a_referral_declined_and_one_accepted_on_a_phone(browser, live_site):
    url, passwords = live_site["url"], live_site["passwords"]
    assert {"juez", "barandilla", "trabajadora"} <= set(passwords)
    organization = read_workspace(live_site, STAFF_ORGANIZATION)["name"]
    context = browser.new_context(viewport=PHONE, locale="es-MX")
    page = context.new_page()

    # The judge refers two measures; the board offers the judge the case-list export.
    _login(page, url, "juez", passwords["juez"])
    declined_case, declined_folio = _refer(page, url, organization, "Lucía", "Campos Vera")
    keep_screenshot(page, "01-judge-case-waiting")
    assert page.evaluate(NO_SIDEWAYS)
    accepted_case, accepted_folio = _refer(page, url, organization, "Tomás", "Ibarra Gil")
    page.goto(url + "/justice/")
    export = page.get_by_role("button", name="Descargar CSV")
    assert export.count() == 1
    keep_screenshot(page, "02-judge-board-export")
    assert page.evaluate(NO_SIDEWAYS)
    context.clear_cookies()

    # The intake desk reads the board but is offered no file.
    _login(page, url, "barandilla", passwords["barandilla"])
    page.goto(url + "/justice/")
    assert page.get_by_role("button", name="Descargar CSV").count() == 0
    assert page.get_by_text("Exportar la lista de casos").count() == 0
    keep_screenshot(page, "03-intake-board-no-export")
    context.clear_cookies()

    # The organization's case worker: both referrals wait in "Canalizaciones recibidas".
    _login(page, url, "trabajadora", passwords["trabajadora"])
    page.goto(url + "/participants/referrals/")
    assert page.locator("h1").inner_text() == "Canalizaciones recibidas"
    declined = _card(page, declined_folio)
    accepted = _card(page, accepted_folio)
    assert declined.count() == 1 and accepted.count() == 1
    assert "Lucía" in declined.inner_text() and "Juez cívico" in declined.inner_text()
    declined_pid = declined.locator("h2").inner_text()
    accepted_pid = accepted.locator("h2").inner_text()
    keep_screenshot(page, "04-org-referrals-received")
    assert page.evaluate(NO_SIDEWAYS)
    # Every control of a card is reachable from the keyboard, in reading order.
    declined.get_by_label("Vertiente").focus()
    order = []
    for _ in range(3):
        page.keyboard.press("Tab")
        order.append(page.evaluate(FOCUSED))
    assert order == ["Aceptar", "decline_reason", "Rechazar"]
    # The decline button is seen, not only focusable: its text is not the card's white (a
    # link-styled button once was white on white).
    decline = declined.get_by_role("button", name="Rechazar")
    assert decline.is_visible()
    assert decline.evaluate("b => getComputedStyle(b).color") != "rgb(255, 255, 255)"
    labels = declined.locator("dt").all_inner_texts()
    assert labels[:3] == ["Nombre(s)", "Apellidos", "Fecha de nacimiento"]

    # Declining without a reason is refused; with one, it is recorded.
    with page.expect_navigation():
        declined.get_by_role("button", name="Rechazar").click()
    assert "Diga por qué" in page.locator("main").inner_text()
    declined = _card(page, declined_folio)
    declined.get_by_label("Motivo del rechazo").fill("Sin cupo en el taller hasta marzo")
    with page.expect_navigation():
        declined.get_by_role("button", name="Rechazar").click()
    keep_screenshot(page, "05-org-after-decline")
    assert _card(page, declined_folio).count() == 0
    with page.expect_navigation():
        _card(page, accepted_folio).get_by_role("button", name="Aceptar").click()
    assert "la persona ya está inscrita con ustedes" in page.locator("main").inner_text()
    keep_screenshot(page, "06-org-after-accept")

    # The organization no longer finds the declined person; the accepted one is in the
    # caseload.
    page.goto(url + "/participants/")
    caseload = page.locator("main").inner_text()
    assert accepted_pid in caseload and declined_pid not in caseload
    keep_screenshot(page, "07-org-caseload")
    assert page.evaluate(NO_SIDEWAYS)
    page.goto(url + f"/participants/?q={declined_pid}")
    assert "No hay ninguna persona con ese identificador" in page.locator("main").inner_text()
    keep_screenshot(page, "08-org-search-declined")
    missing = page.goto(url + f"/participants/{declined_pid}/")
    assert missing.status == 404
    found = page.goto(url + f"/participants/{accepted_pid}/")
    assert found.status == 200 and "Tomás" in page.locator("main").inner_text()
    context.clear_cookies()

    # The judge reads the answers: "Rechazada" with the reason; the accepted measure's
    # attendance.
    _login(page, url, "juez", passwords["juez"])
    page.goto(declined_case)
    measure = page.locator("#measure").inner_text()
    assert "Canalización: Rechazada" in measure
    assert "Sin cupo en el taller hasta marzo" in measure
    keep_screenshot(page, "09-judge-case-declined")
    assert page.evaluate(NO_SIDEWAYS)
    page.goto(accepted_case)
    assert "Canalización: Aceptada" in page.locator("#measure").inner_text()
    assert "0 de 8 previstas" in page.locator("#attendance").inner_text()
    keep_screenshot(page, "10-judge-case-accepted")
    assert page.evaluate(NO_SIDEWAYS)
    context.close()
