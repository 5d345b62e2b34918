"""Demo organizations and accounts, labelled as demo."""

from __future__ import annotations

from django.db import transaction

from civica.accounts.models import User
from civica.accounts.roles import Role
from civica.accounts.services import reset_password
from civica.organizations.models import Organization, OrganizationKind
from civica.territory.models import Municipality

ADMIN_USERNAME = "admin"
DEMO_ORGANIZATIONS = [
    ("Programa de Prevención (demo)", OrganizationKind.IMPLEMENTER),
    ("Donante del Programa (demo)", OrganizationKind.DONOR),
    ("Red Comunitaria de Prevención (demo)", OrganizationKind.CIVIL_SOCIETY),
]


@transaction.atomic
def load(*, analyst_municipality: str | None = None) -> dict[str, str]:
    """Create (or refresh) the demo accounts; returns username → new password.

    The passwords are new on every run, since the only copy of the old ones was printed.
    """
    for name, kind in DEMO_ORGANIZATIONS:
        Organization.objects.get_or_create(name=name, defaults={"kind": kind, "synthetic": True})
    implementer = Organization.objects.get(name=DEMO_ORGANIZATIONS[0][0])
    credentials = {}
    admin, _created = User.objects.get_or_create(
        username=ADMIN_USERNAME, defaults={"role": Role.ADMINISTRATOR}
    )
    credentials[admin.username] = reset_password(user=admin)

    municipality = (
        Municipality.objects.filter(cvegeo=analyst_municipality).first()
        if analyst_municipality
        else None
    ) or Municipality.objects.filter(sectors__isnull=False).order_by("cvegeo").first()
    if municipality is not None:
        analyst, _created = User.objects.get_or_create(
            username="analista", defaults={"role": Role.MUNICIPAL_ANALYST}
        )
        analyst.first_name = "Analista municipal (demo)"
        analyst.save()
        analyst.municipalities.set([municipality])
        analyst.organizations.set([implementer])
        credentials[analyst.username] = reset_password(user=analyst)
    donor, _created = User.objects.get_or_create(
        username="donante", defaults={"role": Role.DONOR_VIEWER, "nationwide": True}
    )
    credentials[donor.username] = reset_password(user=donor)
    return credentials
