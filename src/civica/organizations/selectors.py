"""Reads of organizations. Their names and kinds are not personal data, but which partners work
where is the program's own record: a user sees the organizations they belong to and those based
in the municipalities of their scope (administrators and nationwide scopes see all). The
juzgado's roles also see every organization that serves persons: those are the organizations
a resolution's measure (MMCC) may refer a person to, which the resolution form lists anyway."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from civica.accounts import access, scope
from civica.accounts.roles import Capability
from civica.organizations.models import Organization

__all__ = ["organizations"]


def organizations(user) -> QuerySet[Organization]:
    """The organizations of the user's scope with their number of members, by name."""
    if not access.actor(user).is_authenticated:
        return Organization.objects.none()
    visible = Organization.objects.all()
    municipality_ids = scope.municipality_ids(user)
    if municipality_ids is not None:
        rule = Q(municipality_id__in=municipality_ids) | Q(id__in=user.organizations.values("id"))
        if user.can(Capability.CIVIC_JUSTICE):
            rule |= Q(id__in=Organization.objects.serving_persons().values("id"))
        visible = visible.filter(rule)
    return (
        visible.select_related("municipality__state")
        .annotate(member_count=Count("members", distinct=True))
        .order_by("name")
    )
