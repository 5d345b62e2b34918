"""Writes of organizations: the CLI and the web page create them through here."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from civica.accounts import access
from civica.accounts.roles import Capability
from civica.audit.models import Action
from civica.audit.services import record
from civica.organizations.models import Organization, OrganizationKind
from civica.territory.models import Municipality

__all__ = ["create_organization"]


def create_organization(
    *, actor, name: str, kind: str, municipality: Municipality | str | None = None
) -> Organization:
    """Create an organization (``kind`` one of :class:`OrganizationKind`, ``municipality`` a
    CVEGEO or a municipality where it is based). ``actor`` is ``access.SYSTEM`` from the
    command line."""
    if not access.actor(actor).can(Capability.MANAGE_USERS):
        raise PermissionDenied(_("Only administrators create organizations."))
    name = (name or "").strip()
    if kind not in OrganizationKind.values:
        raise ValidationError(
            {
                "kind": _("Unknown kind %(kind)s; use one of %(choices)s.")
                % {"kind": kind, "choices": ", ".join(OrganizationKind.values)}
            }
        )
    if isinstance(municipality, str):
        found = Municipality.objects.filter(cvegeo=municipality.strip()).first()
        if found is None:
            raise ValidationError(
                {
                    "municipality": _("No municipality with CVEGEO %(code)s.")
                    % {"code": municipality}
                }
            )
        municipality = found
    if Organization.objects.filter(name__iexact=name).exists():
        raise ValidationError(
            {"name": _("An organization named %(name)s already exists.") % {"name": name}}
        )
    organization = Organization(name=name, kind=kind, municipality=municipality)
    organization.full_clean()
    with transaction.atomic():
        organization.save()
        record(actor=actor, action=Action.CREATE, obj=organization, object_label=name)
    return organization
