from __future__ import annotations

from civica.accounts import access
from civica.accounts.roles import Capability
from civica.audit.models import AuditEvent


def events(user, *, action: str = "", username: str = "", personal_only: bool = False):
    """The audit log, for users allowed to read it; everyone else is refused."""
    access.check(user, Capability.VIEW_AUDIT)
    qs = AuditEvent.objects.select_related(None)
    if action:
        qs = qs.filter(action=action)
    if username:
        qs = qs.filter(actor_username__iexact=username)
    if personal_only:
        qs = qs.filter(personal_data=True)
    return qs
