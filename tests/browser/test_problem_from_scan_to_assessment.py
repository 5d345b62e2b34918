"""A newcomer takes a hot spot of the real CDMX incidents to an accepted problem, attaches
its analyses, registers a response across two alcaldías, locks its design and reads the
assessment, all through the pages."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_statistics_pages import login

pytestmark = pytest.mark.browser

CHEERS = (
    "Comunidad: la población lo vive",
    "Daño: causa daño a personas o bienes",
    "Expectativa: la población espera que la policía actúe",
    "Eventos: se compone de eventos que pueden contarse",
    "Recurrente: los eventos se repiten",
    "Similitud: los eventos se parecen (agresor, víctima, lugar, hora)",
)


def test_hot_spot_to_problem_to_response_to_assessment(page, live_site, tmp_path):
    page.set_default_timeout(120_000)  # scanning and analyses on a busy machine
    login(page, live_site)
    page.goto(live_site["url"] + "/problems/")
    page.get_by_role("link", name="Identificar problemas").click()
    page.get_by_label("Capa de incidentes").select_option("cdmx-ssp")
    page.get_by_role("button", name="Identificar", exact=True).click()

    candidate = page.locator("article.candidate", has_text="Punto caliente").first
    expect(candidate).to_be_visible()
    candidate.locator("summary").click()
    for label in CHEERS:
        candidate.get_by_label(label).check()
    candidate.get_by_label("Prioridad").select_option("high")
    candidate.get_by_role("button", name="Aceptar").click()
    expect(page.get_by_text("Problema aceptado")).to_be_visible()
    problem_url = page.url
    expect(page.locator('li[aria-current="step"]')).to_contain_text("Análisis")
    expect(page.locator('li[aria-current="step"]')).to_contain_text("Analizar")

    for kind, shown in (
        ("temporal_profile", page.get_by_role("heading", name="Hora × día de la semana")),
        ("hotspots", page.get_by_role("columnheader", name="Incidentes en la celda")),
    ):
        page.goto(problem_url)
        page.get_by_role("link", name="Adjuntar un análisis").click()
        page.get_by_label("Análisis").select_option(kind)
        page.get_by_role("button", name="Guardar").click()
        expect(shown).to_be_visible()
    page.goto(problem_url)
    page.get_by_role("button", name="Pasar a Respuesta").click()
    expect(page.locator('li[aria-current="step"]')).to_contain_text("Respuesta")

    # The response: an intervention in sectors of two alcaldías.
    page.goto(live_site["url"] + "/interventions/new/?municipality=09015")
    page.get_by_label("Nombre").fill("Corredor seguro en dos alcaldías (navegador)")
    page.get_by_label("Tipo").select_option("problem_solving")
    page.get_by_label("Sectores objetivo").select_option(
        label=[f"{name} (SSP sectores 2016)" for name in ("CORREDOR-CENTRO", "PORTALES")]
    )
    page.get_by_label("Delitos objetivo").fill("ROBO A TRANSEUNTE C.V.")
    page.get_by_label("Fecha de inicio").fill("2015-01-01")
    page.get_by_role("button", name="Guardar").click()
    expect(page.get_by_text("Cuauhtémoc y Benito Juárez")).to_be_visible()
    intervention_url = page.url

    page.get_by_role("link", name="Nuevo diseño de evaluación").click()
    page.get_by_label("Capa de incidentes").select_option("cdmx-ssp")
    page.get_by_label("Inicio del periodo antes").fill("2014-01-01")
    page.get_by_label("Fin del periodo antes").fill("2014-12-31")
    page.get_by_label("Inicio del periodo después").fill("2015-01-01")
    page.get_by_label("Fin del periodo después").fill("2015-12-31")
    page.get_by_label("Sectores de comparación").select_option(
        label=[f"{name} (SSP sectores 2016)" for name in ("ANGEL-ZONA ROSA", "NAPOLES", "ARENAL")]
    )
    page.get_by_role("button", name="Guardar diseño").click()
    page.get_by_role("button", name="Bloquear el diseño y mostrar resultados").click()
    expect(page.locator('p.headline[lang="es"]')).to_contain_text("Cuauhtémoc y Benito Juárez")

    page.goto(problem_url)
    page.get_by_role("link", name="Nueva respuesta").click()
    page.get_by_label("Intervención").select_option(
        label="Corredor seguro en dos alcaldías (navegador)"
    )
    page.get_by_label("Técnica situacional").select_option("natural_surveillance")
    page.get_by_label("Responsable").fill("Jefe de sector")
    page.get_by_label("Fecha de inicio").fill("2015-01-01")
    page.get_by_role("button", name="Guardar").click()
    expect(page.get_by_text("Respuesta guardada")).to_be_visible()
    page.get_by_role("link", name="Planear un hito").click()
    page.get_by_label("Hito").fill("Luminarias reparadas")
    page.get_by_label("Planeado").fill("2015-02-01")
    page.get_by_role("button", name="Guardar").click()
    page.get_by_role("button", name="Pasar a Evaluación").click()
    expect(page.locator('li[aria-current="step"]')).to_contain_text("Medir")

    assessment = page.locator("p.headline")
    expect(assessment.first).to_contain_text("no ocurrió como se planeó")
    expect(assessment.nth(1)).to_contain_text("Cuauhtémoc y Benito Juárez")
    assert intervention_url
    page.screenshot(path=str(tmp_path / "problem.png"), full_page=True)
