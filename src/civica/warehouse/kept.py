"""Figures kept in the process, keyed by the warehouse snapshot they were computed from.

A snapshot never changes once written (a new cut or a re-ingest with new content is a new
file, ``snapshots/<dataset>/<cut>/<id>.parquet``), so what was read or computed from one is
valid for as long as that snapshot is the one asked for: every key starts with the snapshot
file(s) read. When a new snapshot becomes current, the pages ask for its file, miss, and
compute anew; the old entries age out (the least recently used go first, at most ``LIMIT``).

Only language-independent data is kept (counts, rates, intervals, frames, English
reasons): texts in the reader's language are composed on every request from the kept
figures. Entries must not be mutated by callers: rows are tuples of frozen dataclasses, and
frames are handed out as copies (:func:`kept_frame`).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["LIMIT", "forget", "kept", "kept_frame"]

LIMIT = 1024
"""Entries kept per process: a municipal profile page needs about 25."""

T = TypeVar("T")
_entries: OrderedDict[Hashable, object] = OrderedDict()
_lock = threading.Lock()


def kept(key: tuple, compute: Callable[[], T]) -> T:
    """The value kept under ``key`` (whose first item names the snapshot file(s) read), or
    ``compute()`` kept for next time."""
    with _lock:
        if key in _entries:
            _entries.move_to_end(key)
            return _entries[key]  # type: ignore[return-value]
    value = compute()
    with _lock:
        _entries[key] = value
        _entries.move_to_end(key)
        while len(_entries) > LIMIT:
            _entries.popitem(last=False)
    return value


def kept_frame(key: tuple, compute: Callable[[], pd.DataFrame]) -> pd.DataFrame:
    """:func:`kept` for a DataFrame: each caller gets its own copy to change."""
    return kept(key, compute).copy()


def forget() -> None:
    """Drop everything kept (tests; a process that rewrote snapshots in place)."""
    with _lock:
        _entries.clear()


def size() -> int:
    return len(_entries)
