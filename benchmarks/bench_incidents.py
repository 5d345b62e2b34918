"""The near-repeat page and the incident map's layers as a user meets them, on the CDMX layer
of a demo workspace, beside pointpats' Knox test on the same events.

Needs a workspace with the shared data (``civica demo --data ../shared/data --no-serve``
loads the CDMX incident points as layer ``cdmx-ssp``)::

    CIVICA_HOME=/tmp/bench-demo python benchmarks/bench_incidents.py --rounds 2

Each run is a fresh process (``_measure.child``: wall, CPU, peak memory of the process);
what a request or a computation takes inside it is measured with ``_measure.call``:

* **civica-near-repeat**: ``GET /incidents/cdmx-ssp/near-repeat/?crime=…`` (the crime over
  the whole layer, every year: a city-wide crime) answers at once with a queued job and its
  progress bar; the job (the Knox test, 6 distance × 8 time bands, 999 permutations) is then
  run as the worker runs it (``jobs.services.execute``); a second ``GET`` shows the table
  from the stored result. Stored results of this kind are deleted first, so every round
  computes;
* **pointpats-knox** (peer): ``pointpats.spacetime.Knox(s, t, delta=1000, tau=56,
  permutations=999)`` on the same events (projected metres, days): one distance and one time
  threshold, where civica tests 48 cells; given ``--peer-timeout`` seconds;
* **civica-layers**: the map page, the hot-spot layer at the default 250 m cells and at 50 m
  (what the map fetches: significant cells only), the same layers as downloads (every cell
  with an incident: what the map used to fetch), the sector layer and the points layer;
  first request and a second one, and the bytes sent. The map's hot-spot layers are kept by
  their inputs (the first request computes, the second reads); stored layers are deleted at
  the start of each round. How long a browser takes to draw them is not measured here.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path
from urllib.parse import quote

import _measure

LAYER = "cdmx-ssp"


def _django(user: str):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civica.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client

    users = get_user_model().objects
    account = users.get(username=user) if user else users.filter(is_superuser=True).first()
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(account)
    return client, account


def _get(client, url: str):
    response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    return response


def run_near_repeat(user: str, crime: str, _timeout: str) -> dict:
    client, account = _django(user)
    from civica.incidents import analysis
    from civica.incidents.jobs import NEAR_REPEAT
    from civica.incidents.selectors import Selection
    from civica.jobs import services
    from civica.jobs.models import CachedResult, Job

    CachedResult.objects.filter(kind=NEAR_REPEAT).delete()  # the bench workspace's own
    Job.objects.filter(kind=NEAR_REPEAT).delete()
    events = len(analysis._points(account, Selection(layer=LAYER, crime=crime)))
    url = f"/incidents/{LAYER}/near-repeat/?crime={quote(crime)}"
    first, _response = _measure.call("first", lambda: _get(client, url))
    job = Job.objects.get(kind=NEAR_REPEAT)
    job_run, _none = _measure.call("job", lambda: services.execute(job.id))
    job.refresh_from_db()
    if job.status != "done":
        raise SystemExit(f"the near-repeat job ended {job.status}: {job.error}")
    second, response = _measure.call("second", lambda: _get(client, url))
    return {
        "events": events,
        "first": [first.wall, first.cpu],
        "job": [job_run.wall, job_run.cpu],
        "second": [second.wall, second.cpu],
        "bytes": len(response.content),
    }


def run_pointpats(user: str, crime: str, _timeout: str) -> dict:
    _client, account = _django(user)
    import numpy as np
    import pandas as pd
    from pointpats.spacetime import Knox

    from civica.incidents import analysis
    from civica.incidents.selectors import Selection

    frame = analysis._points(account, Selection(layer=LAYER, crime=crime))
    days = (pd.to_datetime(frame["date"]) - pd.Timestamp("1970-01-01")).dt.days.to_numpy()
    s = np.column_stack([frame["x"].to_numpy(), frame["y"].to_numpy()])
    run, knox = _measure.call(
        "knox", lambda: Knox(s, days.reshape(-1, 1), delta=1000, tau=56, permutations=999)
    )
    return {"events": len(frame), "knox": [run.wall, run.cpu], "p": float(knox.p_sim)}


def run_layers(user: str, crime: str, _timeout: str) -> dict:
    client, _account = _django(user)
    from civica.incidents.jobs import HOTSPOT_MAP
    from civica.jobs.models import CachedResult

    # The map's hot-spot layers are kept by their inputs: the bench workspace's own are
    # deleted, so each round's first request computes and its second reads.
    CachedResult.objects.filter(kind=HOTSPOT_MAP).delete()
    query = f"?crime={quote(crime)}"
    base = f"/incidents/{LAYER}/"
    urls = {
        "map page": base + query,
        "hot spots, 250 m (drawn)": base + "hotspots.geojson" + query,
        "hot spots, 250 m (download: all cells)": base + "hotspots.geojson" + query
        + "&download=geojson",
        "hot spots, 50 m (drawn)": base + "hotspots.geojson" + query + "&cell=50",
        "hot spots, 50 m (download: all cells)": base + "hotspots.geojson" + query
        + "&cell=50&download=geojson",
        "sectors": base + "sectors.geojson" + query,
        "points (first 5,000)": base + "points.geojson" + query,
    }  # fmt: skip
    out = {}
    for name, url in urls.items():
        first, response = _measure.call(name, lambda url=url: _get(client, url))
        second, _response = _measure.call(name, lambda url=url: _get(client, url))
        body = b"".join(response.streaming_content) if response.streaming else response.content
        out[name] = {"first": [first.wall, first.cpu], "second": [second.wall, second.cpu]}
        out[name]["bytes"] = len(body)
        if "(drawn)" in name:
            out[name]["cells"] = len(json.loads(body)["lon"])
    out["layers computed"] = CachedResult.objects.filter(kind=HOTSPOT_MAP).count()
    return out


CHILDREN = {
    "civica-near-repeat": run_near_repeat,
    "pointpats-knox": run_pointpats,
    "civica-layers": run_layers,
}


def main() -> int:
    if _measure.child_main(CHILDREN):
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--user", default="", help="account (default: a superuser)")
    parser.add_argument("--crime", default="ROBO A NEGOCIO C.V.")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--peer-timeout", type=float, default=900, help="seconds for pointpats")
    parser.add_argument("--skip", action="append", default=[], choices=CHILDREN)
    args = parser.parse_args()
    if "CIVICA_HOME" not in os.environ:
        raise SystemExit("set CIVICA_HOME to a workspace made by `civica demo --data …`")
    print(_measure.machine(f"Incidents ({LAYER}, {args.crime})"), flush=True)
    names = [n for n in CHILDREN if n not in args.skip]
    with tempfile.TemporaryDirectory(prefix="bench-incidents-") as folder:

        def one(name: str) -> _measure.Run:
            # the peer may take much longer than civica: bounded, and the table says so
            timeout = args.peer_timeout if name == "pointpats-knox" else None
            extra = (args.user, args.crime, str(args.peer_timeout))
            return _measure.self_child(__file__, name, *extra, folder=Path(folder), timeout=timeout)

        pairs = [n for n in names if n != "civica-layers"]
        runs = _measure.interleave(pairs, one, args.rounds) if pairs else {}
        if "civica-layers" in names:
            runs.update(_measure.interleave(["civica-layers"], one, args.rounds))
    report(runs, args)
    return 0


def _ms(pair) -> str:
    return f"{1000 * pair[0]:,.0f} / {1000 * pair[1]:,.0f}"


def report(runs: dict, args) -> None:
    if "civica-near-repeat" in runs:
        measured = runs["civica-near-repeat"]
        events = measured[0].report["events"]
        print(f"\nNear repeat, {args.crime}, whole layer: {events:,} events, 999 permutations")
        rows = [
            [
                f"civica round {i + 1}",
                _ms(r.report["first"]),
                _ms(r.report["job"]),
                _ms(r.report["second"]),
                f"{r.wall:.1f} / {r.cpu:.1f}",
                f"{r.peak_mb:,.0f}",
                f"{r.load:.1f}",
            ]
            for i, r in enumerate(measured)
        ]
        for i, r in enumerate(runs.get("pointpats-knox", [])):
            knox = (
                f"> {args.peer_timeout:.0f} s" if "knox" not in r.report else _ms(r.report["knox"])
            )
            rows.append(
                [
                    f"pointpats Knox, 1 cell (peer), round {i + 1}",
                    "",
                    knox,
                    "",
                    f"{r.wall:.1f} / {r.cpu:.1f}",
                    f"{r.peak_mb:,.0f}" if r.peak_mb else "–",
                    f"{r.load:.1f}",
                ]
            )
        print(
            _measure.table(
                [
                    *["run", "first GET wall / CPU (ms)", "job (Knox) wall / CPU (ms)"],
                    *["second GET, stored (ms)", "process wall / CPU (s)", "peak RSS (MB)"],
                    "load",
                ],
                rows,
            )
        )
    if "civica-layers" in runs:
        print(f"\nMap layers, {args.crime}, whole layer (first and second request)")
        measured = runs["civica-layers"]
        rows = []
        for name in measured[0].report:
            if name == "layers computed":
                continue
            cells = [r.report[name] for r in measured]
            drawn = f" ({cells[0]['cells']:,} cells)" if "cells" in cells[0] else ""
            rows.append(
                [
                    name + drawn,
                    f"{cells[0]['bytes'] / 1e6:,.2f}",
                    " · ".join(_ms(c["first"]) for c in cells),
                    " · ".join(_ms(c["second"]) for c in cells),
                ]
            )
        print(
            _measure.table(
                ["layer", "MB sent", "first wall / CPU (ms), per round", "second (ms)"], rows
            )
        )
        computed = [r.report.get("layers computed") for r in measured]
        print(f"hot-spot layers computed per round (kept by inputs): {computed}")
        print(f"load average during the layers: {', '.join(f'{r.load:.1f}' for r in measured)}")


if __name__ == "__main__":
    sys.exit(main())
