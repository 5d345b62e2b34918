"""A newcomer takes a hot spot of the real CDMX incidents to an accepted problem, gives it an
owner, attaches its analyses (hot-spot map, near-repeat table, temporal profile), registers
the response as an intervention across two alcaldías, locks its design and reads the
assessment, all through the pages, in Spanish."""

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
PROGRAM = "Corredor seguro en dos alcaldías (navegador)"
# Target sectors are offered with their alcaldía: "NAME · Municipio (layer)".
TARGETS = [
    "CORREDOR-CENTRO · Cuauhtémoc (SSP sectores 2016)",
    "PORTALES · Benito Juárez (SSP sectores 2016)",
]


def test_hot_spot_to_problem_to_response_to_assessment(page, live_site, tmp_path):
    page.set_default_timeout(180_000)  # scanning and analyses on a busy machine
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
    candidate.get_by_label("Prioridad").select_option("medium")
    candidate.get_by_role("button", name="Aceptar").click()
    expect(page.get_by_text("Problema aceptado")).to_be_visible()
    problem_url = page.url
    step = page.locator('li[aria-current="step"]')
    expect(step).to_contain_text("Análisis")
    expect(step).to_contain_text("Analizar")

    # After acceptance: the priority and the owner, chosen among who may work on it.
    page.get_by_role("link", name="Cambiar la prioridad o el responsable").click()
    page.get_by_label("Prioridad").select_option("high")
    owner = page.locator("select[name=owner]")
    page.get_by_placeholder("Escriba para filtrar").fill("monitoreo")
    chosen = owner.evaluate("s => s.selectedOptions[0].text")  # "Full name (username)"
    assert chosen.endswith("(monitoreo)"), chosen
    page.get_by_role("button", name="Guardar").click()
    expect(page.get_by_text("Prioridad y responsable guardados")).to_be_visible()
    facts = page.locator("dl.facts").first
    expect(facts).to_contain_text("Alta")
    expect(facts).to_contain_text(chosen.removesuffix(" (monitoreo)"))

    # The three analyses, each a frozen snapshot on its own page.
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    for kind in ("temporal_profile", "hotspots", "near_repeat"):
        page.goto(problem_url)
        page.get_by_role("link", name="Adjuntar un análisis").click()
        page.get_by_label("Análisis").select_option(kind)
        page.get_by_label("Primer día").fill("2015-01-01")
        page.get_by_label("Último día").fill("2015-12-31")
        page.get_by_role("button", name="Guardar").click()
        expect(page.get_by_text("Análisis adjuntado como instantánea fija")).to_be_visible()
        if kind == "temporal_profile":
            heat = page.get_by_role("heading", name="Hora × día de la semana", exact=True)
            expect(heat).to_be_visible()
        elif kind == "hotspots":
            # The frozen cells drawn by the incident map's own script (never asked again of
            # the server), with their table.
            expect(page.locator(".leaflet-control-layers")).to_contain_text("Gi*")
            expect(page.locator("#incident-map canvas").first).to_be_attached()
            expect(page.locator(".incident-legend")).to_contain_text("Punto caliente")
            assert not [url for url in requested if "hotspots.geojson" in url]
            expect(page.get_by_role("heading", name="Celdas más calientes")).to_be_visible()
        else:
            expect(page.get_by_role("columnheader", name="Distancia (m)")).to_be_visible()
    page.goto(problem_url)
    expect(page.get_by_role("link", name="Mapa de puntos calientes")).to_be_visible()
    page.get_by_role("button", name="Pasar a Respuesta").click()
    expect(step).to_contain_text("Respuesta")

    # The response: an intervention in sectors of two alcaldías.
    page.goto(live_site["url"] + "/interventions/new/")
    page.get_by_label("Municipio donde se realiza").select_option("09015")
    page.get_by_role("button", name="Continuar").click()
    page.get_by_label("Nombre").fill(PROGRAM)
    page.get_by_label("Tipo").select_option("problem_solving")
    sectors = page.get_by_label("Sectores objetivo")
    sectors.select_option(label=TARGETS[0])
    # Hundreds of sectors: typing filters them, and the one already chosen stays chosen.
    page.get_by_placeholder("Escriba para filtrar").fill("portales benito")
    offered = sectors.locator("option").all_text_contents()
    assert TARGETS[1] in offered and TARGETS[0] in offered and len(offered) < 10, offered
    sectors.select_option(label=TARGETS)
    page.get_by_label("Delitos objetivo").fill("ROBO A TRANSEUNTE C.V.")
    page.get_by_label("Fecha de inicio").fill("2015-01-01")
    page.get_by_role("button", name="Guardar").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(PROGRAM)
    expect(page.get_by_text("Cuauhtémoc y Benito Juárez").first).to_be_visible()
    intervention_id = page.url.rstrip("/").rsplit("/", 1)[-1]

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
    page.get_by_label("Intervención").select_option(intervention_id)
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
    expect(step).to_contain_text("Medir")

    # The assessment: the process (a milestone not done) and what changed, in both alcaldías.
    assessment = page.locator("p.headline")
    expect(assessment.first).to_contain_text("no ocurrió como se planeó")
    expect(assessment.nth(1)).to_contain_text("Cuauhtémoc y Benito Juárez")
    expect(assessment.nth(1)).to_contain_text("IC 95%")
    page.screenshot(path=str(tmp_path / "problem.png"), full_page=True)
