"""``civica organizations …``: the organizations users belong to."""

from __future__ import annotations

import click
from django.utils.translation import gettext as _

from civica.accounts.access import SYSTEM
from civica.cli.runtime import django_command

KINDS = [
    "implementer",
    "municipal",
    "state",
    "federal",
    "civil_society",
    "private",
    "academia",
    "donor",
]


@click.group()
def organizations():
    """Create and list organizations (implementing partners, governments, donors…).

    \b
    Example:
        civica organizations create "Fundación A" --kind civil_society --municipality 09015
    """


@organizations.command("create")
@click.argument("name")
@click.option("--kind", type=click.Choice(KINDS), required=True, help="What kind it is.")
@click.option("--municipality", metavar="CVEGEO", default=None, help="Where it is based.")
@django_command
def create(name, kind, municipality):
    """Create an organization; then `civica users create … --organization NAME` uses it.

    \b
    Example:
        civica organizations create "Fundación A" --kind civil_society --municipality 09015
    """
    from django.core.exceptions import ValidationError

    from civica.organizations import services

    try:
        organization = services.create_organization(
            actor=SYSTEM, name=name, kind=kind, municipality=municipality
        )
    except ValidationError as error:
        raise click.ClickException(" ".join(error.messages)) from None
    click.echo(_("Organization %(name)s created.") % {"name": organization.name})


@organizations.command("list")
@django_command
def list_organizations():
    """List organizations with their kind, municipality and number of accounts.

    \b
    Example:
        civica organizations list
    """
    from civica.organizations.models import Organization

    for organization in Organization.objects.select_related("municipality").order_by("name"):
        place = organization.municipality.cvegeo if organization.municipality else "-"
        click.echo(
            f"{organization.name}\t{organization.get_kind_display()}\t{place}\t"
            f"{organization.members.count()}"
        )
