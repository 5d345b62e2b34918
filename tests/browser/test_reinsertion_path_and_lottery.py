"""On a phone, in Spanish: a case worker runs a woman's path from admission to her 12-month
follow-up after release (an impossible follow-up date is refused in place, a transition task
is marked done); an organization's supervisor adds applicants from a CSV file (a bad file is
refused with its line), runs the lottery, enrolls a winner, and reads the balance and the
effects of the demo's synthetic lottery (outcomes read from the follow-ups)."""

import os
import subprocess
import sys

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

SETUP = """
import datetime as dt, json
import django; django.setup()
from civica.accounts.access import SYSTEM
from civica.accounts.models import User
from civica.organizations.models import Organization
from civica.participants import services as people
from civica.reinsertion import lottery, services
from civica.reinsertion.models import Lottery
from civica.territory.models import Municipality
org, _ = Organization.objects.get_or_create(
    name="Colectivo Reinserción Prueba", kind="civil_society")
place = Municipality.objects.get(cvegeo="09015")
worker, _ = User.objects.get_or_create(username="reinsercion_cw", role="case_worker")
worker.set_password("reinsercion-segura-2024"); worker.save(); worker.organizations.set([org])
boss, _ = User.objects.get_or_create(username="reinsercion_sup", role="supervisor")
boss.set_password("reinsercion-segura-2024"); boss.save()
demo = Lottery.objects.filter(synthetic=True).first()
boss.organizations.set([org] + ([demo.organization] if demo else []))
services.create_facility(actor=SYSTEM, state=place.state, municipality=place,
    name="CERESO Femenil Prueba", kind="women", organizations=[org],
    recordable=["attendance", "certificates", "work_income", "transition"],
    entry_roles=["case_worker", "supervisor"])
def woman(n):
    p = people.register_person(actor=SYSTEM, organization=org, given_names=["Luz", "Marta", "Nora",
        "Olivia", "Pilar", "Raquel", "Sofía", "Tania", "Uma", "Vera", "Wendy", "Ximena"][n],
        family_names=f"Navegador-{n}", birth_date=f"{1990 + n}-02-0{1 + n % 8}", sex="F",
        municipality=place)
    people.record_consent(actor=SYSTEM, person=p, given_by="person", given_on=dt.date(2022, 1, 5),
        participation=True, follow_up=True)
    return p
first = woman(0)
made = lottery.create_lottery(actor=SYSTEM, organization=org, name="Sorteo navegador", places=3,
    strata=["risk_level"])
for n in range(1, 9):
    lottery.add_applicant(actor=SYSTEM, lottery=made, person=woman(n),
        applied_on=dt.date(2024, 5, 2), risk_level="high" if n % 2 else "medium")
late = [woman(9).pid, woman(10).pid]
print(json.dumps({"pid": first.pid, "lottery": made.pk, "demo": demo.pk if demo else None,
    "late": late, "young": woman(11).pid}))
"""


@pytest.fixture(scope="module")
def world(live_site):
    import json

    env = {k: v for k, v in os.environ.items() if not k.startswith(("CIVICA_", "DATABASE_"))}
    env.update(
        CIVICA_HOME=str(live_site["home"]),
        DJANGO_SETTINGS_MODULE=os.environ.get("DJANGO_SETTINGS_MODULE", "civica.settings"),
    )
    done = subprocess.run(
        [sys.executable, "-c", SETUP],
        env=env,
        check=True,
        timeout=300,
        capture_output=True,
        text=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def _log_in(browser, live_site, username):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="es-MX")
    page = context.new_page()
    page.goto(live_site["url"] + "/accounts/login/")
    page.get_by_label("Usuario").fill(username)
    page.get_by_label("Contraseña").fill("reinsercion-segura-2024")
    page.get_by_role("button", name="Iniciar sesión").click()
    return context, page


def _no_overflow(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 392


def test_a_womans_path_from_admission_to_twelve_months(browser, live_site, world, tmp_path):
    context, page = _log_in(browser, live_site, "reinsercion_cw")
    page.get_by_role("navigation").get_by_role("link", name="Reinserción").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reinserción")
    page.get_by_label("Identificador seudónimo").fill(world["pid"])
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text(world["pid"])

    page.get_by_role("link", name="Registrar un ingreso a un centro").click()
    page.get_by_label("Centro").select_option(label="CERESO Femenil Prueba")
    page.get_by_label("Situación jurídica").select_option("sentenced")
    page.get_by_label("Ingreso").fill("2023-01-10")
    page.get_by_label("Liberación prevista").fill("2024-02-01")
    page.get_by_role("button", name="Guardar").click()
    expect(page.get_by_text("CERESO Femenil Prueba")).to_be_visible()

    page.get_by_role("link", name="Iniciar el plan de transición").click()
    page.get_by_label("Iniciado").fill("2023-12-15")
    page.get_by_label("Quién la recibe").fill("Su hermana")
    page.get_by_role("button", name="Guardar").click()
    page.get_by_role("link", name="Agregar una tarea").click()
    page.get_by_label("Área").select_option("id_documents")
    page.get_by_label("Tarea").fill("Tramitar su credencial")
    page.get_by_label("Vence").fill("2024-01-20")
    page.get_by_role("button", name="Guardar").click()
    expect(page.get_by_text("Tramitar su credencial")).to_be_visible()
    page.get_by_label("Hecha el").fill("2024-01-18")
    page.get_by_role("button", name="Marcar como hecho").click()
    expect(page.locator(".messages")).to_contain_text("Tarea marcada como hecha")
    expect(page.get_by_text("hecho 2024-01-18")).to_be_visible()

    page.get_by_role("link", name="Registrar la liberación").click()
    page.get_by_label("Liberación").fill("2022-12-01")  # before the admission
    page.get_by_role("button", name="Guardar").click()
    expect(page.locator(".errorlist")).to_contain_text("anterior al ingreso")
    page.get_by_label("Liberación").fill("2024-02-01")
    page.get_by_role("button", name="Guardar").click()

    page.get_by_role("link", name="Registrar un seguimiento").click()
    page.get_by_label("Meses después de la liberación").select_option("1")
    page.get_by_label("Fecha").fill("2024-01-15")  # before the release
    page.get_by_label("Vivienda").select_option("stable")
    page.get_by_label("Trabajo o estudio").select_option("employed")
    page.get_by_role("button", name="Guardar").click()
    expect(page.locator(".errorlist")).to_contain_text("anterior a la liberación")
    for months, day in (
        ("1", "2024-03-04"),
        ("3", "2024-05-03"),
        ("6", "2024-08-05"),
        ("12", "2025-02-03"),
    ):
        if months != "1":
            page.get_by_role("link", name="Registrar un seguimiento").click()
        page.get_by_label("Meses después de la liberación").select_option(months)
        page.get_by_label("Fecha").fill(day)
        page.get_by_label("Vivienda").select_option("stable")
        page.get_by_label("Trabajo o estudio").select_option("studying")
        page.get_by_label("En contacto con su familia").check()
        page.get_by_role("button", name="Guardar").click()
        expect(page.locator(".messages")).to_contain_text("Guardado")
    rows = page.locator("table.stack").last.locator("tbody tr")
    expect(rows).to_have_count(4)
    expect(rows.last).to_contain_text("Estudia")
    _no_overflow(page)
    page.screenshot(path=str(tmp_path / "path-phone.png"), full_page=True)
    context.close()


def test_a_lottery_drawn_enrolled_and_evaluated(browser, live_site, world, tmp_path):
    context, page = _log_in(browser, live_site, "reinsercion_sup")
    page.goto(live_site["url"] + f"/reinsertion/lotteries/{world['lottery']}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sorteo navegador")
    upload = page.get_by_label("Archivo CSV de postulantes")
    bad = (
        f"pid,applied_on,risk_level\n{world['late'][0]},2024-05-02,high\nP-000000,2024-05-02,high\n"
    )
    upload.set_input_files(
        files=[{"name": "solicitantes.csv", "mimeType": "text/csv", "buffer": bad.encode()}]
    )
    page.get_by_role("button", name="Subir postulantes").click()
    expect(page.locator(".messages")).to_contain_text("línea 3")
    good = "pid,applied_on,risk_level\n" + "".join(f"{p},2024-05-02,high\n" for p in world["late"])
    page.get_by_label("Archivo CSV de postulantes").set_input_files(
        files=[{"name": "solicitantes.csv", "mimeType": "text/csv", "buffer": good.encode()}]
    )
    page.get_by_role("button", name="Subir postulantes").click()
    expect(page.locator(".messages")).to_contain_text("2 postulantes agregados de 2 filas")
    expect(page.get_by_text(world["late"][1])).to_be_visible()
    page.get_by_role("button", name="Realizar el sorteo").click()
    expect(page.locator(".messages")).to_contain_text("Marque la casilla")
    page.get_by_label("Confirmo: sortear ahora").check()
    page.get_by_role("button", name="Realizar el sorteo").click()
    expect(page.locator(".messages")).to_contain_text("semilla")
    expect(page.get_by_text("mismo resultado")).to_be_visible()
    page.get_by_role("button", name="Inscribir", exact=True).first.click()
    expect(page.locator(".messages")).to_contain_text("Guardado")
    _no_overflow(page)
    page.get_by_role("link", name="Balance y efectos").click()
    expect(page.get_by_text("Diferencia estandarizada").first).to_be_visible()
    if world["demo"]:
        page.goto(live_site["url"] + f"/reinsertion/lotteries/{world['demo']}/evaluation/")
        expect(page.get_by_text("Intención de tratar").first).to_be_visible()
        expect(page.get_by_text("Efecto en quienes recibieron el programa").first).to_be_visible()
        expect(page.get_by_text("leídos de los seguimientos de un caso").first).to_be_visible()
        _no_overflow(page)
    page.screenshot(path=str(tmp_path / "evaluation-phone.png"), full_page=True)
    context.close()


def test_a_community_case_opened_on_a_referral_with_a_mentoring_session(
    browser, live_site, world, tmp_path
):
    context, page = _log_in(browser, live_site, "reinsercion_cw")
    page.goto(live_site["url"] + "/reinsertion/")
    page.get_by_role("link", name="Reinserción comunitaria").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reinserción comunitaria")
    page.get_by_label("Identificador seudónimo").fill(world["young"])
    page.get_by_label("Fuente de canalización").select_option("civic_judge")
    page.get_by_label("Inicio").fill("2024-06-03")
    page.get_by_role("button", name="Abrir el expediente").click()
    expect(page.locator(".messages")).to_contain_text("Caso de reinserción comunitaria abierto")
    expect(page.get_by_role("heading", level=1)).to_contain_text(world["young"])
    expect(page.get_by_text("Juez cívico")).to_be_visible()
    page.get_by_role("link", name="Registrar una sesión de mentoría o un servicio").click()
    page.get_by_label("Fecha").fill("2024-06-10")
    page.get_by_role("button", name="Guardar").click()
    expect(page.locator("table.stack")).to_contain_text("Mentoría")
    _no_overflow(page)
    page.screenshot(path=str(tmp_path / "community-phone.png"), full_page=True)
    context.close()
