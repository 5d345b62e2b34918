"""Loaded with ``-p civica.pytest_plugin`` before Django starts (see pyproject.toml).

Points the workspace at a throw-away folder, removed at exit, so a test run never writes
keys or a database into the developer's real ``CIVICA_HOME``.
"""

import atexit
import os
import shutil
import tempfile

if not os.environ.get("CIVICA_TEST_KEEP_HOME"):
    _home = tempfile.mkdtemp(prefix="civica-test-home-")
    os.environ["CIVICA_HOME"] = _home
    atexit.register(shutil.rmtree, _home, ignore_errors=True)
