"""Log-ins, log-outs and failed log-ins go to the audit log."""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from civica.audit.models import Action
from civica.audit.services import record


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    record(actor=user, action=Action.LOGIN)


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        record(actor=user, action=Action.LOGOUT)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    # The attempted username is kept (it is what an administrator needs to spot guessing);
    # the password never is.
    record(
        actor=None,
        action=Action.LOGIN_FAILED,
        detail={"username": str(credentials.get("username", ""))[:150]},
    )
