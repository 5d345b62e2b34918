"""Writing audit events. Every write of the log goes through :func:`record`."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection, transaction
from django.utils import timezone

from civica.audit.chain import event_hash
from civica.audit.middleware import current_request_context
from civica.audit.models import Action, AuditEvent
from civica.core import bulk

# Any constant: PostgreSQL's advisory lock that puts writers of the chain in a line.
_CHAIN_LOCK = 0x0A0D17

__all__ = ["Action", "record", "record_import", "record_many"]


def _event(
    *,
    actor,
    action: Action | str,
    obj=None,
    object_type: str = "",
    object_id: str = "",
    object_label: str = "",
    personal_data: bool = False,
    detail: dict | None = None,
    context: dict,
) -> AuditEvent:
    if obj is not None:
        object_type = object_type or obj._meta.label
        object_id = object_id or str(obj.pk)
        object_label = object_label or getattr(obj, "audit_label", None) or str(obj)
    # The system actor (``accounts.access.SYSTEM``: a command, a job, the demo) is no user:
    # recorded, like an anonymous request, with an empty actor.
    authenticated = (
        actor is not None
        and not getattr(actor, "is_system", False)
        and getattr(actor, "is_authenticated", False)
    )
    return AuditEvent(
        # Every field given (``at`` is set when the event is chained): no default to compute.
        at=None,
        previous_hash="",
        hash="",
        actor=actor if authenticated else None,
        actor_username=getattr(actor, "username", "") if authenticated else "",
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_label=object_label[:200],
        personal_data=personal_data,
        ip_address=context.get("ip"),
        path=context.get("path", ""),
        detail=detail or {},
    )


def _chain(events: list[AuditEvent]) -> None:
    """Link ``events``, in order, to the last event of the log and to each other, and save
    them: one read of the last event and one insert, however many events."""
    with transaction.atomic():
        # One writer at a time links to the last event: SQLite's immediate transactions
        # already serialise writers; PostgreSQL takes an advisory lock.
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK])
        last = AuditEvent.objects.exclude(hash="").order_by("-id").only("at", "hash").first()
        now = timezone.now()
        # Never before the last event: the database refuses back-dated events.
        at = max(now, last.at) if last else now
        previous = last.hash if last else ""
        for event in events:
            event.at = at
            event.previous_hash = previous
            event.hash = previous = event_hash(previous, event)
        if len(events) == 1:
            events[0].save(force_insert=True)
        else:
            # In list order, so ids follow the chain (``verify`` walks it by id).
            bulk.insert(AuditEvent, events)


def record(
    *,
    actor,
    action: Action | str,
    obj=None,
    object_type: str = "",
    object_id: str = "",
    object_label: str = "",
    personal_data: bool = False,
    detail: dict | None = None,
) -> AuditEvent:
    """Append one event. ``obj`` fills type, id and label unless they are given.

    The label of a record holding personal data must be a pseudonymous id, never a name;
    models with personal data provide ``audit_label``.
    """
    event = _event(
        actor=actor,
        action=action,
        obj=obj,
        object_type=object_type,
        object_id=object_id,
        object_label=object_label,
        personal_data=personal_data,
        detail=detail,
        context=current_request_context(),
    )
    _chain([event])
    return event


def record_many(entries: Iterable[dict], **common) -> list[AuditEvent]:
    """Append one event per entry, in order, as :func:`record` would one by one.

    Each entry holds :func:`record`'s keyword arguments; ``common`` gives those shared by
    every entry (``actor=...``). The chain is computed for all of them in one pass after one
    read of the last event, and they are inserted together: an import of thousands of rows
    audits each row without a query per row. The events returned have no ``pk``.
    """
    context = current_request_context()
    events = [_event(**(common | entry), context=context) for entry in entries]
    if events:
        _chain(events)
    return events


def record_import(*, actor, snapshot) -> AuditEvent:
    """The import of a file into the warehouse: which dataset, which cut, from which file."""
    return record(
        actor=actor,
        action=Action.CREATE,
        object_type="warehouse.Snapshot",
        object_id=snapshot.id,
        object_label=f"{snapshot.dataset} {snapshot.cut}",
        detail={"file": snapshot.source_name, "rows": snapshot.rows},
    )
