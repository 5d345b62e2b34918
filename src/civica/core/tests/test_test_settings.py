"""The suite hashes passwords fast (the settings users run never do) and fails on the
project's own warnings."""

import importlib
import os
import warnings

import pytest
from django.contrib.auth.hashers import get_hasher


def test_the_suite_uses_the_fast_hasher():
    assert os.environ["DJANGO_SETTINGS_MODULE"] == "civica.testing.settings"
    assert get_hasher().algorithm == "md5"


def test_the_projects_settings_keep_djangos_slow_hashers():
    production = importlib.import_module("civica.settings")
    hashers = getattr(production, "PASSWORD_HASHERS", None)
    assert hashers is None or not any("MD5" in name for name in hashers)


def test_a_warning_from_civicas_own_code_fails_the_test():
    with pytest.raises(UserWarning, match="own code"):
        warnings.warn("raised by civica's own code", UserWarning, stacklevel=1)


def test_a_warning_of_another_package_stays_a_warning():
    with pytest.warns(UserWarning):
        warnings.warn_explicit("from a library", UserWarning, "library.py", 1, module="library")
