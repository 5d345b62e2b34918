"""A case worker registers a person on a phone-sized screen, records the guardian's consent,
applies a screening instrument and sees the result on the person's timeline."""

import os
import subprocess
import sys

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

SETUP = """
import django; django.setup()
from civica.accounts.models import User
from civica.organizations.models import Organization
from civica.participants.models import Instrument
org, _ = Organization.objects.get_or_create(name="Fundación Prueba", kind="civil_society")
user, _ = User.objects.get_or_create(username="caso_prueba", role="case_worker")
user.set_password("caso-seguro-2024-x"); user.save(); user.organizations.set([org])
Instrument.objects.get_or_create(code="tamiz", version=1, defaults={"name": "Tamizaje breve",
    "definition": {"scales": [{"code": f"E{n}", "label": f"Escala {n}", "items": [f"e{n}"],
    "threshold": 2} for n in range(1, 4)], "eligibility": {"min_scales": 2},
    "answers": {"min": 0, "max": 3}}})
"""


@pytest.fixture(scope="module")
def case_worker(live_site):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CIVICA_", "DATABASE_"))}
    env.update(
        CIVICA_HOME=str(live_site["home"]),
        DJANGO_SETTINGS_MODULE=os.environ.get("DJANGO_SETTINGS_MODULE", "civica.settings"),
    )
    subprocess.run([sys.executable, "-c", SETUP], env=env, check=True, timeout=120)
    return "caso_prueba", "caso-seguro-2024-x"


def test_register_consent_and_screen_on_a_phone(browser, live_site, case_worker, tmp_path):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="es-MX")
    page = context.new_page()
    page.goto(live_site["url"] + "/accounts/login/")
    page.get_by_label("Usuario").fill(case_worker[0])
    page.get_by_label("Contraseña").fill(case_worker[1])
    page.get_by_role("button", name="Iniciar sesión").click()
    page.get_by_role("navigation").get_by_role("link", name="Casos").click()
    page.get_by_role("link", name="Registrar a una persona").click()

    # An empty form is refused with messages next to the fields.
    page.get_by_role("button", name="Registrar").click()
    expect(page.locator(".errorlist").first).to_be_visible()

    page.get_by_label("Nombre(s)").fill("Itzel")
    page.get_by_label("Apellidos").fill("Prueba Navegador")
    page.get_by_label("Fecha de nacimiento").fill("2010-03-04")
    page.get_by_label("Sexo").select_option("F")
    page.get_by_label("Municipio de residencia").select_option(
        label="Cuauhtémoc (Ciudad de México)"
    )
    page.get_by_role("button", name="Registrar").click()
    expect(page.locator(".messages")).to_contain_text("Registrada como P-")
    pid = page.locator(".crumbs a").inner_text()
    assert pid.startswith("P-") and pid in page.url and "Itzel" not in page.url

    page.get_by_label("Otorgado por").select_option("guardian")
    page.get_by_label("Nombre de la madre, padre o tutor(a)").fill("Rosa Prueba")
    page.get_by_label("Otorgado el").fill("2024-01-10")
    page.get_by_label("Participación en el programa").check()
    page.get_by_role("button", name="Guardar").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(pid)

    page.get_by_role("link", name="Tamizar: Tamizaje breve v1").click()
    page.get_by_label("Fecha").fill("2024-01-12")
    for item, value in (("e1", "3"), ("e2", "2"), ("e3", "0")):
        page.locator(f"#id_item_{item}").fill(value)
    page.keyboard.press("Enter")  # the form submits from the keyboard
    expect(page.locator(".messages")).to_contain_text("Tamizaje guardado: elegible")
    expect(page.locator("ol.timeline")).to_contain_text("elegible")
    page.screenshot(path=str(tmp_path / "person-phone.png"), full_page=True)
    context.close()
