"""Bad files through every CSV importer (persons, monitoring records, interventions), on the
command line and the API: a clear error with line and column, never a traceback or a 500;
Latin-1 and UTF-16 files are read; importing the same interventions twice creates nothing."""

import codecs

import pytest
from click.testing import CliRunner
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from civica.audit.models import AuditEvent
from civica.cli.main import cli
from civica.interventions.models import Intervention
from civica.monitoring.models import Activity
from civica.participants.imports import ImportFailed, import_persons_csv
from civica.participants.models import Person

HEADER = (
    "given_names,family_names,birth_date,sex,curp,municipality,consent_given_by,"
    "guardian_name,consent_date,follow_up,track,referral_source,start_date\n"
)
ROW = "Ana,Peña,2009-02-03,F,,09015,guardian,Rosa Ruiz,2023-01-02,sí,prevention,school,2023-01-05\n"
THREE = (
    ROW + "Luis,Soto Vega,2007-06-01,M,,09015,guardian,Eva Soto,2023-01-02,,prevention,school,"
    "2023-01-05\n"
    + "Zoe,Kuri Lam,2005-11-21,F,,02004,guardian,Ix Lam,2023-01-02,,prevention,school,2023-01-05\n"
)
INTERVENTIONS = (
    "name,kind,municipality,sectors,crimes,start\n"
    "Alumbrado,environmental_design,09015,,Robo,2024-01-08\n"
    "Jóvenes con futuro,youth_program,09003,,Narcomenudeo,2024-02-01\n"
)
ACTIVITIES = (
    "code,name,implementer,start,end,goals\n"
    "JC,Justicia cívica,Fundación A,2023-01-01,2024-12-31,community_prevention\n"
)


def _in_first_cell(text: str, insert: str) -> bytes:
    """``insert`` placed inside the second cell of the first data line."""
    at = text.index(",", text.index("\n") + 1) + 2
    return (text[:at] + insert + text[at:]).encode()


BAD_FILES = {
    "nul": (lambda text: _in_first_cell(text, "\x00"), "línea 2"),
    "huge cell": (lambda text: _in_first_cell(text, "x" * 10_000_000), "línea 2, columna “"),
    "extra field": (lambda text: (text.rstrip("\n") + ",sobra\n").encode(), "celdas pero"),
    "duplicated column": (
        lambda text: text.replace("\n", "," + text.split(",", 1)[0] + "\n", 1).encode(),
        "línea 1",
    ),
    "utf-16 without bom": (lambda text: text.encode("utf-16-le"), "línea 1"),
}


def run(*args):
    return CliRunner().invoke(cli, ["--lang", "es-mx", *args])


def command_for(kind, path, personas):
    if kind == "persons":
        return run("participants", "import", str(path), "--organization", personas.org_a.name)
    if kind == "activities":
        return run("monitoring", "import-activities", str(path))
    return run("interventions", "import", str(path))


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["persons", "activities", "interventions"])
@pytest.mark.parametrize("bad", sorted(BAD_FILES))
def test_a_bad_file_is_a_clear_refusal_on_the_command_line(
    personas, territory, tmp_path, kind, bad
):
    text = {"persons": HEADER + ROW, "activities": ACTIVITIES, "interventions": INTERVENTIONS}[kind]
    damage, where = BAD_FILES[bad]
    path = tmp_path / "archivo.csv"
    path.write_bytes(damage(text))
    result = command_for(kind, path, personas)
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert f"archivo.csv, {where}" in result.output or where in result.output
    assert Person.objects.count() == Activity.objects.count() == Intervention.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    "encode",
    [
        lambda text: text.encode("latin-1"),
        lambda text: codecs.BOM_UTF16_LE + text.encode("utf-16-le"),
    ],
    ids=["latin-1", "utf-16"],
)
def test_latin1_and_utf16_files_import_with_their_accents(personas, territory, tmp_path, encode):
    path = tmp_path / "personas.csv"
    path.write_bytes(encode(HEADER + ROW))
    result = command_for("persons", path, personas)
    assert result.exit_code == 0, result.output
    assert Person.objects.get().family_names == "Peña"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data",
    [
        (HEADER + ROW).replace("Rosa", "Ro\x00sa").encode(),
        (HEADER + ROW).encode("utf-16-le"),
        (HEADER + ROW.rstrip("\n") + ",sobra\n").encode(),
        (HEADER + ROW).replace("Rosa", "R" * 10_000_000).encode(),
    ],
    ids=["nul", "utf-16 without bom", "extra field", "huge cell"],
)
def test_the_api_answers_400_with_line_and_column_never_500(personas, territory, data):
    client = APIClient()
    client.force_authenticate(personas.worker_a)
    upload = SimpleUploadedFile("p.csv", data)
    response = client.post("/api/persons/import/", {"file": upload}, format="multipart")
    assert response.status_code == 400
    assert response.json()["errors"][0]["line"] in (1, 2)
    assert Person.objects.count() == 0


@pytest.mark.django_db
def test_importing_the_same_interventions_twice_creates_nothing_the_second_time(
    territory, tmp_path
):
    path = tmp_path / "intervenciones.csv"
    path.write_text(INTERVENTIONS, encoding="utf-8")
    assert run("interventions", "import", str(path)).exit_code == 0
    again = run("interventions", "import", str(path))
    assert again.exit_code == 0, again.output
    assert Intervention.objects.count() == 2
    changed = tmp_path / "cambiada.csv"
    changed.write_text(INTERVENTIONS.replace("Robo", "Lesiones"), encoding="utf-8")
    refused = run("interventions", "import", str(changed))
    assert refused.exit_code == 1 and "columna “crimes”" in refused.output
    assert Intervention.objects.count() == 2


@pytest.mark.django_db
def test_the_import_is_one_audit_entry_and_reports_its_progress(personas, territory):
    seen = []
    result = import_persons_csv(
        actor=personas.worker_a,
        organization=personas.org_a,
        text=HEADER + THREE,
        batch_size=2,
        progress=lambda done, total: seen.append((done, total)),
    )
    assert seen == [(2, 3), (3, 3)]
    entry = AuditEvent.objects.get(object_type="core.ImportedFile")
    assert entry.detail["created"] == 3 and sorted(entry.detail["ids"]) == sorted(result.pids)


@pytest.mark.django_db
def test_a_record_written_meanwhile_refuses_the_whole_staged_file(personas, territory, monkeypatch):
    """Staged in batches, applied at once: a CURP registered by someone else between the
    staging and the apply refuses the file, and none of its rows is served."""
    from civica.core.staging import Staging
    from civica.participants.models import Consent, Enrollment
    from civica.participants.services import register_person

    curp = "LOHM080520MDFPRR09"
    original = Staging.add
    written, batches = [], []

    def someone_registers_meanwhile(self, model, objects):
        batches.append(model)
        if batches.count(Enrollment) == 2 and not written:
            written.append(
                register_person(
                    actor=personas.worker_a,
                    organization=personas.org_a,
                    given_names="Otra",
                    family_names="Persona",
                    sex="F",
                    curp=curp,
                    municipality=territory.cuauhtemoc,
                )
            )
        return original(self, model, objects)

    monkeypatch.setattr(Staging, "add", someone_registers_meanwhile)
    text = HEADER + THREE.replace("2007-06-01,M,,", f"2007-06-01,M,{curp},")
    with pytest.raises(ImportFailed, match=r"importe el archivo de nuevo|import the file again"):
        import_persons_csv(
            actor=personas.worker_a, organization=personas.org_a, text=text, batch_size=2
        )
    assert list(Person.objects.values_list("pid", flat=True)) == [written[0].pid]
    assert Consent.objects.count() == Enrollment.objects.count() == 0
    assert not AuditEvent.objects.filter(object_type="core.ImportedFile").exists()
