"""Encryption at rest for personal fields.

Values are encrypted with Fernet (AES-128-CBC + HMAC-SHA256) through ``MultiFernet``: the first
key in ``CIVICA_ENCRYPTION_KEYS`` encrypts, every key decrypts, so a key is rotated by putting
a new one first and running ``civica keys rotate`` to re-encrypt the stored values.
"""

from __future__ import annotations

import base64
import binascii
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models

__all__ = [
    "EncryptedTextField",
    "current_key_id",
    "decrypt",
    "encrypt",
    "invalid_keys",
    "key_id_of",
    "rotate_token",
]


def invalid_keys(keys: list[str]) -> list[int]:
    """Positions of keys that are not valid Fernet keys."""
    bad = []
    for position, key in enumerate(keys):
        try:
            if len(base64.urlsafe_b64decode(key.encode("ascii"))) != 32:
                bad.append(position)
        except (binascii.Error, ValueError, UnicodeEncodeError):
            bad.append(position)
    return bad


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise RuntimeError("CIVICA_ENCRYPTION_KEYS is empty: personal data cannot be encrypted.")
    return MultiFernet([Fernet(key.encode("ascii")) for key in keys])


def _current() -> MultiFernet:
    return _fernet(tuple(settings.CIVICA_ENCRYPTION_KEYS))


def encrypt(plaintext: str) -> str:
    return _current().encrypt(plaintext.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return _current().decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken:
        raise ValueError(
            "A stored value cannot be decrypted with any key in CIVICA_ENCRYPTION_KEYS."
        ) from None


def rotate_token(token: str) -> str:
    """Re-encrypt ``token`` under the first (current) key."""
    return _current().rotate(token.encode("ascii")).decode("ascii")


def current_key_id() -> int:
    """Which key encrypted a token is not written in a Fernet token; position 0 of the list
    is the current key, and :func:`key_id_of` tells whether a token decrypts with it alone."""
    return 0


def key_id_of(token: str) -> int | None:
    """Position in ``CIVICA_ENCRYPTION_KEYS`` of the first key that decrypts ``token``."""
    keys = tuple(settings.CIVICA_ENCRYPTION_KEYS)
    for position, key in enumerate(keys):
        try:
            _fernet((key,)).decrypt(token.encode("ascii"))
        except InvalidToken:
            continue
        return position
    return None


class EncryptedTextField(models.TextField):
    """A text field stored encrypted; reads and writes plain ``str`` in Python.

    Encrypted values cannot be searched or sorted in the database: keep a separate, non-personal
    key (such as a pseudonymous id or a keyed hash) for look-ups.
    """

    description = "Text encrypted at rest"

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(value)
