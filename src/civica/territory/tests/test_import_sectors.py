"""Importing police sectors and cuadrantes of CDMX, assigned to their alcaldía."""

from __future__ import annotations

import json

import pytest

from civica.sources.errors import SourceError
from civica.territory.models import Sector, SectorKind
from civica.territory.services import import_municipalities, import_sectors, import_states


def _only_cdmx(source, target):
    document = json.loads(source.read_text(encoding="utf-8"))
    document["features"] = [
        f for f in document["features"] if f["properties"]["id"].startswith("09")
    ]
    target.write_text(json.dumps(document), encoding="utf-8")
    return target


@pytest.fixture
def cdmx(db, shared_data, tmp_path):
    """CDMX and its 16 alcaldías with their INEGI boundaries."""
    folder = shared_data / "mx_boundaries_mxmaps"
    import_states(
        path=_only_cdmx(folder / "mx_estados.geojson", tmp_path / "estado.geojson"),
        repair_invalid=True,
    )
    import_municipalities(
        path=_only_cdmx(folder / "mx_municipios.geojson", tmp_path / "alcaldias.geojson"),
        names_path=folder / "municipios_censo2020.csv",
    )
    return shared_data / "cdmx_hoyodecrimen"


def test_it_imports_the_72_sectors_into_their_alcaldia(cdmx):
    report = import_sectors(
        path=cdmx / "sectores_2016.geojson", name_field="sector", municipality_field="cve_mun"
    )

    assert (report.created, report.updated, report.unchanged) == (72, 0, 0)
    assert report.layer == "sectores_2016"
    sector = Sector.objects.get(layer="sectores_2016", name="ABASTO-REFORMA")
    assert (sector.municipality.cvegeo, sector.kind) == ("09007", SectorKind.SECTOR)
    assert sector.properties == {
        "sector": "ABASTO-REFORMA",
        "cve_mun": "9007",
        "municipio": "IZTAPALAPA",
    }
    assert 0 < sector.area_km2 < 50


def test_it_finds_the_same_alcaldia_from_the_boundaries_alone(cdmx):
    import_sectors(
        path=cdmx / "sectores_2016.geojson", name_field="sector", municipality_field="cve_mun"
    )
    by_field = dict(Sector.objects.values_list("name", "municipality__cvegeo"))

    import_sectors(path=cdmx / "sectores_2016.geojson", name_field="sector", layer="spatial")

    by_location = dict(
        Sector.objects.filter(layer="spatial").values_list("name", "municipality__cvegeo")
    )
    assert by_location == by_field


def test_it_refuses_the_invalid_cuadrante_unless_repair_is_asked(cdmx):
    path = cdmx / "cuadrantes_2016.geojson"
    options = {
        "path": path,
        "name_field": "cuadrante",
        "municipality_field": "cve_mun",
        "kind": SectorKind.CUADRANTE,
    }

    with pytest.raises(SourceError) as caught:
        import_sectors(**options)
    assert caught.value.feature == 829
    assert Sector.objects.count() == 0

    report = import_sectors(**options, repair_invalid=True)

    assert report.created == 847
    assert [item.split(":")[0] for item in report.repaired] == ["829 (O-3.5.10)"]
    geometry = json.loads(Sector.objects.get(name="O-3.5.10").geometry)
    assert geometry["type"] == "MultiPolygon"
    # The cuadrantes carry z = 0; the stored rings are 2-D.
    assert all(len(position) == 2 for position in geometry["coordinates"][0][0])


def test_it_reports_everything_unchanged_on_a_second_import(cdmx):
    options = {"path": cdmx / "sectores_2016.geojson", "name_field": "sector"}
    import_sectors(**options)

    report = import_sectors(**options)

    assert (report.created, report.updated, report.unchanged) == (0, 0, 72)
    assert report.missing_from_file == ()


def test_it_reports_a_changed_sector_and_keeps_one_missing_from_the_file(cdmx, tmp_path):
    import_sectors(path=cdmx / "sectores_2016.geojson", name_field="sector")
    document = json.loads((cdmx / "sectores_2016.geojson").read_text(encoding="utf-8"))
    document["features"][0]["properties"]["municipio"] = "Iztapalapa"
    gone = document["features"].pop()["properties"]["sector"]
    changed = tmp_path / "sectores_2016.geojson"
    changed.write_text(json.dumps(document), encoding="utf-8")

    report = import_sectors(path=changed, name_field="sector")

    assert (report.created, report.updated, report.unchanged) == (0, 1, 70)
    assert report.missing_from_file == (gone,)
    assert report.removed == 0
    assert Sector.objects.filter(name=gone).exists()
    removal = import_sectors(path=changed, name_field="sector", remove_missing=True)
    assert (removal.removed, removal.unchanged) == (1, 71)
    assert not Sector.objects.filter(name=gone).exists()


def test_it_stores_a_population_field(cdmx):
    report = import_sectors(
        path=cdmx / "cuadrantes_2023.geojson",
        name_field="cuadrante",
        kind=SectorKind.CUADRANTE,
        population_field="poblacion",
    )

    assert report.created == 847
    total = sum(Sector.objects.values_list("population", flat=True))
    assert total == 9_118_579


def test_it_places_a_border_polygon_by_overlap_and_says_so(cdmx):
    # P-2.1.10 (Azcapotzalco) lies half outside mxmaps' simplified CDMX outline, and its
    # representative point with it.
    report = import_sectors(
        path=cdmx / "cuadrantes_2016.geojson",
        name_field="cuadrante",
        kind=SectorKind.CUADRANTE,
        repair_invalid=True,
    )

    assert report.located_by_overlap == ("385 (P-2.1.10) → 09002 Azcapotzalco",)
    by_location = dict(Sector.objects.values_list("name", "municipality__cvegeo"))
    cuadrantes = json.loads((cdmx / "cuadrantes_2016.geojson").read_text(encoding="utf-8"))
    by_field = {
        f["properties"]["cuadrante"]: f["properties"]["cve_mun"].zfill(5)
        for f in cuadrantes["features"]
    }
    disagreements = {name for name in by_field if by_field[name] != by_location[name]}
    # Police cuadrantes do not follow the simplified alcaldía outlines everywhere (24 of
    # 847 here): when the file names the alcaldía, municipality_field is the better choice.
    assert len(disagreements) < 0.03 * len(by_field)


def test_it_refuses_duplicate_names_naming_both_features(cdmx, tmp_path):
    document = json.loads((cdmx / "sectores_2016.geojson").read_text(encoding="utf-8"))
    document["features"][5]["properties"]["sector"] = document["features"][2]["properties"][
        "sector"
    ]
    path = tmp_path / "twice.geojson"
    path.write_text(json.dumps(document), encoding="utf-8")

    with pytest.raises(SourceError) as caught:
        import_sectors(path=path, name_field="sector")

    assert (caught.value.feature, caught.value.field) == (6, "sector")
    assert Sector.objects.count() == 0


def test_it_refuses_a_polygon_outside_every_municipality(cdmx, tmp_path):
    path = tmp_path / "lejos.geojson"
    path.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"nombre": "Mérida centro"},
                        "geometry": {
                            "type": "Polygon",
                            "coordinates": [
                                [
                                    [-89.63, 20.96],
                                    [-89.61, 20.96],
                                    [-89.61, 20.98],
                                    [-89.63, 20.96],
                                ],
                            ],
                        },
                    }
                ],
            }
        ),
        encoding="utf-8",
    )

    with pytest.raises(SourceError) as caught:
        import_sectors(path=path, name_field="nombre")

    assert caught.value.feature == 1
    assert Sector.objects.count() == 0


def test_it_refuses_a_municipality_code_not_in_the_database(cdmx, tmp_path):
    document = json.loads((cdmx / "sectores_2016.geojson").read_text(encoding="utf-8"))
    document["features"][3]["properties"]["cve_mun"] = "31050"
    path = tmp_path / "wrong.geojson"
    path.write_text(json.dumps(document), encoding="utf-8")

    with pytest.raises(SourceError) as caught:
        import_sectors(path=path, name_field="sector", municipality_field="cve_mun")

    assert (caught.value.feature, caught.value.field) == (4, "cve_mun")
    assert "31050" in caught.value.message
    assert Sector.objects.count() == 0
