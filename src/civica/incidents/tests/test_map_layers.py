"""What the incident map requests: only significant hot-spot cells (the files keep every cell
with incidents), and a basemap of the layer's municipalities from the territory records.

Uses the "dos-focos" layer of test_hotspot_outputs: 9 significant cells around the
30-incident focus, plus the 10-incident cell that is not significant at 5%.
"""

import json

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
