"""An analyst reads a municipal crime profile and saves its chart as PNG and its data as CSV."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def login(page, live_site, username="admin"):
    page.goto(live_site["url"] + "/accounts/login/")
    page.get_by_label("Usuario").fill(username)
    page.get_by_label("Contraseña").fill(live_site["passwords"][username])
    page.get_by_role("button", name="Iniciar sesión").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tablero")


def test_the_profile_chart_downloads_as_a_png_and_its_data_as_csv(page, live_site, tmp_path):
    login(page, live_site)
    page.goto(live_site["url"] + "/statistics/municipalities/11020/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("León")
    assert page.get_by_role("cell", name="Homicidio doloso").first.is_visible()

    with page.expect_download() as png:
        page.locator('[data-png="chart-0"]').click()
    saved = tmp_path / png.value.suggested_filename
    png.value.save_as(saved)
    assert saved.suffix == ".png"
    assert saved.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert saved.stat().st_size > 5_000  # a drawn chart, not a blank canvas
    # Title above, legend and source below: the PNG is taller than the chart (drawn at 2×).
    chart_height = page.locator("#chart-0 svg").evaluate("s => s.viewBox.baseVal.height")
    png_height = int.from_bytes(saved.read_bytes()[20:24], "big")
    assert png_height >= 2 * (chart_height + 60), (png_height, chart_height)
    expect(page.locator("#chart-0 .source")).to_contain_text("Fuente: SESNSP")

    with page.expect_download() as data:
        page.locator("#chart-0").get_by_role("link", name="Datos (CSV)").click()
    csv_path = tmp_path / "serie.csv"
    data.value.save_as(csv_path)
    assert "period,count,population" in csv_path.read_text(encoding="utf-8")
    page.screenshot(path=str(tmp_path / "profile.png"), full_page=True)


def test_the_overview_map_leads_to_a_state(page, live_site):
    login(page, live_site)
    page.goto(live_site["url"] + "/statistics/")
    assert page.locator("figure.map svg path.choropleth").count() == 32
    page.locator("figure.map svg a").filter(
        has=page.locator("title", has_text="Guanajuato")
    ).click()
    page.wait_for_url("**state=11*")
    assert page.locator("figure.map svg path.choropleth").count() == 46
