"""Admin integration: changes made through Django admin go to the audit log."""

from __future__ import annotations

from civica.audit.models import Action
from civica.audit.services import record
from civica.core.admin_guard import StaleEditGuardMixin


class AuditedAdminMixin(StaleEditGuardMixin):
    """Records create, update and delete; with ``audit_views`` also every change-page view.
    Change forms refuse a save over changes made since they were drawn (``StaleEditGuardMixin``).

    Set ``audit_personal_data = True`` on admins of models that hold personal data.
    """

    audit_personal_data = False
    audit_views = False

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        record(
            actor=request.user,
            action=Action.UPDATE if change else Action.CREATE,
            obj=obj,
            personal_data=self.audit_personal_data,
            detail={"fields": sorted(form.changed_data)} if change else {},
        )

    def delete_model(self, request, obj):
        record(
            actor=request.user,
            action=Action.DELETE,
            obj=obj,
            personal_data=self.audit_personal_data,
        )
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            record(
                actor=request.user,
                action=Action.DELETE,
                obj=obj,
                personal_data=self.audit_personal_data,
            )
        super().delete_queryset(request, queryset)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if self.audit_views and request.method == "GET":
            obj = self.get_object(request, object_id)
            if obj is not None:
                record(
                    actor=request.user,
                    action=Action.VIEW,
                    obj=obj,
                    personal_data=self.audit_personal_data,
                )
        return super().change_view(request, object_id, form_url, extra_context)
