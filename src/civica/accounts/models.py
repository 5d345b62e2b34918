"""Users, with one role and a scope of territories and organizations."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from civica.accounts.roles import Capability, Role, capabilities_of


class User(AbstractUser):
    role = models.CharField(
        _("role"),
        max_length=24,
        choices=Role.choices,
        default=Role.DONOR_VIEWER,
        help_text=_("What the user may do; the scope limits where."),
    )
    nationwide = models.BooleanField(
        _("nationwide scope"),
        default=False,
        help_text=_("The scope covers every state and municipality."),
    )
    states = models.ManyToManyField(
        "territory.State",
        blank=True,
        related_name="+",
        verbose_name=_("states in scope"),
        help_text=_("Every municipality of these states is in scope."),
    )
    municipalities = models.ManyToManyField(
        "territory.Municipality",
        blank=True,
        related_name="+",
        verbose_name=_("municipalities in scope"),
    )
    organizations = models.ManyToManyField(
        "organizations.Organization",
        blank=True,
        related_name="members",
        verbose_name=_("organizations"),
    )
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=8,
        blank=True,
        choices=[("es-mx", "Español"), ("en", "English")],
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def save(self, *args, **kwargs):
        # The administrator role is the one way to reach Django admin and its full rights, so
        # role and the staff/superuser flags can never disagree.
        if self.role == Role.ADMINISTRATOR or self.is_superuser:
            self.role = Role.ADMINISTRATOR
            self.is_staff = self.is_superuser = True
        else:
            self.is_staff = self.is_superuser = False
        # set_password keeps the new raw password until the save: a changed password (or
        # a deactivated account) revokes every API token, which would otherwise outlive it.
        revoke = self.pk is not None and (self._password is not None or not self.is_active)
        super().save(*args, **kwargs)
        if revoke:
            from knox.models import AuthToken

            AuthToken.objects.filter(user=self).delete()

    @property
    def is_administrator(self) -> bool:
        return self.is_active and (self.is_superuser or self.role == Role.ADMINISTRATOR)

    def can(self, capability: Capability | str) -> bool:
        if not self.is_active:
            return False
        if self.is_administrator:
            return True
        return capability in capabilities_of(self.role)
