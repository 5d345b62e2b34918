"""The state catalogue that names states and turns CONAPO/SESNSP names into codes."""

from __future__ import annotations

import pytest

from civica.territory.catalog import STATES, state_by_code, state_code_for_name


def test_it_has_the_32_inegi_codes_in_order():
    assert [state.code for state in STATES] == [f"{n:02d}" for n in range(1, 33)]
    assert len({state.abbreviation for state in STATES}) == 32


@pytest.mark.parametrize(
    ("code", "name", "short", "abbreviation"),
    [
        ("05", "Coahuila de Zaragoza", "Coahuila", "COAH"),
        ("09", "Ciudad de México", "Ciudad de México", "CDMX"),
        ("16", "Michoacán de Ocampo", "Michoacán", "MICH"),
        ("30", "Veracruz de Ignacio de la Llave", "Veracruz", "VER"),
    ],
)
def test_it_knows_official_and_short_names(code, name, short, abbreviation):
    state = state_by_code(code)

    assert (state.name, state.short_name, state.abbreviation) == (name, short, abbreviation)


@pytest.mark.parametrize(
    ("spelling", "code"),
    [
        ("Coahuila", "05"),
        ("Coahuila de Zaragoza", "05"),
        ("COAHUILA DE ZARAGOZA", "05"),
        ("Michoacan", "16"),
        ("michoacán de ocampo", "16"),
        ("Veracruz", "30"),
        ("  Nuevo   León ", "19"),
        ("México", "15"),
        ("Estado de México", "15"),
        ("Distrito Federal", "09"),
        ("CDMX", "09"),
        ("Querétaro de Arteaga", "22"),
    ],
)
def test_it_turns_common_spellings_into_codes(spelling, code):
    assert state_code_for_name(spelling) == code


def test_it_does_not_guess_unknown_names():
    assert state_code_for_name("Texas") is None
    assert state_by_code("40") is None
