"""Hot-spot outputs: the study area is the municipalities, files hold every significant cell,
and every count is made at the level the output names (FDR 5%).

The layer "dos-focos" has 30 incidents at the centre of one 500 m cell of Municipio Sintético
A and 10 at the centre of one cell of Municipio D. Over the 988 cells of 500 m that overlap
the two municipalities (2 × 0.1° squares ≈ 2 × 114 km², so about 915 cells of land plus the
ring of cells cut by the boundary), the 30-incident cell and its 8 neighbours (window sum 30)
have FDR-adjusted q < 0.01, while the 10-incident cell and its 8 neighbours (window sum 10)
get q ≈ 0.073: hot at a 10% false discovery rate, not at 5%.
"""

import csv
import io
import json

import pytest
from click.testing import CliRunner
from django.urls import reverse
from pyproj import Transformer

from civica.accounts.access import SYSTEM
from civica.cli.main import cli
from civica.incidents import analysis
from civica.incidents.selectors import Selection
from civica.territory.models import Municipality
from civica.testing.personas import make_user

CELL = 500.0


def _cell_centre(lon: float, lat: float) -> tuple[float, float]:
    """The lon/lat of the centre of the 500 m EPSG:6372 cell holding (lon, lat)."""
    forward = Transformer.from_crs("EPSG:4326", "EPSG:6372", always_xy=True)
    back = Transformer.from_crs("EPSG:6372", "EPSG:4326", always_xy=True)
    x, y = forward.transform(lon, lat)
    x = (x // CELL) * CELL + CELL / 2
    y = (y // CELL) * CELL + CELL / 2
    return back.transform(x, y)


@pytest.fixture
def two_foci(synthetic_incidents, tmp_path):
    from civica.incidents import services
    from civica.incidents.tests.conftest import HEADER, MAPPING

    rows = []
    for name, (lon, lat), n in (("a", (-102.35, 21.85), 30), ("d", (-102.25, 21.95), 10)):
        lon, lat = _cell_centre(lon, lat)
        rows += [[f"{name}{i}", "2015-06-01", "", "RIÑA", lat, lon] for i in range(n)]
    path = tmp_path / "focos.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows)
    services.ingest_incidents(
        path=path, layer="dos-focos", mapping=MAPPING, sectors_layer="sectores sintéticos"
    )
    return "dos-focos"


def test_the_study_area_is_the_municipalities_not_the_points_rectangle(two_foci):
    result = analysis.hotspots(SYSTEM, Selection(two_foci), cell_size=CELL)
    land = sum(
        Municipality.objects.filter(cvegeo__in=["99001", "99004"]).values_list(
            "area_km2", flat=True
        )
    )
    # Every km² of the two municipalities is covered; the extra is at most the ring of cells
    # cut by their boundaries (perimeter 2 × ~43 km × one cell).
    assert land <= len(result.cells) * 0.25 <= land + 2 * 43 * 0.5
    assert len(result.cells) == 988
    # The points' rectangle (about 10 × 11 km between the two foci) would hold 500 or so.


def test_an_analyst_s_study_area_is_their_own_municipality(two_foci):
    analyst = make_user(
        "ana_focos", "municipal_analyst", municipalities=[Municipality.objects.get(cvegeo="99001")]
    )
    result = analysis.hotspots(analyst, Selection(two_foci), cell_size=CELL)
    assert result.n_incidents == 30
    assert 114 <= len(result.cells) * 0.25 <= 114 + 43 * 0.5


def test_files_hold_every_significant_cell_even_without_incidents(two_foci):
    result = analysis.hotspots(SYSTEM, Selection(two_foci), cell_size=CELL)
    significant = result.cells[result.cells["significant"]]
    # The 30-incident cell and its 8 empty neighbours; the 10-incident focus is not at 5%.
    assert len(significant) == 9 and (significant["count"] == 0).sum() == 8
    rows = list(csv.DictReader(io.StringIO(result.csv())))
    assert sum(row["significant"] == "True" for row in rows) == 9
    assert len(rows) == 9 + 1  # plus the 10-incident cell, which has incidents
    features = json.loads(result.geojson())["features"]
    assert sum(f["properties"]["significant"] for f in features) == 9
    only = json.loads(result.geojson(only_significant=True))["features"]
    assert len(only) == 9 and all(f["properties"]["significant"] for f in only)


def test_the_summary_counts_hot_cells_at_the_level_it_names(two_foci, tmp_path):
    out = tmp_path / "hot.csv"
    result = CliRunner().invoke(
        cli,
        [
            "--lang", "en", "analyze", "hotspots", "--layer", two_foci, "--cell", "500",
            "--format", "csv", "--output", str(out),
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output + result.stderr
    # The 9 cells of the 10-incident focus have 0.05 < q ≤ 0.10 (Gi_Bin 1): not hot at 5%.
    assert "9 hot and 0 cold cells (FDR 5%) of 988 cells" in result.stderr
    with out.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert sum(row["class"] == "1" for row in rows) == 1  # the 10-incident cell itself


def test_the_page_export_holds_the_significant_empty_cells(client, two_foci):
    client.force_login(make_user("admin_focos", "administrator"))
    response = client.get(
        reverse("incidents:hotspots", args=[two_foci]), {"download": "csv", "cell": "500"}
    )
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert sum(row["significant"] == "True" and row["count"] == "0" for row in rows) == 8
