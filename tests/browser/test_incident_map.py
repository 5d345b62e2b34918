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

    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
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
        page.expect_response(lambda r: "basemap.geojson" in r.url) as basemap,
    ):
        page.goto(live_site["url"] + "/incidents/cdmx-ssp/" + query)
    # Cuauhtémoc has 8 police sectors; incidents near its edge fall in neighbouring ones.
    assert len(sectors.value.json()["features"]) >= 8
    cells = hotspots.value.json()
    # The map is sent only the cells it draws, significant hot and cold spots, as the
    # centres of squares of one size that its script draws.
    assert cells["type"] == "CellGrid" and cells["lon"]
    assert len(cells["lon"]) == len(cells["lat"]) == len(cells["class"]) == len(cells["z"])
    assert all(c != 0 for c in cells["class"])
    # No tile server: the alcaldías of the layer are drawn from the territory records.
    assert any(f["properties"]["cvegeo"] == "09015" for f in basemap.value.json()["features"])
    # The layer list is added once the cells are drawn, the hot spots listed in it.
    expect(page.locator(".leaflet-control-layers")).to_be_attached()
    expect(page.locator(".leaflet-control-layers")).to_contain_text("Gi*")
    assert errors == []

    # On the phone the legend is readable and the frame spans the whole viewport width.
    legend = page.locator(".incident-legend")
    expect(legend).to_be_visible()
    for label in ("Leyenda", "Punto caliente", "Punto frío", "Límites municipales"):
        expect(legend).to_contain_text(label)
    frame = page.locator("#incident-map").bounding_box()
    assert frame["x"] <= 0 and frame["width"] >= 390
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.wait_for_timeout(500)
    page.screenshot(path=str(tmp_path / "incident-map.png"))
    page.locator("#incident-map").screenshot(path=str(tmp_path / "incident-map-frame.png"))

    # On a desktop the frame fills the page's width too, not a narrow column.
    page.set_viewport_size({"width": 1600, "height": 900})
    page.wait_for_timeout(300)
    frame = page.locator("#incident-map").bounding_box()
    assert frame["width"] >= 1600 - 2 * 16 - 2
    expect(page.locator(".leaflet-control-layers")).to_contain_text("Gi*")
    page.locator("#incident-map").screenshot(path=str(tmp_path / "incident-map-desktop.png"))
    assert outside == []  # no CDN, no tiles: everything came from the app
