"""Writes of official police figures: a file read, published as a warehouse snapshot, audited.

The figures are bulk, read-only and versioned by census round, exactly like the SESNSP
files, so they live in the warehouse (Parquet snapshots, one per dataset and round), not in
the database: re-importing the same file adds nothing, a new round supersedes nothing
(older rounds stay queryable), and a failed import leaves every page as it was.
"""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

from civica.accounts.access import SYSTEM
from civica.audit.services import record_import
from civica.core.services import warehouse
from civica.sources.inegi_police import PoliceFile, read_police_file
from civica.warehouse import police as police_store
from civica.warehouse.store import Snapshot

__all__ = ["PoliceIngest", "ingest_police_file", "store_police_file"]

KIND_NAMES = {
    "staff": "INEGI CNGMD 2021, municipal security staff by category and sex",
    "budget": "INEGI CNGMD 2021, municipal security spending by chapter",
    "funds": "INEGI CNGMD 2021, funds received for municipal security",
    "calls": "INEGI CNGMD 2021, emergency calls received by municipal institutions",
    "state_income": "INEGI CNSPE 2022, state police by monthly income band",
    "family_violence_911": "SESNSP, 9-1-1 calls on family violence by state and month",
}


@dataclass(frozen=True)
class PoliceIngest:
    source: PoliceFile
    snapshot: Snapshot
    unchanged: bool

    def lines(self) -> list[str]:
        s = self.source
        lines = [
            _("%(file)s: %(what)s, round %(cut)s, %(rows)d lines read (%(encoding)s)")
            % {
                "file": s.path.name,
                "what": _(KIND_NAMES[s.kind]),
                "cut": self.snapshot.cut,
                "rows": s.rows,
                "encoding": s.encoding,
            }
        ]
        if self.unchanged:
            lines.append(
                _(
                    "unchanged: cut %(cut)s of %(dataset)s already holds exactly this content; "
                    "no new snapshot"
                )
                % {"cut": self.snapshot.cut, "dataset": self.snapshot.dataset}
            )
        else:
            lines.append(
                _("now the current cut of %(dataset)s") % {"dataset": self.snapshot.dataset}
            )
        return lines


def ingest_police_file(*, path: Path, actor=SYSTEM) -> PoliceIngest:
    """Read one official police file, publish it as a snapshot of its dataset, audit it."""
    result = store_police_file(path=path)
    record_import(actor=actor, snapshot=result.snapshot)
    return result


def store_police_file(*, path: Path) -> PoliceIngest:
    """The warehouse half of :func:`ingest_police_file` (no database)."""
    source = read_police_file(Path(path))  # raises SourceError before anything is written
    store = warehouse()
    dataset = police_store.dataset_name(source.kind)
    target = store.new_file(dataset, source.cut)
    temporary = target.with_name(f"{uuid.uuid4().hex}.tmp")
    try:
        police_store.write(source.frame, temporary)
        os.replace(temporary, target)
        snapshot, changed = store.publish_if_changed(
            dataset=dataset,
            cut=source.cut,
            file=target,
            rows=len(source.frame),
            source=Path(path),
            metadata={"kind": source.kind, "encoding": source.encoding, "lines": source.rows},
        )
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    finally:
        temporary.unlink(missing_ok=True)
    return PoliceIngest(source=source, snapshot=snapshot, unchanged=not changed)
