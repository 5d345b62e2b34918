"""The warehouse: immutable Parquet snapshots of bulk data, published atomically.

Layout under ``root`` (``CIVICA_HOME/warehouse`` by default)::

    manifest.json                       what exists and what is current
    snapshots/<dataset>/<cut>/<id>.parquet

Every import writes a new file and then replaces ``manifest.json`` in one ``os.replace``,
under an exclusive lock so two imports never interleave. A reader loads the manifest once
and reads the files it names; those files are never rewritten, so a reader keeps a
consistent view while an import runs, and a failed import leaves the manifest (and so every
query) exactly as it was.

A dataset keeps one snapshot per publication cut (``YYYY-MM``); re-importing a cut
supersedes its earlier snapshot (the file stays until ``vacuum``, for readers that still
hold the old manifest). The current snapshot of a dataset is the one of its latest cut.
"""

from __future__ import annotations

import fcntl
import json
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from civica.checksums import sha256_of

__all__ = ["Manifest", "Snapshot", "Warehouse", "WarehouseError"]

MANIFEST = "manifest.json"


class WarehouseError(RuntimeError):
    pass


@dataclass(frozen=True)
class Snapshot:
    dataset: str
    cut: str
    id: str
    file: str  # relative to the warehouse root
    rows: int
    imported_at: str
    source_name: str
    source_sha256: str
    metadata: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Manifest:
    snapshots: tuple[Snapshot, ...] = ()

    def datasets(self) -> list[str]:
        return sorted({s.dataset for s in self.snapshots})

    def cuts(self, dataset: str) -> list[Snapshot]:
        """The live snapshot of each cut of ``dataset``, oldest cut first."""
        live: dict[str, Snapshot] = {}
        for snapshot in self.snapshots:
            if snapshot.dataset == dataset:
                live[snapshot.cut] = snapshot  # later entries supersede earlier ones
        return [live[cut] for cut in sorted(live)]

    def current(self, dataset: str) -> Snapshot | None:
        cuts = self.cuts(dataset)
        return cuts[-1] if cuts else None

    def snapshot(self, dataset: str, cut: str | None) -> Snapshot | None:
        """The snapshot of ``cut`` (``None``: the current one)."""
        if cut is None:
            return self.current(dataset)
        return next((s for s in self.cuts(dataset) if s.cut == cut), None)


class Warehouse:
    def __init__(self, root: Path):
        self.root = Path(root)

    # Reading -------------------------------------------------------------------------------

    def manifest(self) -> Manifest:
        path = self.root / MANIFEST
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return Manifest()
        return Manifest(tuple(Snapshot(**item) for item in data.get("snapshots", [])))

    def path_of(self, snapshot: Snapshot) -> Path:
        return self.root / snapshot.file

    # Writing -------------------------------------------------------------------------------

    @contextmanager
    def _lock(self) -> Iterator[None]:
        self.root.mkdir(parents=True, exist_ok=True)
        with (self.root / ".lock").open("w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def new_file(self, dataset: str, cut: str) -> Path:
        """A fresh path for a snapshot being written; nothing refers to it until publish."""
        folder = self.root / "snapshots" / dataset / cut
        folder.mkdir(parents=True, exist_ok=True)
        return folder / f"{uuid.uuid4().hex}.parquet"

    def publish(
        self,
        *,
        dataset: str,
        cut: str,
        file: Path,
        rows: int,
        source: Path,
        metadata: dict | None = None,
    ) -> Snapshot:
        """Make ``file`` the snapshot of ``dataset`` at ``cut``, atomically."""
        file = Path(file)
        if not file.is_file() or self.root.resolve() not in file.resolve().parents:
            raise WarehouseError(f"{file} is not a snapshot file of this warehouse")
        snapshot = Snapshot(
            dataset=dataset,
            cut=cut,
            id=file.stem,
            file=file.resolve().relative_to(self.root.resolve()).as_posix(),
            rows=rows,
            imported_at=datetime.now(UTC).isoformat(timespec="seconds"),
            source_name=Path(source).name,
            source_sha256=sha256_of(Path(source)),
            metadata=metadata or {},
        )
        with self._lock():
            manifest = self.manifest()
            entries = [asdict(s) for s in manifest.snapshots] + [asdict(snapshot)]
            self._write_manifest(entries)
        return snapshot

    def _write_manifest(self, entries: list[dict]) -> None:
        target = self.root / MANIFEST
        temporary = target.with_name(f".{MANIFEST}.{uuid.uuid4().hex}")
        with temporary.open("w", encoding="utf-8") as handle:
            json.dump({"version": 1, "snapshots": entries}, handle, ensure_ascii=False, indent=1)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)

    def vacuum(self) -> list[Path]:
        """Delete snapshot files no live cut refers to (superseded or never published)."""
        with self._lock():
            manifest = self.manifest()
            live = {
                self.path_of(s).resolve()
                for dataset in manifest.datasets()
                for s in manifest.cuts(dataset)
            }
            removed = []
            for path in (self.root / "snapshots").rglob("*.parquet"):
                if path.resolve() not in live:
                    path.unlink()
                    removed.append(path)
            kept = {asdict(s)["id"] for s in manifest.snapshots if self.path_of(s).exists()}
            self._write_manifest([asdict(s) for s in manifest.snapshots if s.id in kept])
        return removed
