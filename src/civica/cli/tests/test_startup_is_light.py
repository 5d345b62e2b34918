"""Starting Django (every ``civica`` command does) loads no numerical library.

SciPy, pandas, statsmodels and DuckDB cost seconds to import; only the commands and pages
that compute something may pay for them.
"""

import json
import os
import subprocess
import sys

HEAVY = ("scipy", "pandas", "statsmodels", "duckdb", "civica.official.selectors")


def test_django_setup_imports_no_heavy_library(tmp_path):
    code = (
        "import json, os, sys; os.environ['DJANGO_SETTINGS_MODULE'] = 'civica.settings'; "
        "import django; django.setup(); "
        f"print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))"
    )
    env = dict(os.environ, CIVICA_HOME=str(tmp_path))
    env.pop("DJANGO_SETTINGS_MODULE", None)
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert json.loads(result.stdout.strip().splitlines()[-1]) == []
