"""Load benchmark of `civica serve` on loopback: 20 and then 50 simulated users (``--users
20,50``), each signed in with its own session and opening the heavy pages in turn for a fixed
time; p50/p95 and errors per page and level, the server's CPU time and the load average.

Needs a workspace with the shared data, e.g. ``CIVICA_HOME=/tmp/bench-demo civica demo --data
../shared/data --no-serve`` (it prints the demo accounts' passwords). The server is started
here, once for every level, on 127.0.0.1 only, with the given number of worker processes
(gunicorn above 1, waitress at 1) and its job worker (the near-repeat page is a job: its
first request starts it, later ones read the stored table)::

    CIVICA_HOME=/tmp/bench-demo python benchmarks/bench_serving.py --user admin \\
        --password … --users 20,50 --workers 4 --threads 4 --seconds 45

The heavy pages: the dashboard, the statistics index, a municipal profile, the monitoring
dashboard and fact sheet, the interventions list and summary, the territory index, and the
incident map with its hot-spot and sector layers and the near-repeat page of the CDMX layer
(when the workspace has one; ``--crime`` names the crime). Not a test: figures depend on the
machine (write them down with its cores and load; the script prints the load average).
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
from urllib.parse import quote

import _measure
import httpx

PAGES = [
    "/",
    "/statistics/",
    "/monitoring/",
    "/monitoring/factsheet/",
    "/interventions/",
    "/interventions/summary/",
    "/territory/",
    "/statistics/municipalities/11020/",
]


def incident_pages(layer: str, crime: str) -> list[str]:
    query = f"?crime={quote(crime)}"
    return [
        f"/incidents/{layer}/{query}",
        f"/incidents/{layer}/hotspots.geojson{query}",
        f"/incidents/{layer}/sectors.geojson{query}",
        f"/incidents/{layer}/near-repeat/{query}",
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


def _server(args, port: int) -> subprocess.Popen:
    env = {**os.environ, "CIVICA_LOGIN_FAILURE_LIMIT": "1000"}
    command = [sys.executable, "-m", "civica", "serve", "--port", str(port), "--host"]
    command += ["127.0.0.1", "--workers", str(args.workers), "--threads", str(args.threads)]
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)  # noqa: S603


def _wait_until_up(base: str) -> None:
    for _ in range(480):
        try:
            httpx.get(base + "/accounts/login/", timeout=2)
            return
        except httpx.TransportError:
            time.sleep(0.5)
    raise SystemExit("the server did not answer within 4 minutes")


def _level(base: str, args, users: int, pages: list[str]) -> tuple[dict, dict, float]:
    """``users`` signed-in clients opening ``pages`` in turn for ``args.seconds``."""
    clients = [_signed_in(base, args.user, args.password) for _ in range(users)]
    timings: dict[str, list[float]] = {page: [] for page in pages}
    errors: dict[str, int] = dict.fromkeys(pages, 0)
    lock = threading.Lock()
    stop = time.monotonic() + args.seconds

    def user(n: int) -> None:
        client, i = clients[n], n
        while time.monotonic() < stop:
            page = pages[i % len(pages)]
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

    threads = [threading.Thread(target=user, args=(n,)) for n in range(users)]
    began = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for client in clients:
        client.close()
    return timings, errors, time.monotonic() - began


def _percentile(values: list[float], share: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(share * len(values)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--user", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--users", default="20,50", help="simulated users per level: 20,50")
    parser.add_argument("--seconds", type=float, default=45, help="length of each level")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--layer", default="cdmx-ssp", help="incident layer ('' for none)")
    parser.add_argument("--crime", default="ROBO A NEGOCIO C.V.", help="its crime")
    args = parser.parse_args()
    levels = [int(n) for n in args.users.split(",")]
    print(
        _measure.machine(
            f"civica serve, {args.workers} workers × {args.threads} threads, "
            f"{args.seconds:.0f} s per level"
        ),
        flush=True,
    )
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = _server(args, port)
    results = []
    try:
        _wait_until_up(base)
        pages = list(PAGES)
        if args.layer:
            probe = _signed_in(base, args.user, args.password)
            extra = incident_pages(args.layer, args.crime)
            if probe.get(extra[0]).status_code == 200:
                pages += extra
                probe.get(extra[-1])  # starts the near-repeat job, as the first visitor does
            else:
                print(f"no incident layer {args.layer!r}: its pages are left out")
            probe.close()
        for users in levels:
            load_before = _measure.load()
            timings, errors, wall = _level(base, args, users, pages)
            results.append((users, timings, errors, wall, load_before, _measure.load()))
    finally:
        server.terminate()
        _pid, _status, usage = os.wait4(server.pid, 0)
    server_cpu = usage.ru_utime + usage.ru_stime
    for users, timings, errors, wall, load_before, load_after in results:
        total = sum(len(v) for v in timings.values())
        failed = sum(errors.values())
        print(
            f"\n{users} users, {wall:.0f} s: {total} requests, {total / wall:.1f}/s, "
            f"{failed} errors; load average {load_before:.1f} before, {load_after:.1f} after"
        )
        rows = [
            [
                page,
                len(values),
                f"{statistics.median(values):.2f}",
                f"{_percentile(values, 0.95):.2f}",
                errors[page],
            ]
            for page, values in timings.items()
            if values
        ]
        print(_measure.table(["page", "requests", "p50 (s)", "p95 (s)", "errors"], rows))
    print(f"\nserver CPU time (all its processes, every level): {server_cpu:.0f} s")


if __name__ == "__main__":
    main()
