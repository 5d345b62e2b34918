"""The audit log as a hash chain: each event carries HMAC-SHA256(key, previous hash + event).

The key (``CIVICA_AUDIT_KEY``; in the embedded default the workspace file ``audit_key``) is
not in the database, so whoever can write the table can still not forge a chain that
verifies: an event changed, removed or slipped in breaks the hash of every event after it,
and :func:`verify` reports the first one.

References
----------
Schneier, B. and Kelsey, J. (1999). Secure audit logs to support computer forensics. ACM
Transactions on Information and System Security 2(2), 159-176.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass

from django.conf import settings

__all__ = ["Break", "event_hash", "verify"]


def _key() -> bytes:
    return settings.CIVICA_AUDIT_KEY.encode()


def canonical(event) -> bytes:
    """The fields of an event that the hash covers, as stable bytes."""
    fields = {
        "at": event.at.isoformat(timespec="microseconds"),
        "actor": event.actor_id,
        "actor_username": event.actor_username,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_label": event.object_label,
        "personal_data": bool(event.personal_data),
        "ip_address": event.ip_address or "",
        "path": event.path,
        "detail": event.detail,
    }
    return json.dumps(fields, sort_keys=True, ensure_ascii=False, default=str).encode()


def event_hash(previous_hash: str, event) -> str:
    message = previous_hash.encode() + b"\n" + canonical(event)
    return hmac.new(_key(), message, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Break:
    """The first event at which the chain does not hold, and why."""

    event_id: int
    reason: str


@dataclass(frozen=True)
class Verification:
    checked: int
    unchained: int
    first_break: Break | None

    @property
    def ok(self) -> bool:
        return self.first_break is None


def verify(events) -> Verification:
    """Walk ``events`` (oldest first) and return the first break, if any.

    Events from before the chain (empty hash) may only come first; after the first chained
    event every event must carry the previous one's hash and its own correct hash.
    """
    previous, checked, unchained, started = None, 0, 0, False
    for event in events:
        checked += 1
        if not event.hash:
            if started:
                return Verification(checked, unchained, Break(event.pk, "no hash"))
            unchained += 1
            continue
        if started and event.previous_hash != previous:
            return Verification(checked, unchained, Break(event.pk, "previous hash differs"))
        if not hmac.compare_digest(event.hash, event_hash(event.previous_hash, event)):
            return Verification(checked, unchained, Break(event.pk, "hash differs"))
        previous, started = event.hash, True
    return Verification(checked, unchained, None)
