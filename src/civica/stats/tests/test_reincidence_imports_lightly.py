"""The cohort table (the dashboard's reincidence, ``curves=False``) does not import
statsmodels or scipy.stats: only the Kaplan–Meier curves need statsmodels, and a process's
first civic-justice figure paid ~0.5 s importing both."""

import subprocess
import sys

SCRIPT = """
import sys
import pandas as pd
from civica.stats.reincidence import reincidence
day = pd.Timestamp
resolutions = pd.DataFrame({
    "person": [1, 2], "date": [day("2024-01-10"), day("2024-02-01")], "group": ["a", "a"],
    "adolescent": [False, False], "observed_until": [day("2025-06-30")] * 2,
})
presentations = pd.DataFrame({"person": [1], "date": [day("2024-03-01")]})
reincidence(resolutions, presentations, curves=False)
print(sorted(m for m in ("statsmodels", "scipy.stats") if m in sys.modules))
"""


def test_the_cohort_table_alone_imports_neither_statsmodels_nor_scipy_stats():
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"
