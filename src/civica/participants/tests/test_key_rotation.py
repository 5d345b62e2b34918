"""Key rotation re-encrypts personal fields; afterwards the old key can be dropped."""

import pytest
from click.testing import CliRunner
from cryptography.fernet import Fernet
from django.db import connection

from civica.cli.main import cli
from civica.core.rotation import rotate_all
from civica.participants.models import Person
from civica.participants.tests.factories import consent, register

pytestmark = pytest.mark.django_db


def stored(person):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT given_names, phone FROM participants_person WHERE id = %s", [person.pk]
        )
        return cursor.fetchone()


def test_rotation_re_encrypts_and_the_old_key_can_go(personas, territory, settings):
    old = settings.CIVICA_ENCRYPTION_KEYS[0]
    person = register(personas, territory, phone="5512345678")
    consent(person)
    before = stored(person)
    new = Fernet.generate_key().decode()
    settings.CIVICA_ENCRYPTION_KEYS = [new, old]
    report = rotate_all(batch=1)
    assert report.rewritten["participants.Person.given_names"] == 1
    assert report.rewritten["participants.Consent.guardian_name"] == 1
    after = stored(person)
    assert after != before
    settings.CIVICA_ENCRYPTION_KEYS = [new]
    again = Person.objects.get(pk=person.pk)
    assert (again.given_names, again.phone) == ("María Fernanda", "5512345678")
    # A second pass finds nothing left under the old key.
    settings.CIVICA_ENCRYPTION_KEYS = [new, old]
    assert sum(rotate_all().rewritten.values()) == 0


def test_without_the_old_key_values_cannot_be_read(personas, territory, settings):
    person = register(personas, territory)
    settings.CIVICA_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(ValueError, match="cannot be decrypted"):
        Person.objects.get(pk=person.pk)


def test_the_command_reports_the_count(personas, territory, settings):
    register(personas, territory)
    settings.CIVICA_ENCRYPTION_KEYS = [
        Fernet.generate_key().decode(),
        settings.CIVICA_ENCRYPTION_KEYS[0],
    ]
    result = CliRunner().invoke(cli, ["--lang", "en", "keys", "rotate"])
    assert result.exit_code == 0, result.output
    assert "participants.Person.given_names: 1 values re-encrypted" in result.output
