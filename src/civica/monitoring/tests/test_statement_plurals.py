"""Fact-sheet sentences say "1 ciudad" / "1 city": a statement in the catalogue names the
singular and plural forms next to the number they agree with, ``{cities|city|cities}``."""

import pytest

from civica.monitoring.catalogue import INDICATOR_COLUMNS, load_indicators_csv
from civica.monitoring.csvfiles import CsvImportError
from civica.monitoring.models import Indicator
from civica.monitoring.status import check_statement, fill_statement

SPANISH = (
    "{value} {value|ciudad|ciudades} de {states} {states|estado|estados} "
    "{value|recibió|recibieron} apoyo"
)


@pytest.mark.parametrize(
    ("value", "states", "expected"),
    [
        (1, 1, "1 ciudad de 1 estado recibió apoyo"),
        (2, 1, "2 ciudades de 1 estado recibieron apoyo"),
        (0, 0, "0 ciudades de 0 estados recibieron apoyo"),
        (29651, 13, "29,651 ciudades de 13 estados recibieron apoyo"),
    ],
)
def test_spanish_forms_follow_each_number(value, states, expected):
    assert fill_statement(SPANISH, {"value": value, "states": states}, "es") == expected


def test_english_forms_and_text_values():
    template = "{n} {n|city|cities} in {period}; {range} percent"
    values = {"n": 1.0, "period": "FY2023", "range": "6–69"}
    assert fill_statement(template, values, "en") == "1 city in FY2023; 6–69 percent"
    values["n"] = 1.5  # a decimal is plural in both languages
    assert fill_statement(template, values, "en") == "1.5 cities in FY2023; 6–69 percent"
    with pytest.raises(KeyError):
        fill_statement("{missing}", values, "en")


@pytest.mark.parametrize(
    ("template", "problem"),
    [
        ("{n|city}", "dos formas"),
        ("{n|a|b|c}", "dos formas"),
        ("{|a|b}", "dos formas"),
        ("{n.x}", "no es el nombre de un valor"),
        ("{n", "llave literal dos veces"),
    ],
)
def test_a_malformed_statement_says_what_to_write(template, problem):
    with pytest.raises(ValueError, match=problem):
        check_statement(template)


def test_the_catalogue_refuses_a_malformed_plural_on_its_line(db, tmp_path):
    header = ",".join(INDICATOR_COLUMNS) + "\n"
    line = (
        "A,Nombre,Name,Def,Def,activities,,,,increase,Registros,activities,,no,"
        "{value|actividad} vigentes,\n"
    )
    path = tmp_path / "ind.csv"
    path.write_text(header + line, encoding="utf-8")
    with pytest.raises(CsvImportError, match=r"línea 2, columna “statement_es”.*dos formas"):
        load_indicators_csv(path=path)
    assert not Indicator.objects.exists()
