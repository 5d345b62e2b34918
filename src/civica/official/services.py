"""Writes of official statistics: ingesting SESNSP files into the warehouse."""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

from civica.accounts.access import SYSTEM
from civica.audit.services import record_import
from civica.core.services import warehouse
from civica.sources.errors import SourceError
from civica.sources.sesnsp import Prefetch, SesnspFile, read_sesnsp
from civica.warehouse.sesnsp import dataset_name
from civica.warehouse.store import Snapshot

__all__ = ["IngestResult", "ingest_sesnsp", "store_sesnsp", "warehouse"]


@dataclass(frozen=True)
class IngestResult:
    source: SesnspFile
    snapshot: Snapshot
    became_current: bool
    unchanged: bool = False  # same content as the live snapshot of the cut: nothing added

    def lines(self) -> list[str]:
        s = self.source
        lines = [
            _("%(file)s: %(kind)s, %(methodology)s methodology, cut %(cut)s, %(encoding)s")
            % {
                "file": s.path.name,
                "kind": s.kind,
                "methodology": s.methodology,
                "cut": self.snapshot.cut,
                "encoding": s.encoding,
            },
            _(
                "%(rows)d rows read (%(long)d area-crime-months), years %(first)d–%(last)d, "
                "last month reported %(month)s"
            )
            % {
                "rows": s.rows,
                "long": s.long_rows,
                "first": min(s.years),
                "last": max(s.years),
                "month": "{}-{:02d}".format(*s.last_month_reported)
                if s.last_month_reported
                else "—",
            },
        ]
        for column, original, normalised, count in s.normalized:
            lines.append(
                _("normalised %(column)s “%(original)s” → “%(normalised)s” (%(n)d rows)")
                % {"column": column, "original": original, "normalised": normalised, "n": count}
            )
        if s.pseudo_municipalities:
            lines.append(
                _("pseudo-municipalities kept: %(items)s")
                % {"items": ", ".join(s.pseudo_municipalities)}
            )
        if self.unchanged:
            lines.append(
                _(
                    "unchanged: cut %(cut)s of %(dataset)s already holds exactly this content; "
                    "no new snapshot"
                )
                % {"cut": self.snapshot.cut, "dataset": self.snapshot.dataset}
            )
            return lines
        lines.append(
            _("now the current cut of %(dataset)s") % {"dataset": self.snapshot.dataset}
            if self.became_current
            else _("stored as an older cut of %(dataset)s; the current cut is unchanged")
            % {"dataset": self.snapshot.dataset}
        )
        return lines


def ingest_sesnsp(
    *, path: Path, cut: str | None = None, actor=SYSTEM, prefetch: Prefetch | None = None
) -> IngestResult:
    """Read one SESNSP file, publish it as a snapshot of its dataset and cut, audit it.
    ``prefetch``: Arrow's read of the file started earlier (see ``read_sesnsp``)."""
    result = store_sesnsp(path=path, cut=cut, prefetch=prefetch)
    snapshot = result.snapshot
    record_import(actor=actor, snapshot=snapshot)
    return result


def store_sesnsp(
    *, path: Path, cut: str | None = None, prefetch: Prefetch | None = None
) -> IngestResult:
    """The warehouse half of :func:`ingest_sesnsp`: read, validate, publish (no database).

    Nothing is visible to queries until the manifest is replaced at the very end, so a
    failure at any step leaves every query answering as before.
    """
    store = warehouse()
    incoming = store.root / "incoming"
    incoming.mkdir(parents=True, exist_ok=True)
    scratch = incoming / f"{uuid.uuid4().hex}.parquet"
    try:
        source = read_sesnsp(Path(path), output=scratch, cut=cut, prefetch=prefetch)
        if source.cut is None:
            raise SourceError(
                _(
                    "The publication cut cannot be read from the file name: give it with "
                    "--cut YYYY-MM."
                ),
                file=path,
            )
        dataset = dataset_name(
            measure=source.measure, level=source.level, methodology=source.methodology
        )
        previous = store.manifest().current(dataset)
        target = store.new_file(dataset, source.cut)
        os.replace(scratch, target)
        snapshot, changed = store.publish_if_changed(
            dataset=dataset,
            cut=source.cut,
            file=target,
            rows=source.long_rows,
            source=path,
            source_sha256=source.source_sha256,
            metadata={
                "kind": source.kind,
                "encoding": source.encoding,
                "years": list(source.years),
                "last_month_reported": list(source.last_month_reported),
                "normalized": [list(item) for item in source.normalized],
                "pseudo_municipalities": list(source.pseudo_municipalities),
            },
        )
    finally:
        scratch.unlink(missing_ok=True)
    became_current = previous is None or snapshot.cut >= previous.cut
    return IngestResult(
        source=source, snapshot=snapshot, became_current=became_current, unchanged=not changed
    )
