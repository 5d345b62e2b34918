"""An analyst registers an intervention, saves a design, locks it and reads the result,
all through the pages, on the real CDMX incidents."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_statistics_pages import login

pytestmark = pytest.mark.browser


def test_register_design_lock_and_read_the_result(page, live_site, tmp_path):
    login(page, live_site)
    page.goto(live_site["url"] + "/interventions/")
    page.get_by_role("link", name="Nueva intervención").click()
    page.get_by_label("Municipio donde se realiza").select_option("09015")
    page.get_by_role("button", name="Continuar").click()

    page.get_by_label("Nombre").fill("Ejemplo ilustrativo en el navegador")
    page.get_by_label("Tipo").select_option("patrol")
    page.get_by_label("Sectores objetivo").select_option(
        label=[
            f"{name} · Cuauhtémoc (SSP sectores 2016)" for name in ("ASTURIAS", "MIXCALCO-HERALDO")
        ]
    )
    page.get_by_label("Delitos objetivo").fill("ROBO A TRANSEUNTE C.V.")
    page.get_by_label("Fecha de inicio").fill("2015-01-01")
    page.get_by_role("button", name="Guardar").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ejemplo ilustrativo en el navegador")

    page.get_by_role("link", name="Nuevo diseño de evaluación").click()
    page.get_by_label("Capa de incidentes").select_option("cdmx-ssp")
    page.get_by_label("Inicio del periodo antes").fill("2014-01-01")
    page.get_by_label("Fin del periodo antes").fill("2014-12-31")
    page.get_by_label("Inicio del periodo después").fill("2015-01-01")
    page.get_by_label("Fin del periodo después").fill("2015-12-31")
    comparison = ["BUENAVISTA", "TLATELOLCO", "MOCTEZUMA", "NAPOLES", "TACUBAYA", "DEL VALLE"]
    page.get_by_label("Sectores de comparación").select_option(
        label=[f"{name} (SSP sectores 2016)" for name in comparison]
    )
    page.get_by_label("Zona de amortiguamiento (buffer, metros)").fill("500")
    page.get_by_role("button", name="Guardar diseño").click()
    expect(page.get_by_text("Este diseño es un borrador")).to_be_visible()

    page.get_by_role("button", name="Bloquear el diseño y mostrar resultados").click()
    headline = page.locator('p.headline[lang="es"]')
    # Two target sectors that vary a lot: the honest interval includes no change.
    expect(headline).to_contain_text("cambió -41% (IC 95% -71% a +21%)")
    expect(page.locator('p.headline[lang="en"]')).to_contain_text("not distinguishable")
    with page.expect_download() as png:
        page.locator('[data-png="evaluation-chart"]').click()
    saved = tmp_path / png.value.suggested_filename
    png.value.save_as(saved)
    assert saved.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    page.screenshot(path=str(tmp_path / "evaluation.png"), full_page=True)
