"""`civica serve` behind an HTTPS proxy: the proxy's X-Forwarded-Proto is believed (no
redirect loop), nobody else's is; with several workers it runs gunicorn."""

import os
import socket
import subprocess
import sys
import time

import httpx
import pytest
from cryptography.fernet import Fernet

pytestmark = pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="serves a workspace of its own on SQLite",
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    home = tmp_path_factory.mktemp("served")
    env = {**os.environ, "CIVICA_HOME": str(home)}
    env.pop("DATABASE_URL", None)
    subprocess.run([sys.executable, "-m", "civica", "init"], env=env, check=True, timeout=600)
    return env


def _serve(env, *args, production=True, proxies="127.0.0.1"):
    port = _free_port()
    env = {**env, "CIVICA_TRUSTED_PROXIES": proxies, "CIVICA_JOBS_AUTOSTART_WORKER": "false"}
    if production:
        env |= {
            "CIVICA_DEPLOYMENT": "production",
            "CIVICA_SECRET_KEY": "k3y-" + "x7Qp9LmZ2vB8nR4tW6yU1sD5fG3hJ0kC" * 2,
            "CIVICA_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
            "CIVICA_INDEX_KEY": "index-" + "k7Qp2x" * 8,
            "CIVICA_AUDIT_KEY": "audit-" + "m3Rv8z" * 8,
            "CIVICA_ALLOWED_HOSTS": "127.0.0.1",
            "CIVICA_WEB_WORKERS": "1",
        }
    process = subprocess.Popen(
        [sys.executable, "-m", "civica", "serve", "--port", str(port), *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(240):
        try:
            httpx.get(url + "/api/me/", timeout=2)
            return process, url
        except httpx.TransportError:
            if process.poll() is not None:
                raise AssertionError(process.stderr.read().decode()) from None
            time.sleep(0.5)
    process.kill()
    raise AssertionError("civica serve did not answer")


def _stop(process):
    process.terminate()
    process.wait(timeout=30)


def test_https_from_the_trusted_proxy_is_not_redirected_again(workspace):
    process, url = _serve(workspace)
    try:
        proxied = httpx.get(url + "/api/me/", headers={"X-Forwarded-Proto": "https"})
        assert proxied.status_code == 401  # answered, not sent to https:// again
        assert proxied.headers["cache-control"] == "no-store"
        direct = httpx.get(url + "/api/me/")
        assert direct.status_code == 301 and direct.headers["location"].startswith("https://")
    finally:
        _stop(process)


def test_a_forwarded_proto_from_an_untrusted_peer_is_ignored(workspace):
    process, url = _serve(workspace, proxies="10.1.2.3")
    try:
        forged = httpx.get(url + "/api/me/", headers={"X-Forwarded-Proto": "https"})
        assert forged.status_code == 301
    finally:
        _stop(process)


def test_several_workers_run_in_several_processes(workspace):
    process, url = _serve(workspace, "--workers", "2", "--threads", "2", production=False)
    try:
        with httpx.Client() as client:
            answers = [client.get(url + "/accounts/login/") for _ in range(20)]
        assert {a.status_code for a in answers} == {200}
        children = subprocess.run(
            ["pgrep", "-P", str(process.pid)], capture_output=True, text=True
        ).stdout.split()
        assert len(children) >= 2  # gunicorn's workers under its arbiter
    finally:
        _stop(process)
