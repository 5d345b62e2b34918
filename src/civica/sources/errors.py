"""The one error type every reader in :mod:`civica.sources` raises, and its messages.

It names the file and, where known, the line, column, feature and field, so a user can open
the file and find the problem.

Readers know nothing of Django, so they do not translate: a message is a :class:`Message`,
an English template (the code the translation catalogue knows it by) with its values kept
apart. It reads as English wherever it is used as text; the edge that shows it to a person
turns it into their language with :meth:`Message.translate` — :func:`civica.messages.text`
does, and the Django process installs that translator (:func:`set_translator`) so that
``str(error)`` is already in the reader's language on every page and command.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Joined", "Message", "SourceError", "message", "set_translator", "translate"]


def _identity(template: str) -> str:
    return template


_translator: Callable[[str], str] = _identity


def set_translator(gettext: Callable[[str], str] | None) -> None:
    """Install the function that translates a template (Django's ``gettext``); None: English."""
    global _translator
    _translator = gettext or _identity


class Message(str):
    """An English message whose template and values are kept for translation later.

    ``message("“%(value)s” is not a year.") % {"value": "20x5"}`` reads as the English
    sentence; :meth:`translate` gives it in the language of the translator installed,
    translating values that are messages themselves.
    """

    template: str
    params: Mapping[str, object] | tuple | None

    def __new__(cls, template: str, params: Mapping[str, object] | tuple | None = None):
        text = template % params if params is not None else template
        self = super().__new__(cls, text)
        self.template = template
        self.params = params
        return self

    def __mod__(self, params):  # a template formatted keeps its template
        return Message(self.template, params)

    def translate(self, gettext: Callable[[str], str] | None = None) -> str:
        gettext = gettext or _translator
        params = self.params
        if isinstance(params, Mapping):
            params = {key: translate(value, gettext) for key, value in params.items()}
        elif isinstance(params, tuple):
            params = tuple(translate(value, gettext) for value in params)
        template = gettext(self.template)
        return template % params if params is not None else template


class Joined(str):
    """Texts and messages joined by a separator, each message translated when the whole is:
    for lists built from parts (``"; ".join`` of messages would fix them in English)."""

    separator: str
    parts: tuple

    def __new__(cls, separator: str, parts):
        parts = tuple(parts)
        self = super().__new__(cls, separator.join(str(part) for part in parts))
        self.separator = separator
        self.parts = parts
        return self

    def translate(self, gettext: Callable[[str], str] | None = None) -> str:
        return self.separator.join(str(translate(part, gettext)) for part in self.parts)


def message(template: str) -> Message:
    """Mark an English template as a message of the catalogue (readers import it as ``_``)."""
    return Message(template)


def translate(value: object, gettext: Callable[[str], str] | None = None) -> object:
    """A message in the translator's language; any other value as it is."""
    return value.translate(gettext) if isinstance(value, Message | Joined) else value


@dataclass
class SourceError(Exception):
    """A file that cannot be read as its format says, and where.

    ``message`` is a :class:`Message` (or text already in the reader's language, when an
    app raises it); ``str()`` gives the location and the message in the language of the
    translator installed.
    """

    message: str
    file: str | Path = ""
    line: int | None = None
    column: int | None = None
    feature: int | None = None
    field: str | None = None

    @property
    def code(self) -> str:
        """The message's template: the key of the translation catalogue."""
        return getattr(self.message, "template", str(self.message))

    def __str__(self) -> str:
        _ = message
        where = [str(Path(self.file).name) if self.file else ""]
        if self.line is not None:
            where.append(_("line %(line)d") % {"line": self.line})
        if self.column is not None:
            where.append(_("column %(column)d") % {"column": self.column})
        if self.feature is not None:
            # Features are numbered from 1 as a person counts them.
            where.append(_("feature %(n)d") % {"n": self.feature})
        if self.field:
            where.append(_("field “%(field)s”") % {"field": self.field})
        location = ", ".join(str(translate(part)) for part in where if part)
        text = str(translate(self.message))
        return f"{location}: {text}" if location else text
