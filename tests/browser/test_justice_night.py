"""A night at the juzgado cívico on a phone, in Spanish: the intake desk presents a person,
the judge records the medical certificate, the tamizaje, the hearing and the resolution."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
OVERFLOW = "document.documentElement.scrollWidth - window.innerWidth"


def _login(page, url, username, password):
    page.goto(url + "/accounts/login/")
    page.get_by_label("Usuario").fill(username)
    page.get_by_label("Contraseña").fill(password)
    page.get_by_role("button", name="Iniciar sesión").click()
    page.wait_for_url(url + "/")


def _now() -> str:
    return dt.datetime.now(ZoneInfo("America/Mexico_City")).strftime("%Y-%m-%dT%H:%M")


def _save_stage(page, stage: str, values: dict, selects: dict | None = None):
    section = page.locator(f"#stage-{stage}")
    if section.get_attribute("open") is None:
        section.locator("summary").click()
    for field, value in values.items():
        page.locator(f"#id_{stage}-{field}").fill(value)
    for field, value in (selects or {}).items():
        select = page.locator(f"#id_{stage}-{field}")
        # A dict chooses by label (an organization's name), a string by value.
        select.select_option(**value) if isinstance(value, dict) else select.select_option(value)
    with page.expect_navigation():
        section.get_by_role("button", name="Guardar").click()
    assert page.locator(".errorlist").count() == 0, page.locator("main").inner_text()


def test_a_night_from_intake_to_resolution(browser, live_site):
    url, passwords = live_site["url"], live_site["passwords"]
    assert {"juez", "barandilla"} <= set(passwords), "the demo makes the juzgado's accounts"
    context = browser.new_context(viewport=PHONE, locale="es-MX")
    page = context.new_page()

    # The intake desk: names, the two times (filled with now) and the falta, by keyboard.
    _login(page, url, "barandilla", passwords["barandilla"])
    page.get_by_role("link", name="Juzgado cívico").first.click()
    # The board is measured once it has loaded: mid-navigation the document has no root.
    page.wait_for_url(url + "/justice/")
    assert page.evaluate(OVERFLOW) <= 1
    page.get_by_role("link", name="Nueva presentación").first.click()
    page.get_by_label("Nombre(s)").fill("Pedro")
    page.get_by_label("Apellidos").fill("Sánchez Ruiz")
    page.get_by_label("Fecha de nacimiento").fill("1994-05-06")
    page.get_by_label("Faltas").select_option(index=24)
    page.get_by_label("Folio del RND").fill("RND-2026-0001")
    assert page.evaluate(OVERFLOW) <= 1
    page.get_by_label("Folio del RND").press("Enter")
    page.wait_for_url(url + "/justice/cases/*/")
    case_url = page.url
    assert "Expediente" in page.locator("h1").inner_text()
    assert "Certificado médico" in page.locator("#stage").inner_text()
    folio = page.locator("h1 .code").inner_text()
    page.goto(url + "/justice/")
    assert folio in page.locator("#board").inner_text()
    context.clear_cookies()

    # The judge: medical certificate, tamizaje, hearing and resolution.
    _login(page, url, "juez", passwords["juez"])
    page.goto(case_url)
    now = _now()
    _save_stage(page, "medical", {"medical_at": now}, {"intoxication": "alcohol", "fit": "true"})
    _save_stage(page, "screening", {"screened_at": now}, {"risk_level": "low"})
    assert "Audiencia" in page.locator("#stage").inner_text()
    _save_stage(page, "hearing", {"hearing_started_at": now, "hearing_ended_at": now})
    _save_stage(
        page,
        "resolution",
        {"resolved_at": now},
        {"responsible": "true", "sanction": "amonestacion"},
    )
    facts = page.locator("main").inner_text()
    assert "Amonestación" in facts and "Seguimiento" in page.locator("#stage").inner_text()
    assert "Resolución" in page.locator(".timeline").inner_text()
    assert page.evaluate(OVERFLOW) <= 1
    page.goto(url + "/justice/")
    assert folio not in page.locator("main").inner_text()
    context.close()


def _resolved_with_a_measure(page, url, given: str, family: str, organization: str) -> None:
    """As the judge: a new case from intake to a resolution with a Medida (MMCC) of eight
    sessions served with ``organization``; the page is left on the case."""
    page.goto(url + "/justice/intake/")
    page.get_by_label("Nombre(s)").fill(given)
    page.get_by_label("Apellidos").fill(family)
    page.get_by_label("Fecha de nacimiento").fill("2001-07-09")
    page.get_by_label("Faltas").select_option(index=24)
    page.get_by_label("Apellidos").press("Enter")
    page.wait_for_url(url + "/justice/cases/*/")
    now = _now()
    _save_stage(page, "medical", {"medical_at": now}, {"fit": "true"})
    _save_stage(page, "screening", {"screened_at": now}, {"risk_level": "medium"})
    _save_stage(page, "hearing", {"hearing_started_at": now, "hearing_ended_at": now})
    _save_stage(
        page,
        "resolution",
        {"resolved_at": now, "measure": "Taller de convivencia", "measure_sessions": "8"},
        {
            "responsible": "true",
            "sanction": "mmcc",
            "measure_organization": {"label": organization},
        },
    )


def test_a_measure_diverts_the_person_to_a_program_organization(browser, live_site):
    """The judge resolves with a Medida (MMCC) served with a program organization, records the
    consent and refers the person; the case then shows the measure's attendance."""
    url, passwords = live_site["url"], live_site["passwords"]
    context = browser.new_context(viewport=PHONE, locale="es-MX")
    page = context.new_page()
    _login(page, url, "juez", passwords["juez"])
    _resolved_with_a_measure(page, url, "Iván", "Ruiz Soto", "Red Comunitaria de Prevención (demo)")
    measure = page.locator("#measure")
    assert "Medida (MMCC)" in measure.inner_text()
    measure.locator("summary").click()
    with page.expect_navigation():  # no consent recorded: refused, nothing referred
        measure.get_by_role("button", name="Canalizar").click()
    assert "Registre el consentimiento" in page.locator("#measure").inner_text()
    page.locator("#id_diversion-consent").check()
    with page.expect_navigation():
        page.locator("#measure").get_by_role("button", name="Canalizar").click()
    # A referral the organization answers in its "referrals received": the case waits.
    answer = page.locator("#measure-answer").inner_text()
    assert "Red Comunitaria de Prevención (demo)" in answer
    assert "esperando la respuesta de la organización" in answer
    assert page.locator("#attendance").count() == 0
    assert page.evaluate(OVERFLOW) <= 1
    context.close()
