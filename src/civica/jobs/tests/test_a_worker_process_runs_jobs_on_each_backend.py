"""`civica worker` as its own process runs what `civica jobs check` queues, on the database
queue of a fresh SQLite workspace and on Redis (RQ); `civica jobs check` fails when no worker
is listening."""

import os
import socket
import subprocess
import sys

import pytest

REDIS = ("127.0.0.1", 6379)


# The test builds a workspace of its own (SQLite) whatever DATABASE_URL says: the
# PostgreSQL pass of the suite would only repeat it.
pytestmark = pytest.mark.skipif(
    bool(os.environ.get("DATABASE_URL")), reason="runs once, in the SQLite pass"
)


def _redis_answers() -> bool:
    try:
        socket.create_connection(REDIS, timeout=2).close()
        return True
    except OSError:
        return False


def _civica(env, *args, timeout=120):
    return subprocess.run(
        [sys.executable, "-m", "civica", "--lang", "en", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.fixture
def workspace(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CIVICA_", "DATABASE_"))}
    env["CIVICA_HOME"] = str(tmp_path)
    return env


@pytest.mark.parametrize(
    "backend",
    [
        "database",
        pytest.param(
            "rq",
            marks=pytest.mark.skipif(not _redis_answers(), reason="Redis does not answer"),
        ),
    ],
)
def test_a_worker_process_runs_the_check(workspace, backend):
    env = workspace | {"CIVICA_JOBS_BACKEND": backend}
    if backend == "rq":
        # A database of its own on the shared Redis, so no other queue is disturbed.
        env["CIVICA_REDIS_URL"] = "redis://127.0.0.1:6379/13"
    assert _civica(env, "init").returncode == 0
    nobody = _civica(env, "jobs", "check", "--timeout", "1")
    assert nobody.returncode == 1 and "No worker ran the check" in nobody.stderr
    worker = subprocess.Popen(
        [sys.executable, "-m", "civica", "worker"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        checked = _civica(env, "jobs", "check", "--timeout", "150", timeout=200)
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            # RQ's warm shutdown can outlast a loaded machine's patience; what is tested here
            # is that the check ran, so the worker is stopped the hard way.
            worker.kill()
            worker.wait(timeout=30)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert f"host {socket.gethostname()}" in checked.stdout
    listed = _civica(env, "jobs", "list")
    assert listed.stdout.count("jobs.check") == 2 and "Done" in listed.stdout
