"""The monitoring dashboard and the fact sheet as one user meets them: first and second view,
this checkout against another one (``--before``, e.g. main before the indicator values were
kept), in turns, each in a fresh process.

Needs a demo workspace::

    CIVICA_HOME=/tmp/mon-demo python -m civica demo --data ../shared/data --no-serve
    CIVICA_HOME=/tmp/mon-demo PYTHONPATH=src python benchmarks/bench_monitoring.py \\
        --before /path/to/other/checkout/src --rounds 3

When the two checkouts' migrations differ (a checkout before ``monitoring`` 0004 counts the
changes in a table 0004 drops), give the other checkout a copy of the workspace made before
migrating it: ``cp -a /tmp/mon-demo /tmp/mon-demo-before`` then ``django-admin migrate`` on
``/tmp/mon-demo`` only, and ``--before-home /tmp/mon-demo-before``.

Each child starts Django, signs in the first superuser through Django's test client and asks
``/monitoring/`` and ``/monitoring/factsheet/`` (the period the page opens on) twice each:
"first" is the first view of a page in that process — with ``--forget`` (the default) after
deleting every kept indicator value, so nothing computed before is read —, "second" the same
page again. The process's first request (``/``, the imports Django's start deferred) is
asked first and not counted. CPU time (user + system) of each request is taken inside the
child (``_measure.call``); wall time is printed beside it but bounds nothing on a loaded
machine.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import sys
from pathlib import Path

import _measure

PAGES = {"dashboard": "/monitoring/", "factsheet": "/monitoring/factsheet/"}


def run_views(forget: str) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civica.settings")
    import django

    django.setup()
    from django.apps import apps
    from django.contrib.auth import get_user_model
    from django.test import Client

    if forget == "yes" and apps.is_installed("civica.monitoring"):
        with contextlib.suppress(LookupError):  # a checkout without kept values
            apps.get_model("monitoring", "KeptResult").objects.all().delete()
    account = get_user_model().objects.filter(is_superuser=True).first()
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(account)

    def get(url):
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
        return response

    get("/")
    out = {}
    for name, url in PAGES.items():
        for view in ("first", "second"):
            run, _response = _measure.call(f"{name} {view}", lambda url=url: get(url))
            out[f"{name}_{view}_cpu"] = run.cpu
            out[f"{name}_{view}_wall"] = run.wall
    return out


def main() -> None:
    if _measure.child_main({"views": run_views}):
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", required=True, help="the src folder of the other checkout")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="do not forget kept values first")
    parser.add_argument(
        "--before-home", help="the other checkout's workspace (default: CIVICA_HOME)"
    )
    args = parser.parse_args()
    if not os.environ.get("CIVICA_HOME"):
        raise SystemExit("set CIVICA_HOME to a demo workspace")
    print(_measure.machine("Monitoring dashboard and fact sheet, one user, first and second view"))
    here = str(Path(__file__).resolve().parents[1] / "src")
    sources = {"before": args.before, "after": here}
    homes = {"before": args.before_home or os.environ["CIVICA_HOME"], "after": None}
    forget = "no" if args.keep else "yes"
    with _measure.temporary_folder("bench-monitoring-") as folder:

        def run(name: str) -> _measure.Run:
            env = dict(os.environ, PYTHONPATH=sources[name])
            if homes[name]:
                env["CIVICA_HOME"] = homes[name]
            return _measure.self_child(__file__, "views", forget, folder=Path(folder), env=env)

        runs = _measure.interleave(list(sources), run, args.rounds)
    rows = []
    for name, results in runs.items():
        for page in PAGES:
            for view in ("first", "second"):
                cpu = [r.report[f"{page}_{view}_cpu"] for r in results]
                wall = [r.report[f"{page}_{view}_wall"] for r in results]
                rows.append(
                    [
                        name,
                        f"{page} {view}",
                        _measure.spread(cpu, 3),
                        f"{statistics.median(wall):.2f}",
                        f"{statistics.median(r.load for r in results):.1f}",
                    ]
                )
    print(_measure.table(["code", "view", "CPU s, median (range)", "wall s", "load"], rows))


if __name__ == "__main__":
    sys.exit(main())
