"""The readers import no Django, and the one catalogue of messages (civica.messages) has a
Spanish sentence for every template a reader uses and every code the statistics emit."""

import ast
import re
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.utils import translation

import civica
from civica.messages import NOTES, note_text, text
from civica.sources.errors import Message, SourceError
from civica.stats._notes import Note

PACKAGE = Path(civica.__file__).parent
CATALOGUE = PACKAGE / "locale" / "es_MX" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\(\w+\)")


@pytest.fixture(scope="module")
def spanish():
    catalogue = polib.pofile(str(CATALOGUE))
    return {entry.msgid: entry.msgstr for entry in catalogue if entry.msgstr}


def _modules(folder: str):
    return sorted(p for p in (PACKAGE / folder).glob("*.py"))


def _templates(path: Path) -> list[str]:
    """Literal first arguments of calls to ``_`` (the readers' ``message``)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("_", "message")
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            found.append(node.args[0].value)
    return found


def _note_codes(path: Path) -> list[str]:
    codes = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "Note"
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            codes.append(node.args[0].value)
    return codes


def test_the_readers_import_nothing_of_django():
    modules = [f"civica.sources.{p.stem}" for p in _modules("sources")]
    script = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "loaded = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'))\n"
        "apps = sorted(m for m in sys.modules if m.startswith('civica.') and m.split('.')[1] "
        "not in ('sources', 'stats'))\n"
        "print(loaded + apps)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_every_reader_template_has_a_spanish_translation(spanish):
    templates = {t for path in _modules("sources") for t in _templates(path)}
    assert len(templates) > 100  # the readers' messages, all of them
    missing = sorted(t for t in templates if t not in spanish)
    assert not missing, missing
    for template in templates:
        assert set(PLACEHOLDER.findall(template)) <= set(PLACEHOLDER.findall(spanish[template]))


def test_every_note_code_of_the_statistics_is_in_the_catalogue_and_translated(spanish):
    codes = {code for path in _modules("stats") for code in _note_codes(path)}
    assert len(codes) >= 22
    assert not sorted(codes - set(NOTES)), "codes without a sentence in civica.messages.NOTES"
    untranslated = [t for templates in NOTES.values() for t in templates if t not in spanish]
    assert not untranslated, untranslated


def test_a_source_error_reads_in_the_reader_s_language():
    error = SourceError(
        Message("“%(value)s” is negative; a count of %(counted)s is 0 or more.")
        % {"value": "-3", "counted": Message("crimes")},
        file="datos/x.csv",
        line=4,
        column=7,
    )
    with translation.override("en"):
        english = str(error)
    assert english == "x.csv, line 4, column 7: “-3” is negative; a count of crimes is 0 or more."
    with translation.override("es-mx"):
        spanish = text(error)
    assert spanish.startswith("x.csv, línea 4, columna 7: ") and "delitos" in spanish


def test_a_hot_spot_note_reads_in_spanish():
    note = Note("sparse_counts", "The mean count per unit is 0.01: …", {"mean": 0.0123})
    with translation.override("es-mx"):
        assert note_text(note).startswith("El conteo promedio por unidad es 0.01")
    with translation.override("en"):
        assert note_text(note).startswith("The mean count per unit is 0.01")


def test_a_list_of_accepted_kinds_is_translated_part_by_part(tmp_path):
    from civica.sources.sesnsp import read_sesnsp

    path = tmp_path / "otro.csv"
    path.write_text("a,b,c\n1,2,3\n", encoding="utf-8")
    with pytest.raises(SourceError) as caught:
        read_sesnsp(path, output=tmp_path / "out.parquet")
    with translation.override("es-mx"):
        spanish = text(caught.value)
    with translation.override("en"):
        english = text(caught.value)
    assert "state incidence (IDEFC_NM)" in english
    assert "state incidence (IDEFC_NM)" not in spanish and "IDEFC_NM" in spanish
