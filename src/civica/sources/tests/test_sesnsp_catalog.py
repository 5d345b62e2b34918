"""The SESNSP crime catalogues shipped as package data, and names matched against them."""

from __future__ import annotations

import pytest

from civica.sources.errors import SourceError
from civica.sources.sesnsp_catalog import (
    Spellings,
    catalogue,
    is_pseudo_municipality,
    match_crimes,
)

COLUMNS = ((4, "Bien jurídico afectado"), (5, "Tipo de delito"), (6, "Subtipo"), (7, "Modalidad"))


@pytest.mark.parametrize(
    ("methodology", "modalities", "subtipos"), [("2015", 98, 55), ("rnid2026", 114, 79)]
)
def test_each_catalogue_has_its_official_number_of_modalities(methodology, modalities, subtipos):
    crimes = catalogue(methodology)

    assert len(crimes.crimes) == modalities
    assert len({crime[:3] for crime in crimes.crimes}) == subtipos
    assert len(crimes.index) == modalities  # no two modalities fold alike


def test_the_catalogues_start_with_homicide_in_sesnsp_order():
    assert catalogue("2015").crimes[0] == (
        "La vida y la Integridad corporal",
        "Homicidio",
        "Homicidio doloso",
        "Con arma de fuego",
    )
    assert catalogue("rnid2026").crimes[0][2:] == ("Homicidio doloso", "Con arma blanca")


def test_names_match_ignoring_case_accents_and_spacing():
    crimes = catalogue("2015")

    assert crimes.order(
        ("EL PATRIMONIO", " Robo", "Robo a casa  habitacion", "con violencia ")
    ) == (crimes.crimes.index(("El patrimonio", "Robo", "Robo a casa habitación", "Con violencia")))
    assert crimes.order(("El patrimonio", "Robo", "Robo a casa", "Con violencia")) is None


def test_matching_reports_each_respelling_with_its_rows(tmp_path):
    spellings = Spellings()
    found = [
        (("El patrimonio", "Robo", "Robo a negocio ", "Con violencia"), 10, 0),
        (("El patrimonio", "Robo", "Robo a negocio ", "Sin violencia"), 5, 1),
        (("El patrimonio", "Robo", "Robo a negocio", "Con violencia"), 3, 2),
    ]

    matched = match_crimes(
        catalogue("2015"), found, columns=COLUMNS, spellings=spellings, path=tmp_path, line=int
    )

    assert [crime[2] for _order, crime in matched] == ["Robo a negocio"] * 3
    assert spellings.report() == (("Subtipo", "Robo a negocio ", "Robo a negocio", 15),)


def test_an_unknown_category_is_named_at_its_first_level_off_the_catalogue(tmp_path):
    found = [(("El patrimonio", "Hurto", "Hurto", "Hurto"), 1, 41)]

    with pytest.raises(SourceError) as caught:
        match_crimes(
            catalogue("2015"),
            found,
            columns=COLUMNS,
            spellings=Spellings(),
            path=tmp_path / "f.csv",
            line=lambda row: row + 2,
        )

    assert (caught.value.line, caught.value.column, caught.value.field) == (43, 5, "Tipo de delito")
    assert "Hurto" in caught.value.message


@pytest.mark.parametrize(
    ("code", "name", "pseudo"),
    [
        ("11999", "Otros Municipios", True),
        ("15998", "No Especificado", True),
        ("20570", "otros municipios", True),
        ("11020", "León", False),
    ],
)
def test_it_recognises_pseudo_municipalities(code, name, pseudo):
    assert is_pseudo_municipality(code, name) is pseudo
