from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from civica.audit.mixins import AuditedAdminMixin
from civica.interventions.models import EvaluationDesign, Intervention
from civica.interventions.services import lock_design


class InterventionForm(forms.ModelForm):
    class Meta:
        model = Intervention
        fields = [
            "name",
            "kind",
            "municipality",
            "more_municipalities",
            "target_sectors",
            "target_crimes",
            "start_date",
            "end_date",
            "ramp_up_days",
            "organization",
            "activity_name",
            "description",
        ]

    def clean(self):
        data = super().clean()
        # The model checks the sectors chosen here, not the ones stored before this change.
        self.instance.stage_target_sectors(data.get("target_sectors") or [])
        self.instance.stage_more_municipalities(data.get("more_municipalities") or [])
        return data


class EvaluationDesignForm(forms.ModelForm):
    class Meta:
        model = EvaluationDesign
        fields = [
            "intervention",
            "source",
            "incident_layer",
            "before_start",
            "before_end",
            "after_start",
            "after_end",
            "comparison_sectors",
            "buffer_metres",
            "notes",
        ]

    def clean(self):
        data = super().clean()
        self.instance.stage_comparison_sectors(data.get("comparison_sectors") or [])
        return data


@admin.register(Intervention)
class InterventionAdmin(AuditedAdminMixin, admin.ModelAdmin):
    form = InterventionForm
    list_display = ["name", "kind", "municipality", "start_date", "end_date", "organization"]
    list_filter = ["kind"]
    search_fields = ["name", "municipality__name", "municipality__cvegeo"]
    autocomplete_fields = ["municipality", "more_municipalities", "organization", "target_sectors"]
    list_select_related = ["municipality", "organization"]
    date_hierarchy = "start_date"
    readonly_fields = ["created_at", "updated_at"]


@admin.register(EvaluationDesign)
class EvaluationDesignAdmin(AuditedAdminMixin, admin.ModelAdmin):
    form = EvaluationDesignForm
    list_display = [
        "intervention",
        "source",
        "before_start",
        "before_end",
        "after_start",
        "after_end",
        "locked_at",
    ]
    list_filter = ["source", ("locked_at", admin.EmptyFieldListFilter)]
    search_fields = ["intervention__name", "intervention__municipality__name"]
    autocomplete_fields = ["intervention", "comparison_sectors"]
    list_select_related = ["intervention"]
    actions = ["lock_selected"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.is_locked:
            return [f.name for f in obj._meta.fields if f.name != "id"] + ["comparison_sectors"]
        return ["locked_at", "created_at", "updated_at"]

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_locked:
            return False
        return super().has_delete_permission(request, obj)

    @admin.action(description=_("Lock the selected designs before showing results"))
    def lock_selected(self, request, queryset):
        locked = 0
        for design in queryset:
            try:
                lock_design(design=design, actor=request.user)
            except ValidationError as exc:
                self.message_user(
                    request, f"{design}: {' '.join(exc.messages)}", level=messages.ERROR
                )
            except PermissionDenied as exc:
                self.message_user(request, f"{design}: {exc}", level=messages.ERROR)
            else:
                locked += 1
        if locked:
            self.message_user(
                request, _("%(count)d designs locked.") % {"count": locked}, messages.SUCCESS
            )
