"""The append-only audit log.

Rows can be added and never changed or deleted: the model refuses it, and database triggers
(see the migration) refuse it for any client that bypasses the ORM.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    CREATE = "create", _("created")
    UPDATE = "update", _("changed")
    DELETE = "delete", _("deleted")
    VIEW = "view", _("viewed")
    EXPORT = "export", _("exported")
    LOGIN = "login", _("logged in")
    LOGOUT = "logout", _("logged out")
    LOGIN_FAILED = "login_failed", _("failed to log in")


class AppendOnlyError(RuntimeError):
    """Raised on any attempt to change or delete an audit event."""


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Audit events cannot be changed.")

    def delete(self):
        raise AppendOnlyError("Audit events cannot be deleted.")


class AuditEvent(models.Model):
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
        db_constraint=False,
    )
    # An account with a trail cannot be deleted (PROTECT: deactivate it instead); the name is
    # also kept as text so exports read without joins.
    actor_username = models.CharField(_("username"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=16, choices=Action.choices, db_index=True)
    object_type = models.CharField(_("record type"), max_length=80, blank=True)
    object_id = models.CharField(_("record id"), max_length=64, blank=True)
    # A non-personal label only (a code or pseudonymous id), never a person's name.
    object_label = models.CharField(_("record"), max_length=200, blank=True)
    personal_data = models.BooleanField(_("personal data"), default=False)
    ip_address = models.GenericIPAddressField(_("from address"), null=True, blank=True)
    path = models.CharField(_("path"), max_length=300, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    # The chain (audit/chain.py): a keyed hash of this event and the previous event's hash, so
    # a changed, removed or inserted event breaks every hash after it. Empty on events written
    # before the chain existed.
    previous_hash = models.CharField(max_length=64, blank=True, editable=False)
    hash = models.CharField(max_length=64, blank=True, editable=False, db_index=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_username} {self.action} {self.object_type}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise AppendOnlyError("Audit events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Audit events cannot be deleted.")
