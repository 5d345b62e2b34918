"""A real server (``civica serve`` in a subprocess) and a real browser (Debian's Chromium)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(port: int, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"civica serve exited early:\n{process.stdout.read()}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("civica serve did not start listening in time")


@pytest.fixture(scope="session")
def live_site(tmp_path_factory, shared_data):
    """The demo workspace built from the shared data (``civica demo --data``), served on a
    free port.

    It has its own SQLite workspace, whatever DATABASE_URL the suite runs with: the pages are
    under test here, and the database behaviour is covered by the rest of the suite.
    """
    home: Path = tmp_path_factory.mktemp("browser-home")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CIVICA_", "DATABASE_"))}
    env.update(CIVICA_HOME=str(home))

    def civica(*args):
        return subprocess.run(
            [sys.executable, "-m", "civica", *args],
            env=env,
            capture_output=True,
            text=True,
            # The demo loads every shared file (about 2 minutes alone, more on a busy machine).
            timeout=900,
            check=True,
        )

    # The demo loads everything the shared data allow (SESNSP files, CDMX incidents, an
    # example intervention, synthetic case records) and prints one password per new account.
    demo = civica("demo", "--data", str(shared_data), "--no-serve")
    passwords = {}
    accounts = False
    for line in demo.stdout.splitlines():
        parts = line.split()
        if line and not line.startswith(" "):
            accounts = line.startswith(("Cuentas", "Accounts"))
        elif accounts and len(parts) == 2:
            passwords[parts[0]] = parts[1]
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "civica", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    workers: list[int] = []
    try:
        _wait_for(port, server)
        workers = [pid for pid, command in _children(server.pid) if "civica worker" in command]
        yield {"url": f"http://127.0.0.1:{port}", "passwords": passwords, "home": home}
    finally:
        workers += [pid for pid, command in _children(server.pid) if "civica worker" in command]
        server.terminate()
        server.wait(timeout=30)
    # `civica serve` stops the worker it started on every exit path: none may be left.
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and any(_alive(pid) for pid in workers):
        time.sleep(0.2)
    left = [pid for pid in set(workers) if _alive(pid)]
    for pid in left:
        os.kill(pid, 9)
    assert not left, f"civica worker process(es) {left} outlived `civica serve`"


def _children(pid: int) -> list[tuple[int, str]]:
    """Processes whose parent is ``pid``, with their command lines (from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append((int(entry.name), command))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium (.ci/run does it).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser, tmp_path):
    context = browser.new_context(viewport={"width": 390, "height": 844})  # a phone
    page = context.new_page()
    yield page
    context.close()
