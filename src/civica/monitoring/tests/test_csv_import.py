import pytest

from civica.accounts.access import SYSTEM
from civica.audit.models import AuditEvent
from civica.monitoring.csvfiles import CsvImportError
from civica.monitoring.models import Activity, Coverage
from civica.monitoring.services import (
    import_activities_csv,
    import_alliances_csv,
    import_coverage_csv,
)
from civica.organizations.models import Alliance, Organization, OrganizationKind

ACTIVITIES = (
    "code,name,implementer,start,end,goals,description\n"
    "cj,Justicia cívica municipal,Implementador,2020-10-01,2024-09-30,local_institutions,\n"
)


@pytest.fixture
def implementer(db):
    return Organization.objects.create(name="Implementador", kind=OrganizationKind.IMPLEMENTER)


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_it_imports_activities_and_coverage_and_audits_them(tmp_path, territory, implementer):
    import_activities_csv(path=write(tmp_path, "a.csv", ACTIVITIES), actor=SYSTEM)
    summary = import_coverage_csv(
        path=write(
            tmp_path,
            "c.csv",
            "activity,municipality,from,to,support_type,components\n"
            "cj,02004,2021-01-01,2024-09-30,direct,civic_justice;problem_oriented_policing\n"
            "cj,09015,2021-01-01,2023-12-31,collaborative,civic_justice\n",
        ),
        actor=SYSTEM,
    )
    assert summary == {"created": 2, "updated": 0}
    assert Coverage.objects.get(municipality__cvegeo="02004").components == [
        "civic_justice",
        "problem_oriented_policing",
    ]
    assert AuditEvent.objects.filter(object_type="monitoring.Coverage").count() == 2


def test_it_refuses_coverage_outside_the_activity_period_and_imports_nothing(
    tmp_path, territory, implementer
):
    import_activities_csv(path=write(tmp_path, "a.csv", ACTIVITIES), actor=SYSTEM)
    bad = write(
        tmp_path,
        "c.csv",
        "activity,municipality,from,to,support_type,components\n"
        "cj,02004,2021-01-01,2024-09-30,direct,civic_justice\n"
        "cj,09015,2021-01-01,2025-03-31,direct,civic_justice\n",
    )
    with pytest.raises(CsvImportError) as error:
        import_coverage_csv(path=bad, actor=SYSTEM)
    message = str(error.value)
    assert "c.csv, línea 3" in message and "“to”" in message and "2024-09-30" in message
    assert Coverage.objects.count() == 0


def test_errors_are_in_english_when_asked(tmp_path, territory, implementer, settings):
    from django.utils import translation

    import_activities_csv(path=write(tmp_path, "a.csv", ACTIVITIES), actor=SYSTEM)
    bad = write(
        tmp_path,
        "c.csv",
        "activity,municipality,from,to,support_type,components\n"
        "cj,99999,2021-01-01,2024-09-30,direct,civic_justice\n",
    )
    with translation.override("en"), pytest.raises(CsvImportError) as error:
        import_coverage_csv(path=bad, actor=SYSTEM)
    assert "line 2, column “municipality”: no municipality with CVEGEO “99999”" in str(error.value)
    with translation.override("es-mx"), pytest.raises(CsvImportError) as error:
        import_coverage_csv(path=bad, actor=SYSTEM)
    assert "línea 2" in str(error.value)


def test_it_rejects_an_unknown_goal_and_a_bad_date(tmp_path, implementer):
    with pytest.raises(CsvImportError, match="columna “goals”"):
        import_activities_csv(
            path=write(tmp_path, "a.csv", ACTIVITIES.replace("local_institutions", "peace")),
            actor=SYSTEM,
        )
    with pytest.raises(CsvImportError, match="columna “end”"):
        import_activities_csv(
            path=write(tmp_path, "a.csv", ACTIVITIES.replace("2024-09-30", "30/09/2024")),
            actor=SYSTEM,
        )
    assert Activity.objects.count() == 0


def test_a_repeat_import_updates_instead_of_duplicating(tmp_path, implementer):
    path = write(tmp_path, "a.csv", ACTIVITIES)
    import_activities_csv(path=path, actor=SYSTEM)
    assert import_activities_csv(path=path, actor=SYSTEM) == {"created": 0, "updated": 1}


def test_it_imports_an_alliance_of_two_or_more_members(tmp_path, territory, implementer):
    Organization.objects.create(name="Cámara empresarial", kind=OrganizationKind.PRIVATE_SECTOR)
    text = (
        "name,purpose,members,municipalities,start,end\n"
        "Policía BC,Financiamiento privado de la policía local,"
        "Implementador;Cámara empresarial,02001;02004,2021-01-01,2024-09-30\n"
    )
    import_alliances_csv(path=write(tmp_path, "al.csv", text), actor=SYSTEM)
    alliance = Alliance.objects.get()
    assert alliance.members.count() == 2 and alliance.municipalities.count() == 2
    with pytest.raises(CsvImportError, match="columna “members”"):
        import_alliances_csv(
            path=write(tmp_path, "al2.csv", text.replace(";Cámara empresarial", "")), actor=SYSTEM
        )


def test_a_user_cannot_import_coverage_outside_their_scope(tmp_path, personas, implementer):
    import_activities_csv(path=write(tmp_path, "a.csv", ACTIVITIES), actor=SYSTEM)
    bad = write(
        tmp_path,
        "c.csv",
        "activity,municipality,from,to,support_type,components\n"
        "cj,09015,2021-01-01,2024-09-30,direct,civic_justice\n",
    )
    with pytest.raises(CsvImportError, match="línea 2, columna “municipality”"):
        import_coverage_csv(path=bad, actor=personas.analyst_tijuana)
    assert Coverage.objects.count() == 0


def test_an_activity_cannot_shrink_away_from_its_coverage(tmp_path, territory, implementer):
    import_activities_csv(path=write(tmp_path, "a.csv", ACTIVITIES), actor=SYSTEM)
    import_coverage_csv(
        path=write(
            tmp_path,
            "c.csv",
            "activity,municipality,from,to,support_type,components\n"
            "cj,02004,2021-01-01,2024-09-30,direct,civic_justice\n",
        ),
        actor=SYSTEM,
    )
    shorter = ACTIVITIES.replace("2024-09-30", "2023-09-30")
    with pytest.raises(CsvImportError, match="1 registros de cobertura"):
        import_activities_csv(path=write(tmp_path, "a2.csv", shorter), actor=SYSTEM)
    assert str(Activity.objects.get().end_date) == "2024-09-30"


def test_activities_are_checked_for_the_whole_file_with_every_problem_named(tmp_path, implementer):
    text = (
        "code,name,implementer,start,end,goals,description\n"
        "ok,Bien,Implementador,2020-10-01,2024-09-30,local_institutions,\n"
        "no code,Mal código,Implementador,2020-10-01,2024-09-30,local_institutions,\n"
        "x2,Sin implementador,Nadie,2020-10-01,2024-09-30,local_institutions,\n"
        "x3,Al revés,Implementador,2024-10-01,2020-09-30,local_institutions,\n"
        "x4,,Implementador,2020-10-01,2024-09-30,local_institutions,\n"
    )
    with pytest.raises(CsvImportError) as error:
        import_activities_csv(path=write(tmp_path, "a.csv", text), actor=SYSTEM)
    lines = error.value.lines()
    assert [line.split(":")[0] for line in lines] == [
        "a.csv, línea 3, columna “code”",
        "a.csv, línea 4, columna “implementer”",
        "a.csv, línea 5, columna “end”",
        "a.csv, línea 6, columna “name”",
    ]
    assert "Nadie" in lines[1] and "2020-09-30" in lines[2]
    assert Activity.objects.count() == 0
    assert not AuditEvent.objects.filter(object_type="monitoring.Activity").exists()


def test_a_code_repeated_in_a_file_updates_what_its_earlier_row_created(tmp_path, implementer):
    text = ACTIVITIES + (
        "otra,Otra,Implementador,2021-01-01,2021-12-31,local_institutions,\n"
        "cj,Justicia cívica (nombre nuevo),Implementador,2020-10-01,2024-09-30,"
        "local_institutions,\n"
    )
    summary = import_activities_csv(path=write(tmp_path, "a.csv", text), actor=SYSTEM)
    assert summary == {"created": 2, "updated": 1}
    assert Activity.objects.get(code="cj").name == "Justicia cívica (nombre nuevo)"
    events = AuditEvent.objects.filter(object_type="monitoring.Activity").order_by("id")
    assert [(e.action, e.detail["line"]) for e in events] == [
        ("create", 2),
        ("create", 3),
        ("update", 4),
    ]


def test_an_activities_import_reports_its_progress_while_it_writes(tmp_path, implementer):
    rows = "".join(
        f"a{n},Actividad {n},Implementador,2021-01-01,2021-12-31,local_institutions,\n"
        for n in range(2500)
    )
    path = write(tmp_path, "a.csv", ACTIVITIES.split("\n")[0] + "\n" + rows)
    seen = []
    summary = import_activities_csv(
        path=path, actor=SYSTEM, progress=lambda done, total: seen.append((done, total))
    )
    assert summary == {"created": 2500, "updated": 0}
    assert seen == [(1000, 2500), (2000, 2500), (2500, 2500)]
    assert Activity.objects.count() == 2500
    assert import_activities_csv(path=path, actor=SYSTEM) == {"created": 0, "updated": 2500}
