"""The workspace: the folder that holds a local installation's database, keys and data.

Its location comes from ``CIVICA_HOME`` (default: the per-user data directory). On the
embedded default the workspace also holds the generated secret key and encryption key, so a
fresh machine runs without any configuration; production deployments give both through the
environment instead (the system checks in ``civica.core.checks`` insist on it).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import platformdirs

__all__ = ["home", "read_or_create_secret"]


def home() -> Path:
    configured = os.environ.get("CIVICA_HOME", "").strip()
    path = (
        Path(configured).expanduser() if configured else Path(platformdirs.user_data_dir("civica"))
    )
    return path.resolve()


def read_or_create_secret(path: Path, make) -> str:
    """Return the secret stored at ``path``, creating it with ``make()`` on first use.

    The file is written with mode 0600 and created exclusively, so two processes starting at
    once agree on one value.
    """
    try:
        return path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="ascii").strip()
    value = make()
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(value + "\n")
    return value


def new_secret_key() -> str:
    return secrets.token_urlsafe(50)


def new_fernet_key() -> str:
    from cryptography.fernet import Fernet

    return Fernet.generate_key().decode("ascii")


def private_files() -> None:
    """Files and folders this process creates are for its own user only (0600/0700): the
    database holds sessions, tokens and the audit log, the workspace holds keys."""
    os.umask(0o077)


def make_private(path: Path) -> None:
    """Remove group and other permissions from ``path`` (and a SQLite file's -wal/-shm)."""
    for candidate in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        try:
            if candidate.stat().st_mode & 0o077:
                candidate.chmod(0o600)
        except FileNotFoundError:
            continue
