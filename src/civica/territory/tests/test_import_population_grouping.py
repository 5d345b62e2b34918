"""How the population import groups small hand-made CONAPO files (no national data)."""

from __future__ import annotations

import pytest

from civica.sources.errors import SourceError
from civica.territory.models import Municipality, PopulationEstimate, State
from civica.territory.services import import_population

HEADER = "CVE,Entidad,Municipio,2020,2021\n"


def _write_sexes(folder, values: dict[str, tuple[int, int]]):
    """One municipal file per sex with Coyoacán (line 2) and Cuauhtémoc (line 3)."""
    paths = []
    for sex, (coyoacan, cuauhtemoc) in values.items():
        path = folder / f"municipal_{sex}.csv"
        path.write_text(
            HEADER + f"09003,CDMX,Coyoacán,{coyoacan},{coyoacan}\n"
            f"09015,CDMX,Cuauhtémoc,{cuauhtemoc},{cuauhtemoc}\n",
            encoding="utf-8",
        )
        paths.append(path)
    return paths


def test_it_gives_each_municipality_year_its_total_men_and_women(db, tmp_path):
    paths = _write_sexes(tmp_path, {"total": (10, 20), "hombres": (4, 9), "mujeres": (6, 11)})

    report = import_population(paths=paths)

    assert report.created == 4
    estimate = PopulationEstimate.objects.get(municipality__cvegeo="09015", year=2021)
    assert (estimate.total, estimate.men, estimate.women) == (20, 9, 11)


def test_it_creates_the_state_from_the_catalogue_and_the_municipalities_from_conapo(db, tmp_path):
    report = import_population(paths=_write_sexes(tmp_path, {"total": (10, 20)}))

    assert State.objects.get().name == "Ciudad de México"
    assert list(Municipality.objects.values_list("cvegeo", "name", "geometry")) == [
        ("09003", "Coyoacán", ""),
        ("09015", "Cuauhtémoc", ""),
    ]
    assert report.created_areas == ("09 Ciudad de México", "09003 Coyoacán", "09015 Cuauhtémoc")
    assert report.without_boundary == ("09003 Coyoacán", "09015 Cuauhtémoc")


def test_it_imports_only_the_years_asked_for(db, tmp_path):
    report = import_population(
        paths=_write_sexes(tmp_path, {"total": (10, 20)}), years=range(2021, 2041)
    )

    assert report.created == 2
    assert set(PopulationEstimate.objects.values_list("year", flat=True)) == {2021}


def test_it_keeps_the_name_a_municipality_already_has(db, territory, tmp_path):
    import_population(paths=_write_sexes(tmp_path, {"total": (10, 20)}))

    assert Municipality.objects.get(cvegeo="09015").name == "Cuauhtémoc"
    assert Municipality.objects.get(cvegeo="09015").geometry != ""


def test_it_refuses_men_and_women_that_do_not_add_up_and_imports_nothing(db, tmp_path):
    paths = _write_sexes(tmp_path, {"total": (10, 20), "hombres": (4, 9), "mujeres": (6, 10)})

    with pytest.raises(SourceError) as caught:
        import_population(paths=paths)

    assert (caught.value.file.name, caught.value.line, caught.value.column) == (
        "municipal_total.csv",
        3,
        4,
    )
    assert "municipal_hombres.csv" in caught.value.message
    assert PopulationEstimate.objects.count() == 0
    assert Municipality.objects.count() == 0
