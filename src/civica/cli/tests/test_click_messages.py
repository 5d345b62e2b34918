"""Click's own messages (a missing argument, an unknown option, a bad value) speak the
command's language: Spanish by default, English with ``--lang en``; and the catalogue that
translates them holds click's texts, every one translated, compiled as written."""

from __future__ import annotations

import ast
import gettext
import os
import re
import subprocess
import sys
from pathlib import Path

import click
import polib
import pytest
from click.testing import CliRunner

from civica.cli.main import cli

LOCALE = Path(__file__).resolve().parents[2] / "locale" / "es_MX" / "LC_MESSAGES"
_LANGUAGE_AT_START = os.environ.get("LANGUAGE")

# (arguments, what Spanish says, what English says)
MISTAKES = [
    (
        ["ingest", "sesnsp"],
        "Error: Falta el argumento 'FILES...'.",
        "Error: Missing argument 'FILES...'.",
    ),
    (
        ["ingest", "sesnsp", "IDM_NM_dic25.csv", "--cu", "2025-12"],
        "Error: No existe la opción '--cu'. ¿Quiso decir '--cut'?",
        "Error: No such option '--cu'. Did you mean '--cut'?",
    ),
    (
        ["ingest", "sesnsp", "IDM_NM_dic25.csv", "--cut"],
        "Error: La opción '--cut' necesita un valor.",
        "Error: Option '--cut' requires an argument.",
    ),
    (
        ["ingest", "sesnsp", "no-such-file.csv", "--cut", "2025-12"],
        "Error: Valor no válido para 'FILES...': No existe 'no-such-file.csv'.",
        "Error: Invalid value for 'FILES...': File 'no-such-file.csv' does not exist.",
    ),
    (
        ["monitoring", "indicators", "--format", "pdf"],
        "Error: Valor no válido para '--format': 'pdf' no es ninguno de 'csv', 'xlsx', 'dhis2'.",
        "Error: Invalid value for '--format': 'pdf' is not one of 'csv', 'xlsx', 'dhis2'.",
    ),
    (
        ["no-such-command"],
        "Error: No existe el comando 'no-such-command'.",
        "Error: No such command 'no-such-command'.",
    ),
]


@pytest.fixture
def runner(monkeypatch):
    monkeypatch.delenv("CIVICA_LANGUAGE", raising=False)
    return CliRunner()


@pytest.mark.parametrize(("arguments", "spanish", "english"), MISTAKES)
def test_a_typing_mistake_is_told_in_the_chosen_language(runner, arguments, spanish, english):
    # The command whose help the hint names: the subcommand's, or the root's for a command
    # that does not exist.
    command = "civica" if arguments == ["no-such-command"] else f"civica {' '.join(arguments[:2])}"
    for chosen, expected, hint in (
        ([], spanish, "Pruebe '{}' para ver la ayuda."),
        (["--lang", "es-mx"], spanish, "Pruebe '{}' para ver la ayuda."),
        (["--lang", "en"], english, "Try '{}' for help."),
    ):
        result = runner.invoke(cli, [*chosen, *arguments], prog_name="civica")
        assert result.exit_code == 2, result.output
        assert expected in result.output, result.output
        if "Usage:" in result.output:  # click adds the usage and the hint to most mistakes
            assert hint.format(f"{command} --help") in result.output, result.output


def test_a_command_leaves_no_language_to_the_next_test():
    # civica.testing.fixtures puts LANGUAGE back after each test: the tests above ended in
    # English, and a browser started now must not inherit that.
    assert os.environ.get("LANGUAGE") == _LANGUAGE_AT_START


def test_a_mistake_before_the_language_is_read_follows_civica_language(tmp_path):
    # A real process: ``main`` chooses the language before click reads the arguments.
    environment = {**os.environ, "CIVICA_HOME": str(tmp_path)}
    environment.pop("CIVICA_LANGUAGE", None)
    command = [sys.executable, "-c", "from civica.cli.main import main; main()", "--bogus"]
    spanish = subprocess.run(command, env=environment, capture_output=True, text=True)
    environment["CIVICA_LANGUAGE"] = "en"
    english = subprocess.run(command, env=environment, capture_output=True, text=True)
    assert spanish.returncode == english.returncode == 2
    assert "Error: No existe la opción '--bogus'." in spanish.stderr, spanish.stderr
    assert "Error: No such option '--bogus'." in english.stderr, english.stderr


@pytest.fixture(scope="module")
def catalogue():
    return polib.pofile(str(LOCALE / "click.po"))


def _click_texts() -> set[str]:
    """Every text click's modules hand to gettext (``_`` and ``ngettext``)."""
    texts = set()
    for source in Path(click.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ("_", "ngettext")
            ):
                texts |= {
                    argument.value
                    for argument in node.args
                    if isinstance(argument, ast.Constant) and isinstance(argument.value, str)
                }
    return texts


def test_every_message_is_one_of_clicks(catalogue):
    texts = _click_texts()
    assert len(texts) > 50  # the walk found click's messages at all
    missing = [
        text
        for entry in catalogue
        for text in (entry.msgid, entry.msgid_plural)
        if text and text not in texts
    ]
    assert not missing, f"no longer click's (click was upgraded?): {missing}"


def test_every_message_is_translated_with_its_placeholders(catalogue):
    assert not catalogue.untranslated_entries() and not catalogue.fuzzy_entries()
    placeholder = re.compile(r"\{[^}]*\}")
    for entry in catalogue:
        if entry.msgid_plural:
            pairs = [
                (entry.msgid, entry.msgstr_plural[0]),
                (entry.msgid_plural, entry.msgstr_plural[1]),
            ]
        else:
            pairs = [(entry.msgid, entry.msgstr)]
        for source, text in pairs:
            # click fills the placeholders with str.format: a new one breaks the message, a
            # lost one loses what it says (only a path's kind is left out, see click.po)
            found, given = set(placeholder.findall(text)), set(placeholder.findall(source))
            assert found <= given and given - found <= {"{name}"}, text


def test_the_compiled_catalogue_matches_the_source(catalogue):
    with (LOCALE / "click.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for entry in catalogue:
        if entry.msgid_plural:
            for count, index in ((1, 0), (2, 1)):
                assert (
                    compiled.ngettext(entry.msgid, entry.msgid_plural, count)
                    == (entry.msgstr_plural[index])
                ), "click.mo is stale: run `msgfmt -o click.mo click.po` in its folder"
        else:
            assert compiled.gettext(entry.msgid) == entry.msgstr, (
                "click.mo is stale: run `msgfmt -o click.mo click.po` in its folder"
            )
