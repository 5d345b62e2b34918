"""`civica serve` on the embedded default runs a `civica worker` beside it, and stops it."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

# The test builds a workspace of its own (SQLite) whatever DATABASE_URL says: the
# PostgreSQL pass of the suite would only repeat it.
pytestmark = pytest.mark.skipif(
    bool(os.environ.get("DATABASE_URL")), reason="runs once, in the SQLite pass"
)


def _children(pid: int) -> list[tuple[int, str]]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append((int(entry.name), cmdline))
    return found


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.parametrize("how", [signal.SIGINT, signal.SIGTERM, signal.SIGKILL])
def test_serve_starts_one_worker_and_no_way_of_ending_leaves_it_behind(tmp_path, how):
    """Ctrl+C and SIGTERM: serve stops its worker before it exits. ``kill -9``: serve
    cannot, so the worker notices its parent is gone and stops itself."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CIVICA_", "DATABASE_"))}
    env["CIVICA_HOME"] = str(tmp_path)
    subprocess.run(
        [sys.executable, "-m", "civica", "init"], env=env, check=True, capture_output=True
    )
    server = subprocess.Popen(
        [sys.executable, "-m", "civica", "serve", "--port", str(_free_port())],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    workers = []
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and not workers:
            workers = [p for p, c in _children(server.pid) if "civica worker" in c]
            time.sleep(0.2)
        assert len(workers) == 1, _children(server.pid)
        time.sleep(2)  # the worker is past its start-up (its signal handlers are set)
    finally:
        server.send_signal(how)
        server.wait(timeout=60)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and _alive(workers[0]):
        time.sleep(0.2)
    left = _alive(workers[0])
    if left:
        os.kill(workers[0], signal.SIGKILL)
    assert not left, f"civica worker {workers[0]} outlived `civica serve` ({how!r})"
