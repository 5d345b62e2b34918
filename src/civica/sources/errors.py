"""The one error type every reader in :mod:`civica.sources` raises.

It names the file and, where known, the line, column, feature and field, so a user can open
the file and find the problem. Messages are written with ``gettext`` at raise time, so they
come out in the user's language.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = ["SourceError"]


@dataclass
class SourceError(Exception):
    message: str
    file: str | Path = ""
    line: int | None = None
    column: int | None = None
    feature: int | None = None
    field: str | None = None

    def __str__(self) -> str:
        from django.utils.translation import gettext as _

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
        location = ", ".join(part for part in where if part)
        return f"{location}: {self.message}" if location else self.message
