"""The suite hashes passwords fast; the settings users run never do."""

import importlib
import os

from django.contrib.auth.hashers import get_hasher


def test_the_suite_uses_the_fast_hasher():
    assert os.environ["DJANGO_SETTINGS_MODULE"] == "civica.testing.settings"
    assert get_hasher().algorithm == "md5"


def test_the_projects_settings_keep_djangos_slow_hashers():
    production = importlib.import_module("civica.settings")
    hashers = getattr(production, "PASSWORD_HASHERS", None)
    assert hashers is None or not any("MD5" in name for name in hashers)
