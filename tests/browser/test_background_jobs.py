"""A long computation in a real browser: the near-repeat page answers at once with a
progress bar, the worker that `civica serve` started computes the table, the page shows it
without a click; the same question later is the stored table, at once."""

import time

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

QUERY = "?municipality=09015&crime=ROBO+A+TRANSEUNTE+C.V.&from=2015-01-01&to=2015-12-31&quick=1"


def test_the_near_repeat_page_shows_progress_then_the_table(page, live_site, tmp_path):
    page.goto(live_site["url"] + "/accounts/login/")
    page.get_by_label("Usuario").fill("admin")
    page.get_by_label("Contraseña").fill(live_site["passwords"]["admin"])
    page.get_by_role("button", name="Iniciar sesión").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tablero")

    url = live_site["url"] + "/incidents/cdmx-ssp/near-repeat/" + QUERY
    started = time.monotonic()
    page.goto(url)
    assert time.monotonic() - started < 2.0
    expect(page.locator("[data-job-status] progress")).to_be_attached()
    page.screenshot(path=str(tmp_path / "near-repeat-progress.png"), full_page=True)
    # poll.js reloads the page once the worker is done; the table then comes from the store.
    expect(page.locator("table")).to_be_visible(timeout=60_000)
    expect(page.locator("figure.chart svg")).to_be_visible()
    assert page.locator("[data-job-status]").count() == 0

    started = time.monotonic()
    page.goto(url)
    expect(page.locator("table")).to_be_visible()
    assert time.monotonic() - started < 2.0
    page.screenshot(path=str(tmp_path / "near-repeat-table.png"), full_page=True)

    page.goto(live_site["url"] + "/jobs/")
    expect(page.locator("table")).to_contain_text("ROBO A TRANSEUNTE C.V.")
    expect(page.locator("table")).to_contain_text("resultado guardado")
