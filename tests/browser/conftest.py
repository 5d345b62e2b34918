"""A real server (``civica serve`` in a subprocess) and a real browser (Debian's Chromium)."""

from __future__ import annotations

import os
import re
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


def read_workspace(live_site, script: str) -> dict:
    """Run a Django snippet against the live site's workspace in a separate process and return
    the JSON object it prints last (what is stored, read without the pages under test)."""
    import json

    env = {k: v for k, v in os.environ.items() if not k.startswith(("CIVICA_", "DATABASE_"))}
    env.update(
        CIVICA_HOME=str(live_site["home"]),
        DJANGO_SETTINGS_MODULE=os.environ.get("DJANGO_SETTINGS_MODULE", "civica.settings"),
    )
    done = subprocess.run(
        [sys.executable, "-c", "import json, django; django.setup()\n" + script],
        env=env,
        check=True,
        timeout=120,
        capture_output=True,
        text=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture
def save_untouched(browser, live_site):
    """Sign in as ``username`` (in ``language``), open an edit form and save it untouched;
    returns what ``read`` (a snippet printing JSON, see :func:`read_workspace`) printed before
    and after, for the test to compare (an unchanged form must change nothing, audit
    included). ``find(page)`` returns the record's key from its list page and
    ``paths(key)`` its edit and detail paths; ``check(page, before)`` looks at the open form."""
    from playwright.sync_api import expect

    contexts = []

    def run(*, username, language, save, viewport, list_path, find, paths, read, check=None):
        context = browser.new_context(viewport=viewport, locale="es-MX")
        contexts.append(context)
        page = context.new_page()
        url = live_site["url"]
        page.goto(url + "/accounts/login/")
        page.get_by_label("Usuario").fill(username)
        page.get_by_label("Contraseña").fill(live_site["passwords"][username])
        page.get_by_role("button", name="Iniciar sesión").click()
        if language != "es-mx":
            with page.expect_navigation():
                page.select_option("#language-select", language)
        page.goto(url + list_path)
        key = find(page)
        edit_path, detail_path = paths(key)
        before = read_workspace(live_site, read.format(key=key))
        page.goto(url + edit_path)
        if check is not None:
            check(page, before)
        page.locator("main form").get_by_role("button", name=save).click()
        expect(page).to_have_url(url + detail_path)
        return before, read_workspace(live_site, read.format(key=key))

    yield run
    for context in contexts:
        context.close()


def keep_screenshot(page, name: str) -> None:
    """With ``CIVICA_SCREENSHOTS=DIR``, keep a full-page picture of the page as checked, for a
    person to look at (the assertions cannot see a cramped or confusing layout)."""
    folder = os.environ.get("CIVICA_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        safe = re.sub(r"[^\w-]+", "_", name).strip("_")
        page.screenshot(path=str(Path(folder) / f"{safe}.png"), full_page=True)
