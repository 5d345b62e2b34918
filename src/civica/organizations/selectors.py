"""Reads of organizations. Their names and kinds are not personal data, but which partners work
where is the program's own record: a user sees the organizations they belong to and those based
in the municipalities of their scope (administrators and nationwide scopes see all)."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from civica.accounts import access, scope
from civica.organizations.models import Organization

__all__ = ["organizations"]


def organizations(user) -> QuerySet[Organization]:
    """The organizations of the user's scope with their number of members, by name."""
    if not access.actor(user).is_authenticated:
        return Organization.objects.none()
    visible = Organization.objects.all()
    municipality_ids = scope.municipality_ids(user)
    if municipality_ids is not None:
        visible = visible.filter(
            Q(municipality_id__in=municipality_ids) | Q(id__in=user.organizations.values("id"))
        )
    return (
        visible.select_related("municipality__state")
        .annotate(member_count=Count("members", distinct=True))
        .order_by("name")
    )
