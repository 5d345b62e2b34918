"""``civica users …``: accounts from the command line."""

from __future__ import annotations

import click
from django.utils.translation import gettext as _

from civica.cli.runtime import django_command

ROLES = [
    "administrator",
    "me_officer",
    "analyst",
    "municipal_analyst",
    "case_worker",
    "supervisor",
    "civic_judge",
    "juzgado_staff",
    "physician",
    "psychologist",
    "mediator",
    "community_supervisor",
    "donor_viewer",
]


@click.group()
def users():
    """Create and list user accounts.

    \b
    Example:
        civica users create ana --role municipal_analyst --municipality 09015
    """


@users.command("create")
@click.argument("username")
@click.option("--role", type=click.Choice(ROLES), required=True, help="What the user may do.")
@click.option(
    "--municipality",
    "municipalities",
    multiple=True,
    metavar="CVEGEO",
    help="Municipality in scope (repeatable).",
)
@click.option(
    "--state",
    "states",
    multiple=True,
    metavar="CODE",
    help="State in scope, with all its municipalities (repeatable).",
)
@click.option("--nationwide", is_flag=True, help="Scope covers all of Mexico.")
@click.option(
    "--organization",
    "organizations",
    multiple=True,
    metavar="NAME",
    help="Organization the user belongs to (repeatable).",
)
@click.option("--email", default="", help="E-mail address.")
@click.option(
    "--password-stdin",
    is_flag=True,
    help="Read the password from standard input instead of generating one.",
)
@django_command
def create(
    username, role, municipalities, states, nationwide, organizations, email, password_stdin
):
    """Create a user with a role and a scope; prints a generated password once.

    \b
    Example:
        civica users create sofia --role analyst --state 02
    """
    from civica.accounts import services

    password = click.get_text_stream("stdin").readline().rstrip("\n") if password_stdin else None
    user, password = services.create_user(
        username=username,
        role=role,
        municipalities=municipalities,
        states=states,
        nationwide=nationwide,
        organizations=organizations,
        email=email,
        password=password,
    )
    click.echo(f"{user.username} ({user.get_role_display()})")
    if not password_stdin:
        click.echo(_("password: %(password)s") % {"password": password})


@users.command("list")
@django_command
def list_users():
    """List users with their role and scope.

    \b
    Example:
        civica users list
    """
    from civica.accounts import scope
    from civica.accounts.models import User

    for user in User.objects.order_by("username"):
        state = "" if user.is_active else " " + _("[inactive]")
        click.echo(f"{user.username}\t{user.get_role_display()}\t{scope.describe(user)}{state}")


@users.command("token")
@click.argument("username")
@django_command
def token(username):
    """Print a new API token of a user (valid CIVICA_API_TOKEN_HOURS, shown only once).

    \b
    Example:
        curl -H "Authorization: Token $(civica users token ana)" http://127.0.0.1:8000/api/me/
    """
    from civica.accounts import services

    click.echo(services.api_token(username=username))
