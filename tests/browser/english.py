"""English left on a Spanish page: words of the message catalogue's English msgids that no
Spanish translation uses (so "total", "CURP" or "Gi" never count), plus English function words.

Proper names and codes are not words of an English msgid unless some English sentence of
the interface uses them, and upper-case data (CDMX sector names, SESNSP crimes) is left out.
"""

from __future__ import annotations

import gettext
import re
from functools import cache
from pathlib import Path

CATALOGUE = Path(__file__).resolve().parents[2] / "src/civica/locale/es_MX/LC_MESSAGES/django.mo"
# Words that are only English: if one shows on a Spanish page, a sentence was left untranslated.
FUNCTION_WORDS = {
    "the",
    "and",
    "with",
    "from",
    "this",
    "that",
    "which",
    "were",
    "was",
    "has",
    "have",
    "been",
    "for",
    "not",
    "are",
    "is",
    "of",
    "to",
    "by",
    "when",
    "where",
    "will",
    "only",
    "than",
    "there",
    "these",
    "their",
    "its",
    "into",
    "or",
    "each",
    "after",
    "before",
    "between",
    "without",
    "should",
    "could",
    "would",
    "can",
    "cannot",
    "your",
    "you",
    "an",
    "at",
    "on",
    "it",
    "be",
    "if",
    "more",
    "less",
    "yes",
    "none",
    "any",
    "some",
    "other",
    "here",
    "what",
    "who",
    "how",
    "must",
    "does",
    "did",
    "see",
}
# Words an English msgid shares with Spanish text outside the catalogue (names, data, units).
NOT_ENGLISH_ONLY = {
    "gi",
    "fy",
    "id",
    "pdf",
    "csv",
    "xlsx",
    "json",
    "api",
    "url",
    "png",
    "km",
    "m",
    "p",
    "s",
    "t",
    "n",
    "e",
    "x",
    "q",
    "df",
    "se",
    "ok",
    "cvegeo",
    "rmspe",
    "wdq",
    "wdd",
    "rirr",
    "knox",
    "holm",
    "welch",
    "satterthwaite",
    "callaway",
    "sant",
    "anna",
    "poisson",
    "mann",
    "kendall",
    "getis",
    "ord",
    "fdr",
    "bh",
    "ci",
    "iqr",
    "curp",
    "rfc",
    "sesnsp",
    "rnid",
    "inegi",
    "conapo",
    "cdmx",
    "ssp",
    "postgresql",
    "sqlite",
    "duckdb",
    "redis",
    "django",
    "python",
    "email",
    "e-mail",
    "online",
    "web",
    "software",
    "demo",
    "local",
    "general",
    "normal",
    "total",
    "social",
    "municipal",
    "federal",
    "final",
    "original",
    "sector",
    "sectores",
    "radio",
    "ideal",
    "real",
    "plan",
    "error",
    "hotspot",
    "placebo",
    "placebos",
    "buffer",
    "logit",
    "log",
    "bootstrap",
    "kernel",
    "grid",
    "ratio",
    "items",
    "item",
    "test",
    "standard",
    "personal",
    "may",
    "similar",
    "mixes",
    "mar",
}
WORD = re.compile(r"[A-Za-zÁÉÍÓÚÜÑáéíóúüñ][A-Za-zÁÉÍÓÚÜÑáéíóúüñ'’]*")
PLACEHOLDER = re.compile(r"%\(\w+\)[sdfr]|%[sdfr]|\{\w*\}")


def _words(text: str) -> set[str]:
    return {w.lower() for w in WORD.findall(PLACEHOLDER.sub(" ", text))}


@cache
def english_only() -> frozenset[str]:
    with CATALOGUE.open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)._catalog
    english, spanish = set(), set()
    for msgid, msgstr in catalogue.items():
        if isinstance(msgid, tuple):  # plural forms: (msgid, index)
            msgid = msgid[0]
        if not msgid:
            continue
        english |= _words(msgid)
        spanish |= _words(msgstr)
    words = (english - spanish - NOT_ENGLISH_ONLY) | FUNCTION_WORDS
    return frozenset(w for w in words if len(w) > 1)


# File names and dataset identifiers ("sesnsp-crimes-state-2015") are names, not sentences.
FILE_NAME = re.compile(
    r"\S+\.(?:csv|gz|geojson|topojson|json|xlsx|pdf|png|zip)\b|\b[a-z0-9]+(?:-[a-z0-9]+){2,}\b"
)


def english_in(text: str) -> list[str]:
    """The English words of ``text`` with a little context; upper-case data and file names
    (the names the publisher gave them) left out."""
    vocabulary = english_only()
    found = []
    text = FILE_NAME.sub(" ", text)
    for match in WORD.finditer(text):
        word = match.group(0)
        if word.isupper() and len(word) > 1:
            continue
        if word.lower() in vocabulary:
            start, end = max(0, match.start() - 30), min(len(text), match.end() + 30)
            found.append(f"{word!r} in “{' '.join(text[start:end].split())}”")
    return found
