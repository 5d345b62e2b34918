"""``civica audit …``: check the audit log's hash chain."""

from __future__ import annotations

import click
from django.utils.translation import gettext as _

from civica.cli.runtime import django_command


@click.group()
def audit():
    """The audit log (append-only, chained by a keyed hash).

    \b
    Example:
        civica audit verify
    """


@audit.command("verify")
@django_command
def verify():
    """Recompute the hash chain of the audit log and report the first break (exit status 1).

    \b
    Example:
        civica audit verify
    """
    from civica.audit.chain import verify as verify_chain
    from civica.audit.models import AuditEvent

    result = verify_chain(AuditEvent.objects.order_by("id").iterator(chunk_size=2000))
    if result.ok:
        click.echo(
            _("The audit log holds: %(n)d events checked, %(old)d from before the chain.")
            % {"n": result.checked, "old": result.unchained}
        )
        return
    reasons = {
        "no hash": _("it has no hash"),
        "previous hash differs": _("it does not link to the event before it"),
        "hash differs": _("its content does not match its hash"),
    }
    raise click.ClickException(
        _("The audit log is broken at event %(id)d: %(reason)s (changed, removed or inserted).")
        % {"id": result.first_break.event_id, "reason": reasons[result.first_break.reason]}
    )
