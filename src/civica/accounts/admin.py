from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from civica.accounts.models import User
from civica.audit.mixins import AuditedAdminMixin


@admin.register(User)
class UserAdmin(AuditedAdminMixin, BaseUserAdmin):
    audit_personal_data = True
    audit_views = True
    list_display = ["username", "role", "nationwide", "is_active", "last_login"]
    list_filter = ["role", "nationwide", "is_active"]
    filter_horizontal = ["states", "municipalities", "organizations", "groups", "user_permissions"]
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (
            _("Role and scope"),
            {
                "fields": [
                    "role",
                    "nationwide",
                    "states",
                    "municipalities",
                    "organizations",
                    "preferred_language",
                ]
            },
        ),
    )
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        (_("Role and scope"), {"fields": ["role", "nationwide"]}),
    )
