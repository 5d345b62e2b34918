"""Personal fields are stored encrypted and survive a key rotation."""

import pytest
from cryptography.fernet import Fernet

from civica.core import crypto


@pytest.fixture
def keys(settings):
    settings.CIVICA_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    return settings


def test_it_round_trips_text_and_never_stores_it_in_clear(keys):
    token = crypto.encrypt("María López, CURP LOMM900101MDFPRR01")
    assert "María" not in token and "CURP" not in token
    assert crypto.decrypt(token) == "María López, CURP LOMM900101MDFPRR01"


def test_it_reads_old_values_after_a_new_key_is_put_first_and_rotates_them(keys):
    old_token = crypto.encrypt("dato personal")
    old_key = keys.CIVICA_ENCRYPTION_KEYS[0]
    new_key = Fernet.generate_key().decode()
    keys.CIVICA_ENCRYPTION_KEYS = [new_key, old_key]
    assert crypto.decrypt(old_token) == "dato personal"
    rotated = crypto.rotate_token(old_token)
    keys.CIVICA_ENCRYPTION_KEYS = [new_key]
    assert crypto.decrypt(rotated) == "dato personal"
    with pytest.raises(ValueError, match="cannot be decrypted"):
        crypto.decrypt(old_token)


def test_the_field_encrypts_on_the_way_in_and_decrypts_on_the_way_out(keys):
    field = crypto.EncryptedTextField()
    stored = field.get_prep_value("5551234567")
    assert stored != "5551234567"
    assert field.from_db_value(stored, None, None) == "5551234567"
    assert field.get_prep_value("") == "" and field.get_prep_value(None) is None


def test_it_names_the_positions_of_invalid_keys():
    assert crypto.invalid_keys([Fernet.generate_key().decode(), "short", "ñ"]) == [1, 2]
