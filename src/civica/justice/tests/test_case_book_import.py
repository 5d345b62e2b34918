"""A historical case book arrives by CSV: all or nothing; an impossible case is refused with
its line, column and rule."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from civica.cli.main import cli
from civica.core.imports import ImportFailed
from civica.justice.imports import import_cases_csv
from civica.justice.models import Case, PresentedPerson
from civica.justice.tests.factories import cdmx_world

pytestmark = pytest.mark.django_db

HEADER = (
    "folio,given_names,family_names,birth_date,curp,detained_at,presented_at,offences,"
    "medical_at,hearing_started_at,resolved_at,responsible,sanction,arrest_hours,"
    "fine_amount,unit_value,occupation,declared_daily_wage,guardian_name,guardian_at\n"
)
GOOD = (
    "A-1,Juan,Pérez,1990-04-02,,2024-03-01 22:00,2024-03-01 22:30,LCC-28-V,"
    "2024-03-01 23:00,2024-03-02 01:00,2024-03-02 01:30,sí,arresto,26,,,,,,\n"
    "A-2,Juan,Pérez,1990-04-02,,2024-06-01 22:00,2024-06-01 22:30,LCC-27-III,"
    "2024-06-01 23:00,2024-06-02 01:00,2024-06-02 01:30,sí,multa,,20,100,worker,2500,,\n"
)


@pytest.fixture
def juzgado(territory, shared_data):
    return cdmx_world(territory, shared_data)[0]


def test_a_good_book_is_imported_in_order_and_links_the_person(juzgado):
    summary = import_cases_csv(source=(HEADER + GOOD).encode(), juzgado=juzgado, name="libro.csv")
    assert summary.created == 2
    first, second = Case.objects.order_by("presented_at")
    assert first.person == second.person and PresentedPerson.objects.count() == 1
    assert not first.repeat and second.is_reincident
    assert first.sanction == "arresto" and second.fine_unit == "UC"


def test_impossible_cases_are_refused_with_line_column_and_rule(juzgado):
    bad = (
        HEADER
        + GOOD
        # A minor arrested, with no guardian before the hearing.
        + "B-1,Luis,Gómez,2010-01-01,,2024-03-01 22:00,2024-03-01 22:30,LCC-28-V,"
        "2024-03-01 23:00,2024-03-02 01:00,2024-03-02 01:30,sí,arresto,26,,,,,,\n"
        # 40 hours of arrest.
         + "B-2,Ana,Ruiz,1980-01-01,,2024-03-01 22:00,2024-03-01 22:30,LCC-28-V,"
        "2024-03-01 23:00,2024-03-02 01:00,2024-03-02 01:30,sí,arresto,40,,,,,,\n"
        # A worker fined more than a day's wage.
         + "B-3,Eva,Mora,1980-01-01,,2024-03-01 22:00,2024-03-01 22:30,LCC-27-III,"
        "2024-03-01 23:00,2024-03-02 01:00,2024-03-02 01:30,sí,multa,,40,100,worker,300,,\n"
        # Presented before being detained; an unknown falta.
         + "B-4,Leo,Paz,1980-01-01,,2024-03-02 22:00,2024-03-01 22:30,XX-1,,,,,,,,,,,,\n"
    )
    with pytest.raises(ImportFailed) as refused:
        import_cases_csv(source=bad.encode(), juzgado=juzgado, name="libro.csv")
    text = str(refused.value)
    assert "libro.csv, línea 4, columna “guardian_name”: La persona es menor de edad" in text
    assert "línea 4, columna “sanction”: A una persona menor de edad nunca" in text
    assert "línea 5, columna “arrest_hours”" in text and "36 horas" in text
    assert "línea 6, columna “fine_amount”: La multa (4000.00 pesos) es mayor" in text
    assert "línea 7, columna “offences”: la falta XX-1 no está en el catálogo" in text
    assert not Case.objects.exists() and not PresentedPerson.objects.exists()


def test_the_command_imports_a_book(juzgado, tmp_path):
    path = tmp_path / "libro.csv"
    path.write_text(HEADER + GOOD, encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["justice", "import-cases", str(path), "--juzgado", juzgado.name]
    )
    assert result.exit_code == 0, result.output
    assert Case.objects.count() == 2
