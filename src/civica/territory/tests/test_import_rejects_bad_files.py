"""A bad file names its problem and imports nothing: counts stay as they were."""

from __future__ import annotations

import json

import pytest

from civica.sources.errors import SourceError
from civica.territory.models import Municipality, PopulationEstimate, Sector, State
from civica.territory.services import (
    import_municipalities,
    import_population,
    import_sectors,
    import_states,
)


def _square(lon, lat, size=0.01):
    return {
        "type": "Polygon",
        "coordinates": [
            [
                [lon, lat],
                [lon + size, lat],
                [lon + size, lat + size],
                [lon, lat + size],
                [lon, lat],
            ]
        ],
    }


BOW_TIE = {
    "type": "Polygon",
    "coordinates": [
        [[-99.17, 19.4], [-99.16, 19.41], [-99.16, 19.4], [-99.17, 19.41], [-99.17, 19.4]],
    ],
}


def _geojson(path, *features):
    path.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {"type": "Feature", "properties": properties, "geometry": geometry}
                    for properties, geometry in features
                ],
            }
        ),
        encoding="utf-8",
    )
    return path


def _counts():
    return (
        State.objects.count(),
        Municipality.objects.count(),
        Sector.objects.count(),
        PopulationEstimate.objects.count(),
    )


def _refused(call, path, **options) -> SourceError:
    before = _counts()
    with pytest.raises(SourceError) as caught:
        call(path=path, **options)
    assert path.name in str(caught.value)
    assert _counts() == before
    return caught.value


def test_it_refuses_a_csv_given_as_geojson(territory, shared_data, tmp_path):
    path = tmp_path / "municipios.geojson"
    path.write_bytes(
        (shared_data / "mx_boundaries_mxmaps" / "municipios_censo2020.csv").read_bytes()[:2000]
    )

    error = _refused(import_municipalities, path)

    assert (error.line, error.column) == (1, 1)


def test_it_refuses_a_file_whose_code_field_is_missing(territory, tmp_path):
    path = _geojson(tmp_path / "estados.geojson", ({"CVE_ENT": "09"}, _square(-99.2, 19.4)))

    error = _refused(import_states, path)

    assert (error.feature, error.field) == (1, "id")
    assert "CVE_ENT" in error.message


def test_it_refuses_a_self_intersecting_polygon_and_imports_none_of_the_file(db, tmp_path):
    path = _geojson(
        tmp_path / "estados.geojson",
        ({"id": "01"}, _square(-102.3, 21.9)),
        ({"id": "09"}, BOW_TIE),
    )

    error = _refused(import_states, path)

    assert error.feature == 2
    assert "Self-intersection" in error.message


def test_it_refuses_an_unknown_state_code(db, tmp_path):
    path = _geojson(
        tmp_path / "estados.geojson",
        ({"id": "01"}, _square(-102.3, 21.9)),
        ({"id": "40"}, _square(-99.2, 19.4)),
    )

    error = _refused(import_states, path)

    assert (error.feature, error.field) == (2, "id")
    assert "40" in error.message


def test_it_refuses_latin1_geojson_naming_the_line_and_column(territory, tmp_path):
    path = tmp_path / "alcaldias.geojson"
    feature = {
        "type": "Feature",
        "properties": {"id": "09015", "nombre": "Cuauhtémoc"},
        "geometry": _square(-99.16, 19.43),
    }
    text = (
        '{"type": "FeatureCollection", "features": [\n'
        + json.dumps(feature, ensure_ascii=False)
        + "\n]}"
    )
    path.write_bytes(text.encode("latin-1"))

    error = _refused(import_municipalities, path, name_field="nombre")

    assert error.line == 2
    assert error.column == text.split("\n")[1].index("é") + 1
    assert "UTF-8" in error.message


def test_it_refuses_conapo_values_that_are_not_counts_naming_line_and_column(territory, tmp_path):
    path = tmp_path / "municipal_total.csv"
    path.write_text(
        "CVE,Entidad,Municipio,2023,2024\n09015,CDMX,Cuauhtémoc,545884,n.d.\n", encoding="utf-8"
    )
    before = _counts()

    with pytest.raises(SourceError) as caught:
        import_population(paths=[path])

    assert (caught.value.line, caught.value.column, caught.value.field) == (2, 5, "2024")
    assert "municipal_total.csv" in str(caught.value)
    assert _counts() == before


def test_it_refuses_a_table_that_is_not_conapo_listing_the_columns_it_expects(territory, tmp_path):
    path = tmp_path / "poblacion.csv"
    path.write_text("clave,municipio,poblacion_2020\n09015,Cuauhtémoc,545884\n", encoding="utf-8")
    before = _counts()

    with pytest.raises(SourceError) as caught:
        import_population(paths=[path])

    assert caught.value.line == 1
    assert "CVE, Entidad, Municipio" in caught.value.message
    assert _counts() == before


def test_it_refuses_a_second_file_that_is_bad_after_a_good_first_one(territory, tmp_path):
    good = tmp_path / "municipal_total.csv"
    good.write_text("CVE,Entidad,Municipio,2020\n09015,CDMX,Cuauhtémoc,1\n", encoding="utf-8")
    bad = tmp_path / "entidad_total.csv"
    bad.write_text("ENTIDAD,2020\nGondwana,1\n", encoding="utf-8")
    before = _counts()

    with pytest.raises(SourceError) as caught:
        import_population(paths=[good, bad])

    assert (caught.value.file, caught.value.line) == (bad, 2)
    assert _counts() == before


def test_it_asks_for_the_states_before_the_municipalities(db, tmp_path):
    path = _geojson(
        tmp_path / "alcaldias.geojson",
        ({"id": "9015", "nombre": "Cuauhtémoc"}, _square(-99.16, 19.43)),
    )

    error = _refused(import_municipalities, path, name_field="nombre")

    assert error.feature == 1
    assert "civica territory import-states" in error.message


def test_it_refuses_municipalities_it_cannot_name(territory, tmp_path):
    path = _geojson(
        tmp_path / "alcaldias.geojson",
        ({"id": "09015"}, _square(-99.16, 19.43)),
        ({"id": "09016"}, _square(-99.26, 19.43)),
    )

    error = _refused(import_municipalities, path)

    # 09015 keeps its stored name; 09016 has none anywhere.
    assert error.feature == 2
    assert "--name-field" in error.message
    assert "--names" in error.message


def test_it_refuses_a_sector_file_without_the_name_field(territory, tmp_path):
    path = _geojson(tmp_path / "sectores.geojson", ({"nombre": "Centro"}, _square(-99.15, 19.43)))

    error = _refused(import_sectors, path, name_field="sector")

    assert (error.feature, error.field) == (1, "sector")


def test_it_refuses_overlapping_sectors_naming_both(tmp_path, territory):
    import json

    from civica.sources.errors import SourceError
    from civica.territory import services
    from civica.territory.models import Sector

    def square(lon):
        ring = [[lon, 19.43], [lon + 0.01, 19.43], [lon + 0.01, 19.44], [lon, 19.44], [lon, 19.43]]
        return {"type": "Polygon", "coordinates": [ring]}

    features = [
        {
            "type": "Feature",
            "properties": {"sector": name, "cve_mun": "9015"},
            "geometry": square(lon),
        }
        for name, lon in (("NORTE", -99.16), ("SUR", -99.155))
    ]
    path = tmp_path / "sectores.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    before = Sector.objects.count()
    with pytest.raises(SourceError) as error:
        services.import_sectors(path=path, name_field="sector", municipality_field="cve_mun")
    assert error.value.feature == 1 and "SUR" in error.value.message
    assert Sector.objects.count() == before
    services.import_sectors(
        path=path, name_field="sector", municipality_field="cve_mun", allow_overlaps=True
    )
    assert Sector.objects.count() == before + 2
