"""A misconfigured production deployment is refused at start-up with a clear message."""

import os
import subprocess
import sys

import pytest
from cryptography.fernet import Fernet

GOOD_KEY = Fernet.generate_key().decode()
PRODUCTION_ENV = {
    "CIVICA_DEPLOYMENT": "production",
    "CIVICA_SECRET_KEY": "k3y-" + "x7Qp9LmZ2vB8nR4tW6yU1sD5fG3hJ0kC" * 2,
    "CIVICA_ENCRYPTION_KEYS": GOOD_KEY,
    "CIVICA_INDEX_KEY": "index-" + "k7Qp2x" * 8,
    "CIVICA_AUDIT_KEY": "audit-" + "m3Rv8z" * 8,
    "CIVICA_ALLOWED_HOSTS": "civica.example.org",
    "DATABASE_URL": "postgresql://postgres@127.0.0.1:5432/civica",
}


def run_check(tmp_path, **overrides):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CIVICA_", "DATABASE_"))}
    env.update(PRODUCTION_ENV, CIVICA_HOME=str(tmp_path), DJANGO_SETTINGS_MODULE="civica.settings")
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    result = run_check(tmp_path)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("overrides", "check_id", "words"),
    [
        ({"CIVICA_DEBUG": "true"}, "civica.E001", "CIVICA_DEBUG"),
        ({"CIVICA_SECRET_KEY": None}, "civica.E002", "CIVICA_SECRET_KEY"),
        ({"CIVICA_SECRET_KEY": "django-insecure-" + "a" * 50}, "civica.E002", "weak"),
        ({"CIVICA_ENCRYPTION_KEYS": None}, "civica.E003", "encrypted at rest"),
        ({"DATABASE_URL": None, "CIVICA_WEB_WORKERS": "4"}, "civica.E004", "SQLite"),
        ({"CIVICA_ALLOWED_HOSTS": None}, "civica.E005", "CIVICA_ALLOWED_HOSTS"),
        ({"CIVICA_ENCRYPTION_KEYS": "not-a-key"}, "civica.E006", "position(s) 1"),
        ({"CIVICA_INDEX_KEY": None}, "civica.E007", "CIVICA_INDEX_KEY"),
        ({"CIVICA_AUDIT_KEY": None}, "civica.E008", "CIVICA_AUDIT_KEY"),
    ],
)
def test_it_refuses_each_unsafe_production_setting(tmp_path, overrides, check_id, words):
    result = run_check(tmp_path, **overrides)
    assert result.returncode != 0
    assert check_id in result.stderr and words in result.stderr


def test_a_malformed_variable_names_itself(tmp_path):
    result = run_check(tmp_path, CIVICA_WEB_WORKERS="many")
    assert result.returncode != 0
    assert "CIVICA_WEB_WORKERS='many' is not an integer" in result.stderr


def test_local_mode_creates_its_keys_once_in_the_workspace(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CIVICA_", "DATABASE_"))}
    env.update(CIVICA_HOME=str(tmp_path), DJANGO_SETTINGS_MODULE="civica.settings")
    code = "from django.conf import settings as s; print(s.SECRET_KEY, s.CIVICA_ENCRYPTION_KEYS[0])"

    def settings_as_started():
        return subprocess.run(
            [sys.executable, "-c", "import django; django.setup(); " + code],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout

    first, second = settings_as_started(), settings_as_started()
    assert first == second and len(first.split()[0]) >= 50
    assert oct((tmp_path / "secret_key").stat().st_mode)[-3:] == "600"
    assert oct((tmp_path / "encryption_key").stat().st_mode)[-3:] == "600"
