"""Snapshots are published whole or not at all, and every cut stays queryable."""

import json
import threading
from datetime import UTC, datetime, timedelta

import duckdb
import pytest

from civica.warehouse.store import Warehouse, WarehouseError


def write_parquet(path, value):
    with duckdb.connect() as connection:
        connection.execute(f"COPY (SELECT {int(value)} AS value) TO '{path}' (FORMAT parquet)")


@pytest.fixture
def source(tmp_path):
    path = tmp_path / "IDEFC_NM_nov24.csv"
    path.write_text("stand-in for the published file\n")
    return path


def publish(store, dataset, cut, value, source):
    file = store.new_file(dataset, cut)
    write_parquet(file, value)
    return store.publish(dataset=dataset, cut=cut, file=file, rows=1, source=source)


def test_the_latest_cut_is_current_and_older_cuts_stay(tmp_path, source):
    store = Warehouse(tmp_path / "wh")
    publish(store, "d", "2024-11", 1, source)
    publish(store, "d", "2025-01", 2, source)
    publish(store, "d", "2024-12", 3, source)  # an older cut imported late
    manifest = store.manifest()
    assert manifest.current("d").cut == "2025-01"
    assert [s.cut for s in manifest.cuts("d")] == ["2024-11", "2024-12", "2025-01"]
    assert manifest.snapshot("d", "2024-11").rows == 1


def test_reimporting_a_cut_supersedes_it(tmp_path, source):
    store = Warehouse(tmp_path / "wh")
    first = publish(store, "d", "2024-11", 1, source)
    second = publish(store, "d", "2024-11", 2, source)
    assert store.manifest().current("d").id == second.id
    assert store.prune(grace=timedelta(0)) == [store.path_of(first)]
    assert store.manifest().current("d").id == second.id


def test_publishing_the_same_content_again_adds_no_snapshot(tmp_path, source):
    store = Warehouse(tmp_path / "wh")
    first = publish(store, "d", "2024-11", 1, source)
    manifest = (store.root / "manifest.json").read_bytes()
    file = store.new_file("d", "2024-11")
    write_parquet(file, 1)
    snapshot, changed = store.publish_if_changed(
        dataset="d", cut="2024-11", file=file, rows=1, source=source
    )
    assert (snapshot.id, changed) == (first.id, False)
    assert not file.exists()
    assert (store.root / "manifest.json").read_bytes() == manifest
    assert list((store.root / "snapshots").rglob("*.parquet")) == [store.path_of(first)]
    # Different content, or the same content in another cut, is a new snapshot.
    file = store.new_file("d", "2024-11")
    write_parquet(file, 2)
    assert store.publish_if_changed(dataset="d", cut="2024-11", file=file, rows=1, source=source)[1]
    file = store.new_file("d", "2024-12")
    write_parquet(file, 1)
    assert store.publish_if_changed(dataset="d", cut="2024-12", file=file, rows=1, source=source)[1]
    assert len(store.manifest().snapshots) == 3


def test_prune_waits_for_readers_of_the_previous_manifest(tmp_path, source):
    store = Warehouse(tmp_path / "wh")
    first = publish(store, "d", "2024-11", 1, source)
    second = publish(store, "d", "2024-11", 2, source)
    other = publish(store, "e", "2024-11", 3, source)
    in_flight = store.new_file("d", "2024-12")  # an import between writing and publishing
    write_parquet(in_flight, 4)
    # Just superseded: a page that read the old manifest may still open the file.
    assert store.prune() == []
    assert store.path_of(first).exists() and in_flight.exists()
    later = datetime.now(UTC) + timedelta(hours=2)
    assert sorted(store.prune(now=later)) == sorted([store.path_of(first), in_flight])
    for live in (second, other):
        assert store.path_of(live).exists()
    manifest = store.manifest()
    assert [s.id for s in manifest.snapshots] == [second.id, other.id]
    assert store.prune(now=later) == []


def test_a_failed_import_leaves_the_manifest_untouched(tmp_path, source):
    store = Warehouse(tmp_path / "wh")
    publish(store, "d", "2024-11", 1, source)
    before = (store.root / "manifest.json").read_bytes()
    with pytest.raises(WarehouseError):
        store.publish(
            dataset="d", cut="2025-01", file=tmp_path / "elsewhere.parquet", rows=1, source=source
        )
    assert (store.root / "manifest.json").read_bytes() == before


def test_the_source_checksum_is_recorded(tmp_path, source):
    import hashlib

    snapshot = publish(Warehouse(tmp_path / "wh"), "d", "2024-11", 1, source)
    assert snapshot.source_sha256 == hashlib.sha256(source.read_bytes()).hexdigest()
    assert snapshot.source_name == "IDEFC_NM_nov24.csv"


def test_readers_always_see_a_whole_manifest_while_imports_run(tmp_path, source):
    store = Warehouse(tmp_path / "wh")
    publish(store, "d", "2000-01", 0, source)
    seen, stop = [], threading.Event()

    def reader():
        while not stop.is_set():
            manifest = store.manifest()  # would raise on a half-written file
            seen.append(len(manifest.snapshots))

    thread = threading.Thread(target=reader)
    thread.start()
    for month in range(1, 13):
        publish(store, "d", f"2001-{month:02d}", month, source)
    stop.set()
    thread.join()
    seen.append(len(store.manifest().snapshots))
    assert seen == sorted(seen) and seen[-1] == 13
    json.loads((store.root / "manifest.json").read_text())
