"""What the incident map requests: only significant hot-spot cells (the files keep every cell
with incidents), and a basemap of the layer's municipalities from the territory records.

Uses the "dos-focos" layer of test_hotspot_outputs: 9 significant cells around the
30-incident focus, plus the 10-incident cell that is not significant at 5%.
"""

import json

import numpy as np
from django.urls import reverse

from civica.incidents.tests.test_hotspot_outputs import two_foci  # noqa: F401 (fixture)
from civica.territory.models import Municipality
from civica.testing.personas import make_user


def test_the_map_receives_only_significant_cells_and_fewer_bytes(client, two_foci):  # noqa: F811
    client.force_login(make_user("admin_mapa", "administrator"))
    url = reverse("incidents:hotspots", args=[two_foci])
    shown = client.get(url, {"cell": "500"})
    saved = client.get(url, {"cell": "500", "download": "geojson"})
    assert shown.status_code == saved.status_code == 200
    cells = json.loads(shown.content)["features"]
    assert len(cells) == 9 and all(cell["properties"]["significant"] for cell in cells)
    # The file still holds the 10-incident cell that is not significant at 5%.
    assert len(json.loads(saved.content)["features"]) == 10
    assert len(shown.content) < len(saved.content)


def test_the_map_gets_what_it_draws_and_the_file_keeps_every_column(client, two_foci):  # noqa: F811
    client.force_login(make_user("admin_ligero", "administrator"))
    url = reverse("incidents:hotspots", args=[two_foci])
    shown = json.loads(client.get(url, {"cell": "500"}).content)["features"]
    saved = json.loads(client.get(url, {"cell": "500", "download": "geojson"}).content)["features"]
    # The map reads the class, z and count of a cell; the file has every column.
    assert {tuple(sorted(f["properties"])) for f in shown} == {
        ("class", "count", "significant", "z")
    }
    assert {"cell", "count", "z", "p", "q", "class"} <= set(saved[0]["properties"])
    # Coordinates to 5 decimals (about 1 m) on the map, 6 in the file, the same cells.
    corners = [c for f in shown for c in f["geometry"]["coordinates"][0]]
    assert all(round(v, 5) == v for corner in corners for v in corner)
    by_ring = {tuple(map(tuple, f["geometry"]["coordinates"][0])): f["properties"] for f in saved}
    for feature in shown:
        ring = feature["geometry"]["coordinates"][0]
        match = [
            p
            for r, p in by_ring.items()
            if np.allclose(np.array(r), np.array(ring), rtol=0, atol=1e-5)
        ]
        assert len(match) == 1
        assert match[0]["count"] == feature["properties"]["count"]
        assert match[0]["class"] == feature["properties"]["class"]
        assert abs(match[0]["z"] - feature["properties"]["z"]) <= 0.005


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
