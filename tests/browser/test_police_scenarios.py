"""A think-tank analyst opens Mexicali's official police figures, builds two financing
scenarios, saves them and compares them side by side, then takes the table as CSV."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def login(page, live_site, username="admin"):
    page.goto(live_site["url"] + "/accounts/login/")
    page.get_by_label("Usuario").fill(username)
    page.get_by_label("Contraseña").fill(live_site["passwords"][username])
    page.get_by_role("button", name="Iniciar sesión").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tablero")


def test_build_save_and_compare_scenarios(page, live_site, tmp_path):
    login(page, live_site)
    page.goto(live_site["url"] + "/police/municipalities/02002/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Mexicali")
    expect(page.locator('#staff [data-figure="police"]')).to_have_text("1,965")
    page.get_by_role("link", name="Escenarios de financiamiento").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Escenarios de financiamiento")
    # Starting values come from INEGI's census: 1,965 police and commanders.
    expect(page.locator("#id_current_officers")).to_have_value("1965")

    page.locator("#id_ratio_per_1000").fill("1.8")
    page.locator("#id_years").fill("4")
    page.get_by_role("button", name="Calcular").click()
    expect(page.locator("table.plan tbody tr")).to_have_count(4)

    page.locator("#id_name").fill("Razón 1.8")
    page.get_by_role("button", name="Guardar").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Razón 1.8")

    page.goto(live_site["url"] + "/police/municipalities/02002/scenarios/")
    page.locator("#id_name").fill("Llamadas 90 % en 10 min")
    page.locator('input[name="target"][value="calls"]').check()
    page.locator("#id_calls_per_hour").fill("12")
    page.get_by_role("button", name="Guardar").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Llamadas 90 % en 10 min")

    page.goto(live_site["url"] + "/police/municipalities/02002/scenarios/")
    for box in page.locator('#compare-form input[type="checkbox"]').all():
        box.check()
    page.get_by_role("button", name="Comparar lado a lado").click()
    expect(page.locator("#comparison thead")).to_contain_text("Razón 1.8")
    expect(page.locator("#comparison thead")).to_contain_text("Llamadas 90 % en 10 min")
    expect(page.locator("#chart-gap svg")).to_be_visible()

    with page.expect_download() as download:
        page.get_by_role("link", name="Tabla (CSV)").click()
    saved = tmp_path / "escenarios.csv"
    download.value.save_as(saved)
    lines = saved.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("scenario,year,population,needed")
    assert len(lines) == 1 + 4 + 5  # four years and the default five


def test_edit_a_saved_scenario_and_see_a_conflicting_edit(page, live_site):
    """Two tabs open the same saved scenario's edit page; the first save wins, the second
    shows what differs and writes nothing until it is saved again from that page."""
    login(page, live_site)
    page.goto(live_site["url"] + "/police/municipalities/02002/scenarios/")
    page.locator("#id_name").fill("Para editar")
    page.get_by_role("button", name="Guardar").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Para editar")
    page.get_by_role("link", name="Editar el escenario").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Editar el escenario")
    other = page.context.new_page()
    other.goto(page.url)

    page.locator("#id_ratio_per_1000").fill("2.2")
    page.get_by_role("button", name="Guardar").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Para editar")

    other.locator("#id_ratio_per_1000").fill("1.5")
    other.get_by_role("button", name="Guardar").click()
    expect(other.locator("#conflict")).to_contain_text("Alguien guardó este escenario")
    expect(other.locator("#conflict")).to_contain_text("2.20")
    page.reload()
    expect(page.locator("#id_ratio_per_1000")).to_have_count(0)  # the scenario's own page
    page.goto(other.url)
    expect(page.locator("#id_ratio_per_1000")).to_have_value("2.20")

    other.get_by_role("button", name="Guardar").click()  # from the conflict page: kept
    expect(other.get_by_role("heading", level=1)).to_have_text("Para editar")
    page.reload()
    expect(page.locator("#id_ratio_per_1000")).to_have_value("1.50")
