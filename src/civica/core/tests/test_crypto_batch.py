"""``encrypt_many`` writes Fernet tokens byte for byte (same IV and time as the library's),
which ``decrypt`` reads; a ``Sealed`` value is stored as it is, not encrypted twice."""

import os

from cryptography.fernet import Fernet
from django.conf import settings

from civica.core import crypto


def test_the_batch_tokens_are_fernets_byte_for_byte():
    key = settings.CIVICA_ENCRYPTION_KEYS[0]
    values = ["", "a", "Ana Peña", "x" * 15, "y" * 16, "ñ" * 40, "LOHM080520MDFPRR09"]
    ivs = [os.urandom(16) for _ in values]
    ours = crypto._seal(key, values, 1_700_000_000, ivs)
    library = Fernet(key.encode("ascii"))
    for value, iv, token in zip(values, ivs, ours, strict=True):
        expected = library._encrypt_from_parts(value.encode("utf-8"), 1_700_000_000, iv)
        assert token == expected.decode("ascii")


def test_batch_values_decrypt_and_empty_values_stay_empty():
    values = ["Ana", "", "Luis Soto Vega", None]
    sealed = crypto.encrypt_many(values)
    assert sealed[1] == "" and sealed[3] is None
    assert [crypto.decrypt(sealed[0]), crypto.decrypt(sealed[2])] == ["Ana", "Luis Soto Vega"]
    assert len({crypto.encrypt_many(["Ana"])[0] for _ in range(5)}) == 5  # fresh IVs


def test_a_sealed_value_is_not_encrypted_again():
    field = crypto.EncryptedTextField()
    sealed = crypto.encrypt_many(["Ana"])[0]
    assert field.get_prep_value(sealed) == sealed
    assert crypto.decrypt(field.get_prep_value("Ana")) == "Ana"
