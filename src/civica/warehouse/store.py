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
supersedes its earlier snapshot (the file stays until ``prune``, for readers that still
hold the old manifest). The current snapshot of a dataset is the one of its latest cut.

Each snapshot records the SHA-256 of its Parquet file (``content_sha256``). Publishing a
file whose content equals the live snapshot of the same cut adds nothing: the new file is
deleted and the live snapshot answers (re-running an import does not grow the disk).

``prune`` deletes the files no live cut names, but only once they have been superseded
(or, for files never published, written) longer than a grace period ago: a reader that
loaded the previous manifest a moment before may still be about to open them.
"""

from __future__ import annotations

import fcntl
import json
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from civica.checksums import sha256_of
from civica.warehouse.kept import kept

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
    content_sha256: str = ""  # of the Parquet file; empty in manifests written before it


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
            stat = os.stat(path)
        except FileNotFoundError:
            return Manifest()
        # Read once per version of the file (each write replaces it: a new inode and time),
        # not on each of the ~20 questions a page asks.
        version = (str(path), stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns)
        return kept((version, "manifest"), lambda: self._read_manifest(path))

    @staticmethod
    def _read_manifest(path: Path) -> Manifest:
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
        snapshot, _changed = self._publish(
            dataset, cut, Path(file), rows, source, metadata, if_changed=False
        )
        return snapshot

    def publish_if_changed(
        self,
        *,
        dataset: str,
        cut: str,
        file: Path,
        rows: int,
        source: Path,
        metadata: dict | None = None,
        source_sha256: str = "",
    ) -> tuple[Snapshot, bool]:
        """As :meth:`publish`, unless ``file`` holds exactly the live snapshot of ``cut``.

        Returns ``(snapshot, changed)``. When the content is the same, ``file`` is deleted,
        the manifest is left as it was and the live snapshot is returned with ``False``.
        ``source_sha256``, when the reader already hashed ``source`` as it read it, spares
        reading the source a second time (400 MB for the national SESNSP file).
        """
        return self._publish(
            dataset, cut, Path(file), rows, source, metadata, if_changed=True, sha=source_sha256
        )

    def _publish(self, dataset, cut, file, rows, source, metadata, *, if_changed, sha=""):
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
            source_sha256=sha or sha256_of(Path(source)),
            metadata=metadata or {},
            content_sha256=sha256_of(file),
        )
        with self._lock():
            manifest = self.manifest()
            live = manifest.snapshot(dataset, cut)
            if (
                if_changed
                and live is not None
                and self._content_of(live) == snapshot.content_sha256
            ):
                file.unlink()
                return live, False
            entries = [asdict(s) for s in manifest.snapshots] + [asdict(snapshot)]
            self._write_manifest(entries)
        return snapshot, True

    def _content_of(self, snapshot: Snapshot) -> str:
        """The recorded content hash, computed for snapshots published before it was kept."""
        if snapshot.content_sha256:
            return snapshot.content_sha256
        path = self.path_of(snapshot)
        return sha256_of(path) if path.is_file() else ""

    def _write_manifest(self, entries: list[dict]) -> None:
        target = self.root / MANIFEST
        temporary = target.with_name(f".{MANIFEST}.{uuid.uuid4().hex}")
        with temporary.open("w", encoding="utf-8") as handle:
            json.dump({"version": 1, "snapshots": entries}, handle, ensure_ascii=False, indent=1)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)

    def prune(self, *, grace: timedelta = timedelta(hours=1), now=None) -> list[Path]:
        """Delete snapshot files no live cut refers to, once no reader can still want them.

        A superseded file goes when the snapshot that superseded it was published more than
        ``grace`` ago; a file no manifest entry names (an import that failed, or one being
        published right now) when it was last written more than ``grace`` ago. The live
        snapshot of every cut is never touched. Returns the deleted paths.
        """
        now = now or datetime.now(UTC)
        cutoff = now - grace
        with self._lock():
            manifest = self.manifest()
            live = {
                self.path_of(s).resolve()
                for dataset in manifest.datasets()
                for s in manifest.cuts(dataset)
            }
            # When each superseded file stopped being live: the publication of the next
            # entry for the same dataset and cut.
            superseded_at: dict[Path, datetime] = {}
            latest: dict[tuple[str, str], Snapshot] = {}
            for snapshot in manifest.snapshots:
                key = (snapshot.dataset, snapshot.cut)
                if key in latest:
                    previous = self.path_of(latest[key]).resolve()
                    superseded_at[previous] = datetime.fromisoformat(snapshot.imported_at)
                latest[key] = snapshot
            removed = []
            folder = self.root / "snapshots"
            for path in sorted(folder.rglob("*.parquet")) if folder.is_dir() else []:
                resolved = path.resolve()
                if resolved in live:
                    continue
                since = superseded_at.get(resolved)
                if since is None:
                    since = datetime.fromtimestamp(path.stat().st_mtime, UTC)
                if since <= cutoff:
                    path.unlink()
                    removed.append(path)
            gone = {p.resolve() for p in removed}
            entries = [
                asdict(s) for s in manifest.snapshots if self.path_of(s).resolve() not in gone
            ]
            if len(entries) != len(manifest.snapshots):
                self._write_manifest(entries)
        return removed
