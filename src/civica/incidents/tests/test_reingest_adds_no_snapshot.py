"""Ingesting the same incidents again (a re-run, the demo once more) adds no snapshot and says
so; different incidents under the same version do publish a new one."""

import csv

from civica.core.services import warehouse
from civica.incidents import services
from civica.incidents.tests.conftest import HEADER, MAPPING, rows


def _ingest(path):
    return services.ingest_incidents(
        path=path,
        layer="sintetico",
        mapping=MAPPING,
        sectors_layer="sectores sintéticos",
        version="2015-12",
    )


def test_the_same_incidents_again_add_no_snapshot(synthetic_incidents, tmp_path):
    first = synthetic_incidents
    path = tmp_path / "incidentes.csv"
    files = lambda: sorted(  # noqa: E731
        (warehouse().root / "snapshots" / first.snapshot.dataset).rglob("*.parquet")
    )
    assert len(files()) == 1
    again = _ingest(path)
    assert again.unchanged
    assert again.snapshot.id == first.snapshot.id
    assert len(files()) == 1
    assert len(warehouse().manifest().cuts(first.snapshot.dataset)) == 1
    assert any("sin cambios" in line or "unchanged" in line for line in again.lines())

    every = list(rows())
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(every[1:])  # one incident fewer: new content, new snapshot
    changed = _ingest(path)
    assert not changed.unchanged
    assert changed.snapshot.id != first.snapshot.id
    assert len(files()) == 2
