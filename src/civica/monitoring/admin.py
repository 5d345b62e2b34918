from django.contrib import admin

from civica.audit.mixins import AuditedAdminMixin
from civica.monitoring.models import (
    Activity,
    BudgetLine,
    Coverage,
    FactSheetText,
    Indicator,
    Target,
)


class BudgetLineInline(admin.TabularInline):
    model = BudgetLine
    extra = 0


@admin.register(Activity)
class ActivityAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "code", "implementer", "start_date", "end_date", "synthetic"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["implementer"]
    inlines = [BudgetLineInline]

    def save_formset(self, request, form, formset, change):
        # Budget lines are part of the activity's record: their changes are audited with it.
        super().save_formset(request, form, formset, change)
        if formset.has_changed():
            from civica.audit.services import Action, record

            record(
                actor=request.user,
                action=Action.UPDATE,
                obj=form.instance,
                detail={"budget_lines": "changed"},
            )


@admin.register(Coverage)
class CoverageAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["activity", "municipality", "start_date", "end_date", "support_type"]
    list_filter = ["support_type", "activity"]
    search_fields = ["municipality__name", "municipality__cvegeo", "activity__name"]
    autocomplete_fields = ["activity", "municipality"]
    list_select_related = ["activity", "municipality"]


class TargetInline(admin.TabularInline):
    model = Target
    extra = 0
    autocomplete_fields = ["state", "municipality"]


@admin.register(Indicator)
class IndicatorAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["code", "name_es", "unit", "computation", "direction", "order"]
    search_fields = ["code", "name_es", "name_en"]
    list_filter = ["computation", "direction"]
    inlines = [TargetInline]


@admin.register(FactSheetText)
class FactSheetTextAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["language", "title", "updated_at"]
