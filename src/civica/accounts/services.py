"""Writes of accounts: creating users with a role and scope, API tokens."""

from __future__ import annotations

import secrets

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from civica.accounts.access import SYSTEM
from civica.accounts.models import User
from civica.accounts.roles import Role
from civica.audit.models import Action
from civica.audit.services import record
from civica.organizations.models import Organization
from civica.territory.models import Municipality, State


def _resolve(model, field: str, values, label: str):
    values = [str(v).strip() for v in values]
    found = list(model.objects.filter(**{f"{field}__in": values}))
    missing = sorted(set(values) - {getattr(obj, field) for obj in found})
    if missing:
        raise ValidationError(
            _("Unknown %(label)s: %(values)s.") % {"label": label, "values": ", ".join(missing)}
        )
    return found


def generate_password() -> str:
    return secrets.token_urlsafe(12)


@transaction.atomic
def create_user(
    *,
    username: str,
    role: str,
    municipalities=(),
    states=(),
    nationwide: bool = False,
    organizations=(),
    email: str = "",
    password: str | None = None,
    actor=SYSTEM,
) -> tuple[User, str]:
    """Create a user; returns it with its password (generated when not given)."""
    if role not in Role.values:
        raise ValidationError(_("Unknown role %(role)s.") % {"role": role})
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError(_("A user named %(name)s already exists.") % {"name": username})
    municipality_objs = _resolve(Municipality, "cvegeo", municipalities, _("municipality codes"))
    state_objs = _resolve(State, "code", states, _("state codes"))
    organization_objs = _resolve(Organization, "name", organizations, _("organizations"))
    scoped = nationwide or municipality_objs or state_objs or role == Role.ADMINISTRATOR
    if role in {Role.CASE_WORKER, Role.SUPERVISOR} and organization_objs:
        # Case workers and supervisors are scoped by their organizations' caseload.
        scoped = True
    if not scoped and role in {
        Role.MUNICIPAL_ANALYST,
        Role.CASE_WORKER,
        Role.SUPERVISOR,
        Role.CIVIC_JUDGE,
        Role.JUZGADO_STAFF,
        Role.PHYSICIAN,
        Role.PSYCHOLOGIST,
        Role.MEDIATOR,
        Role.COMMUNITY_SUPERVISOR,
    }:
        raise ValidationError(
            _("A %(role)s needs a scope: give --municipality or --state.")
            % {"role": Role(role).label}
        )
    user = User(username=username, role=role, nationwide=nationwide, email=email)
    password = password or generate_password()
    validate_password(password, user)
    user.set_password(password)
    user.save()
    user.municipalities.set(municipality_objs)
    user.states.set(state_objs)
    user.organizations.set(organization_objs)
    record(actor=actor, action=Action.CREATE, obj=user, personal_data=True, detail={"role": role})
    return user, password


def issue_api_token(*, user: User):
    """A new API token of ``user`` and its expiry (``REST_KNOX["TOKEN_TTL"]``).

    Only a digest is stored, so a token can be shown once, never looked up again; it stops
    working at its expiry, when the password changes, or with ``civica users revoke-tokens``.
    """
    from knox.models import AuthToken

    instance, token = AuthToken.objects.create(user=user)
    record(
        actor=user, action=Action.CREATE, object_type="knox.AuthToken", object_label=user.username
    )
    return token, instance.expiry


def api_token(*, username: str) -> str:
    try:
        user = User.objects.get(username=username, is_active=True)
    except User.DoesNotExist:
        raise ValidationError(_("No active user named %(name)s.") % {"name": username}) from None
    return issue_api_token(user=user)[0]


def revoke_api_tokens(*, user: User) -> int:
    """Delete every API token of ``user``; the number deleted."""
    from knox.models import AuthToken

    deleted, _detail = AuthToken.objects.filter(user=user).delete()
    return deleted


@transaction.atomic
def reset_password(*, user: User, password: str | None = None) -> str:
    password = password or generate_password()
    validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    return password
