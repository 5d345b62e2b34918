"""Administration: instruments are defined here (JSON definition, checked by the model, a new
version once screenings use one); persons and cases are listed by pseudonymous id only. Personal
fields are edited on the case-worker pages, where edits are versioned and views audited."""

from django.contrib import admin

from civica.audit.mixins import AuditedAdminMixin
from civica.participants.models import Enrollment, Instrument, Person


@admin.register(Instrument)
class InstrumentAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["code", "version", "name", "created_at"]
    search_fields = ["code", "name"]


@admin.register(Person)
class PersonAdmin(AuditedAdminMixin, admin.ModelAdmin):
    audit_personal_data = True
    audit_views = True
    list_display = ["pid", "sex", "municipality", "organization", "synthetic", "created_at"]
    list_filter = ["synthetic", "sex"]
    search_fields = ["pid"]
    fields = ["pid", "sex", "municipality", "sector", "organization", "synthetic", "version"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Enrollment)
class EnrollmentAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["person", "track", "organization", "case_worker", "start_date", "exit_date"]
    list_filter = ["track", "organization"]
    search_fields = ["person__pid"]
    raw_id_fields = ["person", "case_worker"]
    readonly_fields = ["person"]
