"""The police records and saved scenarios in Django admin: audited, and a change form saved
from a stale copy is refused (``core.admin_guard`` through ``AuditedAdminMixin``)."""

from django.contrib import admin
from django.db.models import F

from civica.audit.mixins import AuditedAdminMixin
from civica.police import models as m


class _RecordAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_filter = ["municipality__state"]
    search_fields = ["municipality__cvegeo", "municipality__name"]
    list_select_related = ["municipality"]
    autocomplete_fields = ["municipality"]


@admin.register(m.Headcount)
class HeadcountAdmin(_RecordAdmin):
    list_display = ["municipality", "as_of", "rank", "function", "sex", "officers"]


@admin.register(m.PayStep)
class PayStepAdmin(_RecordAdmin):
    list_display = ["municipality", "valid_from", "rank", "gross_monthly", "net_monthly"]


@admin.register(m.Benefit)
class BenefitAdmin(_RecordAdmin):
    list_display = ["municipality", "valid_from", "benefit", "officers_covered"]


@admin.register(m.ShiftAssignment)
class ShiftAssignmentAdmin(_RecordAdmin):
    list_display = ["municipality", "valid_from", "scheme", "officers"]


@admin.register(m.StaffMovement)
class StaffMovementAdmin(_RecordAdmin):
    list_display = ["municipality", "month", "movement", "reason", "officers"]


@admin.register(m.Certification)
class CertificationAdmin(_RecordAdmin):
    list_display = ["municipality", "as_of", "function", "officers", "confianza_in_force"]


@admin.register(m.BudgetLine)
class BudgetLineAdmin(_RecordAdmin):
    list_display = ["municipality", "year", "chapter", "funding", "amount"]


@admin.register(m.Scenario)
class ScenarioAdmin(_RecordAdmin):
    list_display = ["name", "municipality", "target", "first_year", "years", "created_at"]
    readonly_fields = ["created_by", "created_at", "version"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change:
            # An admin save is a new version: a scenario page opened before it must not save
            # over it (scenarios.update_scenario compares versions).
            m.Scenario.objects.filter(pk=obj.pk).update(version=F("version") + 1)
