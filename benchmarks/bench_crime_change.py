"""Cost of the CRIME-CHANGE indicator (``priority_crime_change``) on the real CDMX incidents.

Every dashboard, fact sheet and export computes it, and it evaluates each locked design of
the period anew. The peer is ``civica.interventions.summary.program_summary`` on the same
designs — what the interventions' summary page costs — so the ratio is the monitoring
wrapper's overhead (period filter, intervals, cells).

Needs a workspace with the CDMX layer (see benchmarks/README.md, "CRIME-CHANGE indicator"):

    CIVICA_HOME=/tmp/bench-home PYTHONPATH=src python benchmarks/bench_crime_change.py

It adds locked designs named "Bench …" (once) in Cuauhtémoc, 2014 before / 2015 after.
The two take turns (peer, civica, peer, civica, … ``--repeat`` rounds, in this process):
wall and CPU time of each call (``_measure.call``), the load average when it started, and
the process's peak resident memory at the end.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys

import _measure
import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civica.settings")
django.setup()

from django.core.exceptions import ValidationError  # noqa: E402
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
        try:
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
        except ValidationError as refused:  # the design rules are checked at save
            print(f"Bench {name}: design refused: {'; '.join(refused.messages)}")
            continue
        lock_design(design=design, actor=SYSTEM)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="rounds of peer, civica")
    args = parser.parse_args()
    print(_measure.machine("CRIME-CHANGE indicator against program_summary"), flush=True)
    ensure_designs()
    period = parse_period("FY2016")
    where = Q(after_end__gte=period.start, after_end__lte=period.end)
    calls = {
        "program_summary (peer)": lambda: program_summary(SYSTEM, where),
        "priority_crime_change": lambda: registry.compute(
            "priority_crime_change", Context(period=period), {}
        ),
    }
    runs, answers = _measure.alternate(calls, args.repeat)
    summary, result = answers["program_summary (peer)"], answers["priority_crime_change"]
    print(f"designs: {len(summary.rows)}, evaluated: {len(summary.evaluated)}")
    print(f"sentence parts: {result.parts}")
    print(
        _measure.table(
            ["call", *_measure.MEASURE_HEADER],
            [[name, *_measure.summary_row(measured, 3)] for name, measured in runs.items()],
        )
    )
    ours, peer = runs["priority_crime_change"], runs["program_summary (peer)"]
    per_design = statistics.median(r.wall for r in ours) / max(len(summary.rows), 1)
    print(
        f"ratio ours / peer: {_measure.ratio(ours, peer)} wall, "
        f"{_measure.ratio(ours, peer, 'cpu')} CPU; per design: {per_design:.3f} s wall"
    )
    print(f"peak RSS of the process (every call): {_measure.peak_mb():,.0f} MB")


if __name__ == "__main__":
    sys.exit(main())
