"""Load benchmark of `civica serve` on loopback: N simulated users (default 50) signed in,
each opening the heavy pages in turn for a fixed time; p50/p95 and errors per page.

Needs a workspace with data, e.g. ``CIVICA_HOME=/tmp/bench civica demo --synthetic
--no-serve`` (it prints the demo accounts' passwords). The server is started here, on
127.0.0.1 only, with the given number of worker processes (gunicorn above 1, waitress at 1)::

    CIVICA_HOME=/tmp/bench python benchmarks/bench_serving.py --user admin --password … \\
        --workers 4 --users 50 --seconds 60

Not a test: figures depend on the machine (write them down with its cores and load).
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time

import httpx

PAGES = [
    "/",
    "/statistics/",
    "/monitoring/",
    "/monitoring/factsheet/",
    "/interventions/",
    "/interventions/summary/",
    "/territory/",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _signed_in(base: str, user: str, password: str) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=120, follow_redirects=False)
    page = client.get("/accounts/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    answer = client.post(
        "/accounts/login/",
        data={"username": user, "password": password, "csrfmiddlewaretoken": token},
        headers={"Referer": base + "/accounts/login/"},
    )
    if answer.status_code != 302:
        raise SystemExit(f"log-in failed: {answer.status_code}")
    return client


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--user", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()

    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "CIVICA_JOBS_AUTOSTART_WORKER": "false",
        "CIVICA_LOGIN_FAILURE_LIMIT": "1000",
    }
    server = subprocess.Popen(  # noqa: S603  (this interpreter, fixed arguments)
        [
            sys.executable,
            "-m",
            "civica",
            "serve",
            "--port",
            str(port),
            "--host",
            "127.0.0.1",
            "--workers",
            str(args.workers),
            "--threads",
            str(args.threads),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
    )
    try:
        for _ in range(240):
            try:
                httpx.get(base + "/accounts/login/", timeout=2)
                break
            except httpx.TransportError:
                time.sleep(0.5)
        clients = [_signed_in(base, args.user, args.password) for _ in range(args.users)]
        timings: dict[str, list[float]] = {page: [] for page in PAGES}
        errors: dict[str, int] = dict.fromkeys(PAGES, 0)
        lock = threading.Lock()
        stop = time.monotonic() + args.seconds

        def user(n: int) -> None:
            client, i = clients[n], n
            while time.monotonic() < stop:
                page = PAGES[i % len(PAGES)]
                i += 1
                start = time.perf_counter()
                try:
                    ok = client.get(page).status_code == 200
                except httpx.HTTPError:
                    ok = False
                elapsed = time.perf_counter() - start
                with lock:
                    timings[page].append(elapsed)
                    errors[page] += 0 if ok else 1

        threads = [threading.Thread(target=user, args=(n,)) for n in range(args.users)]
        began = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.monotonic() - began
    finally:
        server.terminate()
        server.wait(timeout=60)

    total = sum(len(v) for v in timings.values())
    print(
        f"{args.users} users, {args.workers} workers × {args.threads} threads, "
        f"{os.cpu_count()} cores, {wall:.0f} s: {total} requests, {total / wall:.1f}/s"
    )
    print(f"{'page':28} {'n':>6} {'p50 s':>7} {'p95 s':>7} {'errors':>6}")
    for page, values in timings.items():
        if not values:
            continue
        values.sort()
        p95 = values[min(len(values) - 1, int(0.95 * len(values)))]
        print(
            f"{page:28} {len(values):6d} {statistics.median(values):7.2f} {p95:7.2f} "
            f"{errors[page]:6d}"
        )


if __name__ == "__main__":
    main()
