"""Reading a source file's bytes and text: the checks every reader shares."""

from __future__ import annotations

from pathlib import Path

from civica.sources.errors import SourceError
from civica.sources.errors import message as _

__all__ = ["read_bytes", "read_text"]


def read_bytes(path: Path) -> bytes:
    """The file's bytes, or a :class:`SourceError` saying why they cannot be had."""
    if not path.exists():
        raise SourceError(_("The file does not exist."), file=path)
    if not path.is_file():
        raise SourceError(_("This is not a file."), file=path)
    try:
        return path.read_bytes()
    except OSError as error:
        raise SourceError(
            _("The file could not be read: %(reason)s") % {"reason": error.strerror},
            file=path,
        ) from error


def read_text(path: Path) -> tuple[str, str]:
    """Text and encoding of a CSV as Mexican publishers write them: UTF-8 (with or without
    BOM), else Windows-1252, else latin-1."""
    data = read_bytes(path)
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        # cp1252 leaves five bytes undefined; latin-1 accepts every byte.
        return data.decode("latin-1"), "latin-1"
