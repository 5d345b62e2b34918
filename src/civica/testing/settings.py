"""The settings of the test suite (``DJANGO_SETTINGS_MODULE`` in pyproject.toml): the
project's one settings module, with a fast password hasher.

Django's default hasher spends about a second of CPU per password by design; the shared
personas alone create a dozen users per test. MD5 is unsafe for real passwords, so it lives
here only, never in ``civica.settings``.
"""

from civica.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
