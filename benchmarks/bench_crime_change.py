"""Cost of the CRIME-CHANGE indicator (``priority_crime_change``) on the real CDMX incidents.

Every dashboard, fact sheet and export computes it, and it evaluates each locked design of
the period anew. The peer is ``civica.interventions.summary.program_summary`` on the same
designs — what the interventions' summary page costs — so the ratio is the monitoring
wrapper's overhead (period filter, intervals, cells).

Needs a workspace with the CDMX layer (see benchmarks/README.md, "CRIME-CHANGE indicator"):

    CIVICA_HOME=/tmp/bench-home PYTHONPATH=src python benchmarks/bench_crime_change.py

It adds locked designs named "Bench …" (once) in Cuauhtémoc, 2014 before / 2015 after.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civica.settings")
django.setup()

from django.db.models import Q  # noqa: E402

from civica.accounts.access import SYSTEM  # noqa: E402
from civica.indicators import Context, registry  # noqa: E402
from civica.interventions.models import DataSource, InterventionKind  # noqa: E402
from civica.interventions.services import create_design, create_intervention, lock_design  # noqa: E402
from civica.interventions.summary import program_summary  # noqa: E402
from civica.monitoring.periods import parse_period  # noqa: E402
from civica.territory.models import Sector  # noqa: E402

LAYER = "SSP sectores 2016"
TARGETS = ["ASTURIAS", "MIXCALCO-HERALDO", "ROMA", "CONGRESO", "MORELOS"]
COMPARISON = ["BUENAVISTA", "TLATELOLCO", "MOCTEZUMA", "NAPOLES", "TACUBAYA", "DEL VALLE"]
RUNS = 5


def sector(name: str) -> Sector:
    return Sector.objects.get(layer=LAYER, name=name)


def ensure_designs() -> None:
    from civica.interventions.models import Intervention

    for name in TARGETS:
        if Intervention.objects.filter(name=f"Bench {name}").exists():
            continue
        target = Sector.objects.filter(layer=LAYER, name=name).first()
        if target is None or name in COMPARISON:
            continue
        intervention = create_intervention(
            actor=SYSTEM,
            target_sectors=[target],
            name=f"Bench {name}",
            kind=InterventionKind.PATROL,
            municipality=target.municipality,
            target_crimes=["ROBO A TRANSEUNTE C.V."],
            start_date=dt.date(2015, 1, 1),
        )
        design = create_design(
            actor=SYSTEM,
            intervention=intervention,
            comparison_sectors=[sector(n) for n in COMPARISON],
            source=DataSource.INCIDENTS,
            incident_layer="cdmx-ssp",
            buffer_metres=500,
            before_start=dt.date(2014, 1, 1),
            before_end=dt.date(2014, 12, 31),
            after_start=dt.date(2015, 1, 1),
            after_end=dt.date(2015, 12, 31),
        )
        lock_design(design=design, actor=SYSTEM)


def timed(function) -> tuple[float, object]:
    times, result = [], None
    for _ in range(RUNS):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    ensure_designs()
    period = parse_period("FY2016")
    where = Q(after_end__gte=period.start, after_end__lte=period.end)
    peer, summary = timed(lambda: program_summary(SYSTEM, where))
    ours, result = timed(
        lambda: registry.compute("priority_crime_change", Context(period=period), {})
    )
    print(f"designs: {len(summary.rows)}, evaluated: {len(summary.evaluated)}")
    print(f"sentence parts: {result.parts}")
    print(f"program_summary (peer): {peer:.3f} s median of {RUNS}")
    print(f"priority_crime_change:  {ours:.3f} s median of {RUNS}")
    print(f"ratio ours / peer: {ours / peer:.2f}x; per design: {ours / len(summary.rows):.3f} s")


if __name__ == "__main__":
    main()
