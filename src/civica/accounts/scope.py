"""The territorial and organizational scope of a user.

Selectors call these to restrict querysets; views and API endpoints never filter by hand.
``None`` means "no restriction" (administrators, nationwide scopes and the system actor
``civica.accounts.access.SYSTEM``); an empty set means "nothing" (anonymous or inactive users).
Passing ``None`` as the user raises ``NoActorError``: say whose scope it is.
"""

from __future__ import annotations

from django.db.models import Q

from civica.accounts.access import SYSTEM, actor
from civica.territory.models import Municipality


def municipality_ids(user) -> set[int] | None:
    """Ids of the municipalities the user may see records of, or ``None`` for all."""
    if actor(user) is SYSTEM:
        return None
    if not user.is_authenticated or not user.is_active:
        return set()
    if user.is_administrator or user.nationwide:
        return None
    cache = getattr(user, "_civica_municipality_ids", None)
    if cache is None:
        state_ids = list(user.states.values_list("id", flat=True))
        own_ids = list(user.municipalities.values_list("id", flat=True))
        cache = set(
            Municipality.objects.filter(Q(state_id__in=state_ids) | Q(id__in=own_ids)).values_list(
                "id", flat=True
            )
        )
        user._civica_municipality_ids = cache
    return cache


def organization_ids(user) -> set[int] | None:
    """Ids of the organizations whose records the user may see, or ``None`` for all."""
    if actor(user) is SYSTEM:
        return None
    if not user.is_authenticated or not user.is_active:
        return set()
    if user.is_administrator:
        return None
    return set(user.organizations.values_list("id", flat=True))


def person_organization_ids(user) -> set[int] | None:
    """Organizations whose participants (persons, cases) the user may see, or ``None`` for all.

    Personal records of participants belong to the organizations that registered or enrolled
    them, not to a territory: only roles that may see personal data get any, and then only
    those of their own organizations. Program officers, analysts and donors get none (they
    see aggregates through ``civica.participants.reach``).
    """
    from civica.accounts.roles import Capability

    if actor(user) is SYSTEM:
        return None
    if not user.is_authenticated or not user.is_active:
        return set()
    if user.is_administrator:
        return None
    if not user.can(Capability.VIEW_PERSONAL_DATA):
        return set()
    cache = getattr(user, "_civica_person_organization_ids", None)
    if cache is None:
        cache = set(user.organizations.values_list("id", flat=True))
        user._civica_person_organization_ids = cache
    return cache


def describe(user) -> str:
    """A short human description of the scope, for the dashboard and the user list."""
    from django.utils.translation import gettext as _

    if user.is_administrator or user.nationwide:
        return _("All of Mexico")
    parts = [s.name for s in user.states.all()] + [m.name for m in user.municipalities.all()]
    return ", ".join(parts) if parts else _("No territory assigned")
