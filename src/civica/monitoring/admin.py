from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext as _

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


class TargetFormSet(BaseInlineFormSet):
    """Targets repeating a period and territory are named here: Django's formset check skips
    rows with an empty state or municipality (NULL), and the model's constraint checks skip
    the indicator field of an inline form, so otherwise the database constraint would only
    answer with an error page."""

    def clean(self):
        super().clean()
        seen: dict[tuple, int] = {}
        if self.instance.pk is not None:
            in_forms = [f.instance.pk for f in self.forms if f.instance.pk is not None]
            for target in self.instance.targets.exclude(pk__in=in_forms):
                seen[(target.period, target.state, target.municipality)] = 0
        for number, form in enumerate(self.forms, start=1):
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or not data.get("period"):
                continue
            key = (data["period"].strip(), data.get("state"), data.get("municipality"))
            if seen.get(key) == 0:
                raise ValidationError(
                    _(
                        "Target %(number)d repeats a stored target of the same period and "
                        "territory; edit that one instead."
                    )
                    % {"number": number}
                )
            if key in seen:
                raise ValidationError(
                    _(
                        "Targets %(first)d and %(second)d are for the same period and "
                        "territory; keep one."
                    )
                    % {"first": seen[key], "second": number}
                )
            seen[key] = number


class TargetInline(admin.TabularInline):
    model = Target
    formset = TargetFormSet
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
