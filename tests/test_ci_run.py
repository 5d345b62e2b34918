"""``.ci/run`` runs both passes of the README's test command and fails if either fails.

The two test runners are replaced by stand-ins on ``PATH`` (the boundary here is the process
that runs the suite); everything else in the script runs for real.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _services_answer() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 5432), timeout=2).close()
    except OSError:
        return False
    return all(shutil.which(tool) for tool in ("chromium", "msgfmt"))


def _run(tmp_path, *, sqlite_exit: int, postgresql_exit: int):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "calls.log"
    (bin_dir / "pip").write_text("#!/bin/sh\nexit 0\n")
    (bin_dir / "ruff").write_text("#!/bin/sh\nexit 0\n")
    (bin_dir / "pytest").write_text(
        "#!/bin/sh\n"
        f'echo "pytest DATABASE_URL=${{DATABASE_URL:-}}" >> {log}\n'
        f'if [ -n "${{DATABASE_URL:-}}" ]; then exit {postgresql_exit}; fi\n'
        f"exit {sqlite_exit}\n"
    )
    for tool in bin_dir.iterdir():
        tool.chmod(0o755)
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["PATH"] = f"{bin_dir}{os.pathsep}{env['PATH']}"
    result = subprocess.run(
        ["bash", str(ROOT / ".ci" / "run")], env=env, capture_output=True, text=True, timeout=120
    )
    return result, log.read_text().splitlines() if log.exists() else []


pytestmark = pytest.mark.skipif(
    not _services_answer(), reason="needs PostgreSQL on 127.0.0.1:5432, chromium and msgfmt"
)


def test_the_postgresql_pass_runs_when_the_sqlite_pass_fails(tmp_path):
    result, calls = _run(tmp_path, sqlite_exit=1, postgresql_exit=0)
    assert calls == [
        "pytest DATABASE_URL=",
        "pytest DATABASE_URL=postgresql://postgres@127.0.0.1:5432/civica",
    ]
    assert result.returncode != 0
    assert "SQLite pass: FAILED" in result.stdout and "PostgreSQL pass: passed" in result.stdout


def test_a_failing_postgresql_pass_fails_the_run(tmp_path):
    result, _calls = _run(tmp_path, sqlite_exit=0, postgresql_exit=2)
    assert result.returncode != 0
    assert "SQLite pass: passed" in result.stdout and "PostgreSQL pass: FAILED" in result.stdout


def test_both_passes_passing_pass_the_run(tmp_path):
    result, calls = _run(tmp_path, sqlite_exit=0, postgresql_exit=0)
    assert result.returncode == 0, result.stdout + result.stderr
    assert len(calls) == 2
