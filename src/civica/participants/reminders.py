"""What is due on a case, beyond the participants' own follow-ups, for the caseload page.

Apps built on participants (reinsertion: the transition plan 30 days before release, the
follow-ups 1/3/6/12 months after release or exit) register a function here, so the case
worker's caseload shows every reminder without this app importing theirs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

__all__ = ["Reminder", "due", "register"]


@dataclass(frozen=True)
class Reminder:
    label: str  # in the reader's language
    due_on: dt.date
    overdue: bool
    url: str = ""  # the page where it is done


#: ``source(user, enrollments, today) -> {enrollment_id: [Reminder, ...]}``
_SOURCES: list[Callable] = []


def register(source: Callable) -> Callable:
    if source not in _SOURCES:
        _SOURCES.append(source)
    return source


def due(user, enrollments: Iterable, *, today: dt.date) -> dict[int, list[Reminder]]:
    """Every registered app's reminders for the cases, soonest first."""
    cases = list(enrollments)
    found: dict[int, list[Reminder]] = {}
    for source in _SOURCES:
        for pk, items in source(user, cases, today).items():
            found.setdefault(pk, []).extend(items)
    for items in found.values():
        items.sort(key=lambda r: r.due_on)
    return found
