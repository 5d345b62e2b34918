"""Interventions import from a CSV file all or none: a bad row names its line and column and
leaves the database as it was."""

import csv

import pytest

from civica.interventions.models import Intervention, InterventionKind
from civica.interventions.services import CSV_COLUMNS, import_interventions_csv
from civica.organizations.models import Organization, OrganizationKind

pytestmark = pytest.mark.django_db

GOOD_ROWS = [
    {
        "name": "Juzgado cívico itinerante",
        "kind": "civic_justice",
        "municipality": "09015",
        "sectors": "Sector Cuauhtémoc",
        "crimes": "ROBO A TRANSEUNTE; LESIONES DOLOSAS",
        "start": "2023-09-15",
        "end": "",
        "ramp_up_days": "60",
        "organization": "Fundación Ejemplo",
        "description": "Audiencias en plaza pública.",
    },
    {
        "name": "Alumbrado en parques",
        "kind": "environmental_design",
        "municipality": "02004",
        "sectors": "Sector Tijuana",
        "crimes": "Robo a transeúnte en vía pública",
        "start": "2024-01-08",
        "end": "2024-12-31",
        "ramp_up_days": "",
        "organization": "",
        "description": "",
    },
    {
        "name": "Jóvenes con futuro",
        "kind": "youth_program",
        "municipality": "09003",
        "sectors": "",
        "crimes": "Narcomenudeo",
        "start": "2024-02-01",
        "end": "",
        "ramp_up_days": "0",
        "organization": "",
        "description": "",
    },
]


def write(tmp_path, rows, name="intervenciones.csv"):
    path = tmp_path / name
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=CSV_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.fixture
def organization(territory):
    return Organization.objects.create(name="Fundación Ejemplo", kind=OrganizationKind.IMPLEMENTER)


def test_it_imports_every_row_with_its_sectors(tmp_path, territory, personas, organization):
    created = import_interventions_csv(path=write(tmp_path, GOOD_ROWS), actor=personas.admin)
    assert len(created) == 3
    assert Intervention.objects.count() == 3
    civic = Intervention.objects.get(name="Juzgado cívico itinerante")
    assert civic.kind == InterventionKind.CIVIC_JUSTICE
    assert civic.municipality == territory.cuauhtemoc
    assert list(civic.target_sectors.all()) == [territory.sectors["09015"]]
    assert civic.target_crimes == ["ROBO A TRANSEUNTE", "LESIONES DOLOSAS"]
    assert civic.ramp_up_days == 60
    assert civic.end_date is None
    assert civic.organization == organization
    lights = Intervention.objects.get(name="Alumbrado en parques")
    assert list(lights.target_sectors.all()) == [territory.sectors["02004"]]
    assert lights.ramp_up_days == 0
    assert str(lights.end_date) == "2024-12-31"
    assert not Intervention.objects.get(name="Jóvenes con futuro").target_sectors.exists()


@pytest.mark.parametrize(
    ("change", "column", "fragment"),
    [
        ({"sectors": "Sector Tijuana"}, "sectors", "Sector Tijuana"),
        ({"sectors": "Sector Inexistente"}, "sectors", "Sector Inexistente"),
        ({"start": "15/09/2023"}, "start", "15/09/2023"),
        ({"end": "2023-09-01"}, "end", "2023-09-01"),
        ({"kind": "curfew"}, "kind", "curfew"),
        ({"municipality": "99999"}, "municipality", "99999"),
        ({"crimes": " ; "}, "crimes", "target crime"),
        ({"ramp_up_days": "-5"}, "ramp_up_days", "negative"),
        ({"ramp_up_days": "two"}, "ramp_up_days", "two"),
        ({"organization": "Nadie"}, "organization", "Nadie"),
    ],
)
def test_a_bad_row_names_line_and_column_and_imports_nothing(
    tmp_path, territory, personas, organization, settings, change, column, fragment
):
    settings.LANGUAGE_CODE = "en"
    rows = [GOOD_ROWS[0], GOOD_ROWS[2], GOOD_ROWS[0] | change]
    path = write(tmp_path, rows)
    with pytest.raises(ValueError, match=r"intervenciones\.csv, line 4") as info:
        import_interventions_csv(path=path, actor=personas.admin)
    message = str(info.value)
    assert f"column “{column}”" in message
    assert fragment in message
    assert Intervention.objects.count() == 0


def test_it_refuses_a_file_without_the_required_columns(tmp_path, territory, personas):
    path = tmp_path / "sin-columnas.csv"
    path.write_text("nombre,tipo\nX,Y\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"(line|línea) 1"):
        import_interventions_csv(path=path, actor=personas.admin)


def test_it_refuses_rows_outside_the_actors_territory(tmp_path, territory, personas):
    path = write(tmp_path, [GOOD_ROWS[1], GOOD_ROWS[2]])
    with pytest.raises(ValueError, match=r"(line|línea) 3"):
        import_interventions_csv(path=path, actor=personas.analyst_tijuana)
    assert Intervention.objects.count() == 0


ACROSS = GOOD_ROWS[0] | {
    "name": "Corredor en dos alcaldías",
    "municipalities": "09003",
    "sectors": "Sector Cuauhtémoc; Sector Coyoacán",
}


def test_a_row_names_several_municipalities_of_one_program(tmp_path, territory, personas):
    rows = [ACROSS | {"organization": ""}, GOOD_ROWS[2]]
    created = import_interventions_csv(path=write(tmp_path, rows), actor=personas.admin)

    assert len(created) == 2
    program = Intervention.objects.get(name="Corredor en dos alcaldías")
    assert [m.cvegeo for m in program.municipalities()] == ["09015", "09003"]
    assert set(program.target_sectors.all()) == {
        territory.sectors["09015"],
        territory.sectors["09003"],
    }
    # Importing the same file again creates nothing; a changed list of places is refused.
    assert import_interventions_csv(path=write(tmp_path, rows), actor=personas.admin) == []
    changed = [ACROSS | {"organization": "", "municipalities": "", "sectors": "Sector Cuauhtémoc"}]
    with pytest.raises(ValueError, match="municipalities"):
        import_interventions_csv(path=write(tmp_path, changed, "otra.csv"), actor=personas.admin)


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        ({"municipalities": "09003; 99999"}, "99999"),
        ({"municipalities": "02004"}, "Tijuana"),  # another state
        ({"municipalities": "", "sectors": "Sector Cuauhtémoc; Sector Coyoacán"}, "Coyoacán"),
    ],
)
def test_a_bad_list_of_municipalities_names_line_and_column_and_imports_nothing(
    tmp_path, territory, personas, settings, change, fragment
):
    settings.LANGUAGE_CODE = "en"
    rows = [GOOD_ROWS[2], ACROSS | {"organization": ""} | change]
    with pytest.raises(ValueError, match=r"intervenciones\.csv, line 3") as info:
        import_interventions_csv(path=write(tmp_path, rows), actor=personas.admin)
    message = str(info.value)
    column = "sectors" if change.get("municipalities") == "" else "municipalities"
    assert f"column “{column}”" in message
    assert fragment in message
    assert Intervention.objects.count() == 0


def test_a_municipality_outside_the_actors_territory_refuses_the_row(tmp_path, territory, personas):
    # Ana's territory is Cuauhtémoc: a program that also covers Coyoacán is not hers to add.
    rows = [ACROSS | {"organization": ""}]
    with pytest.raises(ValueError, match="municipalities"):
        import_interventions_csv(path=write(tmp_path, rows), actor=personas.analyst_cuauhtemoc)
    assert Intervention.objects.count() == 0
