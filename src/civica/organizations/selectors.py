"""Reads of organizations. Their names and kinds are not personal data: every signed-in user
may list them (to pick a referral, to read a fact sheet's partners)."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from civica.organizations.models import Organization

__all__ = ["organizations"]


def organizations(user) -> QuerySet[Organization]:
    """Every organization with its number of members, by name; none for an anonymous user."""
    if not getattr(user, "is_authenticated", False):
        return Organization.objects.none()
    return (
        Organization.objects.select_related("municipality__state")
        .annotate(member_count=Count("members", distinct=True))
        .order_by("name")
    )
