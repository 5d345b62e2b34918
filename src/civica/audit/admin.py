from django.contrib import admin

from civica.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the log is written by the application and never edited by hand."""

    list_display = [
        "at",
        "actor_username",
        "action",
        "object_type",
        "object_label",
        "personal_data",
        "ip_address",
    ]
    list_filter = ["action", "personal_data"]
    search_fields = ["actor_username", "object_type", "object_id"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_administrator
