"""Encryption at rest for personal fields.

Values are encrypted with Fernet (AES-128-CBC + HMAC-SHA256) through ``MultiFernet``: the first
key in ``CIVICA_ENCRYPTION_KEYS`` encrypts, every key decrypts, so a key is rotated by putting
a new one first and running ``civica keys rotate`` to re-encrypt the stored values.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import os
import struct
import time
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models

__all__ = [
    "EncryptedTextField",
    "Sealed",
    "current_key_id",
    "decrypt",
    "encrypt",
    "encrypt_many",
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


class Sealed(str):
    """A value already encrypted (by :func:`encrypt_many`): an :class:`EncryptedTextField`
    stores it as it is instead of encrypting it again."""

    __slots__ = ()


def encrypt_many(values: list[str]) -> list[Sealed]:
    """Each value encrypted as :func:`encrypt` would (a Fernet token under the current key, a
    fresh random IV each), many times faster for a large import or a synthetic book.

    ``Fernet.encrypt`` builds a new AES-CBC cipher object per value; here the values are
    grouped by their number of AES blocks and the CBC chain runs one block position at a
    time for the whole group (numpy XORs every value's block with its previous ciphertext
    block, the IV first, and one AES encryptor in ECB mode — AES itself, block by block —
    encrypts them in one call). Only the HMAC and the base64 text are made per token. The
    tokens are Fernet's format byte for byte (``core/tests/test_crypto_batch.py`` compares
    them with the library's for the same IV and time) and decrypt with :func:`decrypt`.
    Empty values stay empty, as the field stores them.
    """
    keys = tuple(settings.CIVICA_ENCRYPTION_KEYS)
    if not keys:
        raise RuntimeError("CIVICA_ENCRYPTION_KEYS is empty: personal data cannot be encrypted.")
    todo = [i for i, value in enumerate(values) if value not in (None, "")]
    ivs = os.urandom(16 * len(todo))
    sealed = _seal(
        keys[0],
        [values[i] for i in todo],
        int(time.time()),
        [ivs[16 * n : 16 * n + 16] for n in range(len(todo))],
    )
    out: list = list(values)
    for i, token in zip(todo, sealed, strict=True):
        out[i] = token
    return out


def _seal(key: str, values: list[str], now: int, ivs: list[bytes]) -> list[Sealed]:
    import numpy as np
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    raw = base64.urlsafe_b64decode(key.encode("ascii"))
    signing, encryption = raw[:16], raw[16:]
    # ECB over single blocks is AES itself; the CBC chaining (XOR with the previous block,
    # the IV first) is done here, for every value of a group at once.
    block = Cipher(algorithms.AES(encryption), modes.ECB()).encryptor()  # noqa: S305 (CBC done here)
    head = b"\x80" + struct.pack(">Q", now)
    data = [str(value).encode("utf-8") for value in values]
    blocks = np.fromiter((len(d) // 16 + 1 for d in data), dtype=np.int64, count=len(data))
    out: list = [None] * len(data)
    sign, encode = hmac.digest, base64.urlsafe_b64encode
    for k in np.unique(blocks).tolist():
        rows = np.flatnonzero(blocks == k)
        size = 16 * k
        # PKCS7: every value padded to k blocks with the count of bytes added.
        plain = np.frombuffer(
            b"".join(d + bytes([size - len(d)]) * (size - len(d)) for d in (data[r] for r in rows)),
            dtype=np.uint8,
        ).reshape(len(rows), k, 16)
        iv = np.frombuffer(b"".join(ivs[r] for r in rows), dtype=np.uint8).reshape(-1, 16)
        cipher = np.empty_like(plain)
        previous = iv
        for j in range(k):
            encrypted = block.update((plain[:, j] ^ previous).tobytes())
            previous = np.frombuffer(encrypted, dtype=np.uint8).reshape(-1, 16)
            cipher[:, j] = previous
        heads = np.broadcast_to(np.frombuffer(head, dtype=np.uint8), (len(rows), len(head)))
        signed = np.concatenate([heads, iv, cipher.reshape(len(rows), size)], axis=1).tobytes()
        width = len(head) + 16 + size
        for n, r in enumerate(rows.tolist()):
            body = signed[n * width : (n + 1) * width]
            out[r] = Sealed(encode(body + sign(signing, body, "sha256")).decode("ascii"))
    return out


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
        if isinstance(value, Sealed):
            return str(value)
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(value)
