"""Loaded with ``-p civica.pytest_plugin`` before Django starts (see pyproject.toml).

Points the workspace at a throw-away folder, so a test run never writes keys or a database
into the developer's real ``CIVICA_HOME``.
"""

import os
import tempfile

if not os.environ.get("CIVICA_TEST_KEEP_HOME"):
    os.environ["CIVICA_HOME"] = tempfile.mkdtemp(prefix="civica-test-home-")
