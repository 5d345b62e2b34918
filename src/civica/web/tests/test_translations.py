"""The Spanish catalogue is complete and its compiled file matches it."""

import gettext
import re
from pathlib import Path

import polib
import pytest

LOCALE = Path(__file__).resolve().parents[2] / "locale" / "es_MX" / "LC_MESSAGES"


@pytest.fixture(scope="module")
def catalogue():
    return polib.pofile(str(LOCALE / "django.po"))


def test_every_message_is_translated(catalogue):
    untranslated = [e.msgid for e in catalogue.untranslated_entries()]
    fuzzy = [e.msgid for e in catalogue.fuzzy_entries()]
    assert not untranslated and not fuzzy, (untranslated, fuzzy)


def test_placeholders_survive_translation(catalogue):
    pattern = re.compile(r"%\(\w+\)[sd]")
    for entry in catalogue.translated_entries():
        translations = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        for text in translations:
            assert sorted(set(pattern.findall(entry.msgid))) <= sorted(
                set(pattern.findall(text)) | set(pattern.findall(entry.msgid_plural or ""))
            ), entry.msgid


def test_the_compiled_catalogue_matches_the_source(catalogue):
    with (LOCALE / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for entry in catalogue.translated_entries():
        if entry.msgid_plural:
            continue
        key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
        assert compiled._catalog.get(key) == entry.msgstr, (
            f"django.mo is stale for {entry.msgid!r}: run "
            "`cd src/civica && python -m django compilemessages`"
        )
