from django.contrib import admin

from civica.audit.mixins import AuditedAdminMixin
from civica.problems.models import Milestone, Problem, ProblemAnalysis, ProblemResponse


@admin.register(Problem)
class ProblemAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["title", "municipality", "stage", "priority", "owner"]
    list_filter = ["stage", "priority"]
    search_fields = ["title", "municipality__name", "municipality__cvegeo"]
    autocomplete_fields = ["municipality", "more_municipalities", "sectors"]
    readonly_fields = ["evidence", "accepted_at", "accepted_by", "created_at", "updated_at"]
    list_select_related = ["municipality", "owner"]


@admin.register(ProblemAnalysis)
class ProblemAnalysisAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["problem", "kind", "created_at"]
    readonly_fields = ["problem", "kind", "parameters", "result", "summary", "created_by"]

    def has_add_permission(self, request):
        return False  # attached from the problem's page, where it is computed

    def has_change_permission(self, request, obj=None):
        return False  # a frozen snapshot


@admin.register(ProblemResponse)
class ProblemResponseAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["problem", "intervention", "technique", "owner", "start_date"]
    autocomplete_fields = ["problem", "intervention", "partners"]


@admin.register(Milestone)
class MilestoneAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "response", "planned_date", "done_date"]
