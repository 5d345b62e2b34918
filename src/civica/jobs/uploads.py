"""Uploaded files a background job reads: held encrypted in the workspace until the worker
takes them.

A large import from the web runs in the worker, which needs the uploaded file; the file holds
personal data, so it is never written as it came. :func:`hold` encrypts it with the
application's key (``civica.core.crypto``, the key of the personal fields) into a file of
``CIVICA_HOME/uploads/`` created readable and writable by its owner only (0600, in a 0700
folder), named by a random token — the token, not the file's name, goes into the job's
inputs. :func:`take` reads, decrypts and deletes it in one step, before the import starts;
a file no job took (the worker never ran) is deleted by :func:`prune` (``civica jobs
prune``). With the RQ backend every worker must share the workspace folder.
"""

from __future__ import annotations

import base64
import datetime as dt
import os
import secrets
import time
from pathlib import Path

from django.conf import settings

from civica.core import crypto

__all__ = ["folder", "hold", "prune", "take"]


def folder() -> Path:
    return Path(settings.CIVICA_HOME) / "uploads"


def _path(token: str) -> Path:
    if not token.isalnum():  # a token is hex: nothing else may name a path
        raise FileNotFoundError(token)
    return folder() / f"{token}.sealed"


def hold(data: bytes) -> str:
    """Keep ``data`` encrypted for a job; returns the token that names it."""
    place = folder()
    place.mkdir(mode=0o700, parents=True, exist_ok=True)
    token = secrets.token_hex(16)
    sealed = crypto.encrypt(base64.b64encode(data).decode("ascii"))
    descriptor = os.open(_path(token), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as out:
        out.write(sealed)
    return token


def take(token: str) -> bytes:
    """The held file's bytes; the file is deleted as it is read (raises
    ``FileNotFoundError`` when it was taken already or pruned)."""
    path = _path(token)
    try:
        sealed = path.read_text(encoding="ascii")
    finally:
        path.unlink(missing_ok=True)
    return base64.b64decode(crypto.decrypt(sealed))


def prune(*, older_than: dt.timedelta) -> int:
    """Delete held files older than ``older_than`` (no job took them); returns how many."""
    place = folder()
    if not place.exists():
        return 0
    cutoff = time.time() - older_than.total_seconds()
    removed = 0
    for path in place.glob("*.sealed"):
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
                removed += 1
        except FileNotFoundError:  # taken meanwhile
            continue
    return removed
