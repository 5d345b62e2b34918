"""The participants commands: imports report every problem by line and column; the
generator explains parameters it cannot meet."""

import pytest
from click.testing import CliRunner

from civica.cli.main import cli
from civica.participants.models import Instrument, Person

pytestmark = pytest.mark.django_db

HEADER = (
    "given_names,family_names,birth_date,sex,curp,municipality,consent_given_by,"
    "guardian_name,consent_date,follow_up,track,referral_source,start_date\n"
)


def run(*args):
    return CliRunner().invoke(cli, ["--lang", "es-mx", "participants", *args])


def test_a_bad_file_imports_nothing_and_names_line_and_column(personas, territory, tmp_path):
    path = tmp_path / "personas.csv"
    path.write_text(
        HEADER + "Ana,Ruiz,2009-02-03,F,,09015,guardian,Rosa,2023-01-02,sí,"
        "prevention,escuela,2023-01-05\n",
        encoding="utf-8",
    )
    result = run("import", str(path), "--organization", personas.org_a.name)
    assert result.exit_code != 0
    assert "línea 2, columna “referral_source”" in result.output
    assert "No se importó nada." in result.output and Person.objects.count() == 0


def test_a_good_file_is_imported(personas, territory, tmp_path):
    path = tmp_path / "personas.csv"
    path.write_text(
        HEADER + "Ana,Ruiz,2009-02-03,F,,09015,guardian,Rosa,2023-01-02,sí,"
        "prevention,school,2023-01-05\n",
        encoding="utf-8",
    )
    result = run("import", str(path), "--organization", personas.org_a.name)
    assert result.exit_code == 0, result.output
    assert "Se importaron 1 personas." in result.output and Person.objects.count() == 1


def test_an_instrument_sheet_becomes_a_version(tmp_path):
    path = tmp_path / "tamiz.csv"
    path.write_text("scale,item,threshold\nA,a1,2\nA,a2,2\nB,b1,1\n", encoding="utf-8")
    result = run(
        "import-instrument", str(path), "--code", "tamiz", "--name", "Tamiz", "--min-scales", "1"
    )
    assert result.exit_code == 0, result.output
    assert Instrument.objects.get().scales[0]["items"] == ["a1", "a2"]


def test_the_generator_says_why_it_cannot(territory):
    result = run(
        "generate",
        "--persons",
        "10",
        "--services",
        "10",
        "--states",
        "12",
        "--municipalities",
        "30",
    )
    assert result.exit_code != 0 and "Se pidieron 12 estados" in result.output
