"""The incident map works offline: sectors, hot spots and points from the app alone."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_the_map_draws_sectors_and_hot_spots_without_a_tile_server(page, live_site, tmp_path):
    page.goto(live_site["url"] + "/accounts/login/")
    page.get_by_label("Usuario").fill("admin")
    page.get_by_label("Contraseña").fill(live_site["passwords"]["admin"])
    page.get_by_role("button", name="Iniciar sesión").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tablero")

    outside = []
    page.on(
        "request",
        lambda r: (
            outside.append(r.url)
            if not r.url.startswith(live_site["url"]) and not r.url.startswith("data:")
            else None
        ),
    )
    query = "?municipality=09015&crime=ROBO+A+TRANSEUNTE+C.V.&from=2015-01-01&to=2015-12-31"
    with (
        page.expect_response(lambda r: "sectors.geojson" in r.url) as sectors,
        page.expect_response(lambda r: "hotspots.geojson" in r.url) as hotspots,
    ):
        page.goto(live_site["url"] + "/incidents/cdmx-ssp/" + query)
    # Cuauhtémoc has 8 police sectors; incidents near its edge fall in neighbouring ones.
    assert len(sectors.value.json()["features"]) >= 8
    cells = hotspots.value.json()["features"]
    assert any(cell["properties"]["significant"] for cell in cells)
    expect(page.locator(".leaflet-control-layers")).to_contain_text("Gi*")
    page.wait_for_timeout(500)
    page.screenshot(path=str(tmp_path / "incident-map.png"))
    assert outside == []  # no CDN, no tiles: everything came from the app
