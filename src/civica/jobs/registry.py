"""Kinds of job, registered by the app that owns the computation (in its ``jobs.py``).

A kind is a plain function ``compute(user, inputs, progress)`` returning JSON-ready values,
plus what its result depends on besides the inputs (``depends``: e.g. the version of the
data snapshot), so that a cached result is reused only while it is still the right answer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

__all__ = ["JobKind", "get", "register"]


@dataclass(frozen=True)
class JobKind:
    name: str
    compute: Callable[[Any, dict, Callable], Any]
    depends: Callable[[Any, dict], Any] | None = None
    version: int = 1
    pickled: bool = False
    # Whether the result differs by the asking user's role and scope (the default). A kind
    # whose inputs name everything the result covers (e.g. the municipalities of a report
    # computed as the system) says False for those inputs, and every user shares the result.
    by_scope: Callable[[dict], bool] | None = None


_KINDS: dict[str, JobKind] = {}


def register(
    name: str,
    *,
    compute: Callable[[Any, dict, Callable], Any],
    depends: Callable[[Any, dict], Any] | None = None,
    version: int = 1,
    pickled: bool = False,
    by_scope: Callable[[dict], bool] | None = None,
) -> JobKind:
    """Declare a kind of job; ``version`` is raised when the computation's output changes,
    which retires every cached result of the previous version. ``pickled`` kinds return
    Python objects instead of JSON values. ``by_scope(inputs)`` false: the result does not
    depend on who asks (the inputs carry the scope), so it is kept once for everyone."""
    kind = JobKind(name, compute, depends, version, pickled, by_scope)
    _KINDS[name] = kind
    return kind


def get(name: str) -> JobKind:
    try:
        return _KINDS[name]
    except KeyError:
        raise LookupError(f"No job kind named {name!r}; known: {sorted(_KINDS)}") from None
