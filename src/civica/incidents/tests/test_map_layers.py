"""What the incident map requests: only significant hot-spot cells, as centres of squares of
one size (the files keep every cell with incidents as polygons), kept by their inputs so a
second request is read, not computed; and a basemap of the layer's municipalities from the
territory records.

Uses the "dos-focos" layer of test_hotspot_outputs: 9 significant cells around the
30-incident focus, plus the 10-incident cell that is not significant at 5%.
"""

import csv
import json

import numpy as np
from django.urls import reverse

from civica.incidents.tests.test_hotspot_outputs import (
    _cell_centre,
    two_foci,  # noqa: F401 (fixture)
)
from civica.territory.models import Municipality
from civica.testing.personas import make_user


def _centres(grid: dict) -> list[tuple[float, float]]:
    """The cell centres of a map layer ("CellGrid"): running sums of the differences."""
    lon = np.cumsum(grid["lon"]) / grid["scale"]
    lat = np.cumsum(grid["lat"]) / grid["scale"]
    return list(zip(lon.tolist(), lat.tolist(), strict=True))


def test_the_map_receives_only_significant_cells_and_fewer_bytes(client, two_foci):  # noqa: F811
    client.force_login(make_user("admin_mapa", "administrator"))
    url = reverse("incidents:hotspots", args=[two_foci])
    shown = client.get(url, {"cell": "500"})
    saved = client.get(url, {"cell": "500", "download": "geojson"})
    assert shown.status_code == saved.status_code == 200
    grid = json.loads(shown.content)
    assert grid["type"] == "CellGrid"
    assert len(grid["lon"]) == len(grid["lat"]) == len(grid["class"]) == len(grid["count"]) == 9
    assert all(c > 0 for c in grid["class"])  # the nine cells around the 30-incident focus
    # The file still holds the 10-incident cell that is not significant at 5%.
    assert len(json.loads(saved.content)["features"]) == 10
    assert len(shown.content) < len(saved.content) / 5


def test_the_map_draws_the_file_s_squares_from_centres_and_half_a_cell(client, two_foci):  # noqa: F811
    client.force_login(make_user("admin_ligero", "administrator"))
    url = reverse("incidents:hotspots", args=[two_foci])
    grid = json.loads(client.get(url, {"cell": "500"}).content)
    saved = json.loads(client.get(url, {"cell": "500", "download": "geojson"}).content)["features"]
    # The file has every column; the map reads the class, z and count of a cell.
    assert {"cell", "count", "z", "p", "q", "class"} <= set(saved[0]["properties"])
    assert grid["properties"]["cell_size_m"] == 500
    hx, hy = grid["half"]
    for i, (lon, lat) in enumerate(_centres(grid)):
        # The square the map draws (centre ± half a cell) is the file's cell within a few
        # metres (1e-5° ≈ 1 m of rounding; the grid is in metres, the square in degrees).
        match = [
            f
            for f in saved
            if np.allclose(
                np.array(f["geometry"]["coordinates"][0])[[0, 2]],
                [[lon - hx, lat - hy], [lon + hx, lat + hy]],
                rtol=0,
                atol=5e-5,
            )
        ]
        assert len(match) == 1
        properties = match[0]["properties"]
        assert properties["significant"]
        assert properties["count"] == grid["count"][i]
        assert properties["class"] == grid["class"][i]
        assert abs(properties["z"] - grid["z"][i]) <= 0.005


def test_the_map_layer_is_kept_by_its_inputs_and_recomputed_for_new_incidents(
    client,
    two_foci,  # noqa: F811
    tmp_path,
):
    """The layer is computed once per question (stored results are counted): the same
    request again, by the same or another user of the same scope, reads it; another cell
    size is another layer; a new import of the layer's incidents is a new question."""
    from civica.incidents import services
    from civica.incidents.jobs import HOTSPOT_MAP
    from civica.incidents.tests.conftest import HEADER, MAPPING
    from civica.jobs.models import CachedResult

    def computed():
        return CachedResult.objects.filter(kind=HOTSPOT_MAP).count()

    url = reverse("incidents:hotspots", args=[two_foci])
    client.force_login(make_user("admin_guarda", "administrator"))
    first = client.get(url, {"cell": "500"}).content
    assert computed() == 1
    kept = CachedResult.objects.get(kind=HOTSPOT_MAP)
    assert client.get(url, {"cell": "500"}).content == first
    client.force_login(make_user("admin_guarda_2", "administrator"))
    assert client.get(url, {"cell": "500"}).content == first
    assert computed() == 1
    assert CachedResult.objects.get(kind=HOTSPOT_MAP).created_at == kept.created_at
    # Downloads are files of every cell, not the map's layer.
    client.get(url, {"cell": "500", "download": "geojson"})
    assert computed() == 1
    client.get(url, {"cell": "1000"})
    assert computed() == 2

    # Ten more incidents at the second focus: a new snapshot, a new layer with more cells.
    path = tmp_path / "more.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for i in range(30):
            writer.writerow([f"a{i}", "2015-06-01", "", "RIÑA", *_focus(-102.35, 21.85)])
        for i in range(20):
            writer.writerow([f"d{i}", "2015-06-01", "", "RIÑA", *_focus(-102.25, 21.95)])
    services.ingest_incidents(
        path=path, layer=two_foci, mapping=MAPPING, sectors_layer="sectores sintéticos"
    )
    second = json.loads(client.get(url, {"cell": "500"}).content)
    assert computed() == 3
    assert len(second["class"]) == 18  # both foci are significant now
    assert second != json.loads(first)


def _focus(lon: float, lat: float) -> tuple[float, float]:
    lon, lat = _cell_centre(lon, lat)
    return lat, lon


def test_the_basemap_draws_the_layer_s_municipalities_within_scope(client, two_foci):  # noqa: F811
    client.force_login(make_user("admin_base", "administrator"))
    url = reverse("incidents:basemap", args=[two_foci])
    features = json.loads(client.get(url).content)["features"]
    assert sorted(f["properties"]["cvegeo"] for f in features) == ["99001", "99004"]
    assert all(f["geometry"]["type"] in {"Polygon", "MultiPolygon"} for f in features)

    analyst = make_user(
        "ana_base", "municipal_analyst", municipalities=[Municipality.objects.get(cvegeo="99001")]
    )
    client.force_login(analyst)
    features = json.loads(client.get(url).content)["features"]
    assert [f["properties"]["cvegeo"] for f in features] == ["99001"]
