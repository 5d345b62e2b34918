"""The municipality choice is filtered by typing (civica/searchable.js) and still submits the
municipality's code; target crimes are added from the known names."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_typing_filters_the_municipalities_and_the_choice_is_submitted(page, live_site):
    page.goto(live_site["url"] + "/accounts/login/")
    page.get_by_label("Usuario").fill("admin")
    page.get_by_label("Contraseña").fill(live_site["passwords"]["admin"])
    page.get_by_role("button", name="Iniciar sesión").click()
    page.goto(live_site["url"] + "/interventions/new/")
    select = page.locator("select#municipality")
    everything = select.locator("option").count()
    page.get_by_placeholder("Escriba para filtrar").fill("leon guanajuato")
    left = select.locator("option").count()
    assert left < everything and left >= 1, (left, everything)
    assert "León" in select.evaluate("s => s.selectedOptions[0].text")
    page.get_by_role("button", name="Continuar").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("León")
    area = page.locator("textarea[name=target_crimes]")
    assert area.get_attribute("data-datalist") == "known-crimes"  # the demo's layer and SESNSP
    adder = page.get_by_placeholder("Agregar un delito conocido")
    known = page.locator("#known-crimes option").first.get_attribute("value")
    adder.fill(known)
    adder.dispatch_event("change")
    assert area.input_value().splitlines() == [known]
