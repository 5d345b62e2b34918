"""Administration: catalogues, sanction classes, faltas and juzgados (with their staff) are
edited here; persons and cases are listed by pseudonymous id and folio only, read-only.
Personal fields are worked on the juzgado's pages, where edits are versioned and views
audited."""

from django.contrib import admin

from civica.audit.mixins import AuditedAdminMixin
from civica.justice.models import (
    Case,
    Juzgado,
    Offence,
    OffenceCatalogue,
    PresentedPerson,
    SanctionClass,
)


class SanctionClassInline(admin.TabularInline):
    model = SanctionClass
    extra = 0


@admin.register(OffenceCatalogue)
class OffenceCatalogueAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["ordenamiento", "municipality", "valid_from", "valid_to", "fine_unit"]
    list_filter = ["fine_unit", "synthetic"]
    search_fields = ["ordenamiento", "municipality__name"]
    raw_id_fields = ["municipality"]
    inlines = [SanctionClassInline]


@admin.register(Offence)
class OffenceAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["code", "article", "fraction", "family", "sanction_class", "catalogue"]
    list_filter = ["family", "commutable", "conciliable"]
    search_fields = ["code", "text"]
    raw_id_fields = ["catalogue", "sanction_class"]


@admin.register(Juzgado)
class JuzgadoAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "municipality", "synthetic"]
    search_fields = ["name", "municipality__name"]
    raw_id_fields = ["municipality"]
    filter_horizontal = ["members"]


@admin.register(PresentedPerson)
class PresentedPersonAdmin(AuditedAdminMixin, admin.ModelAdmin):
    audit_personal_data = True
    audit_views = True
    list_display = ["pid", "sex", "synthetic", "created_at"]
    list_filter = ["synthetic", "sex"]
    search_fields = ["pid"]
    fields = ["pid", "sex", "municipality", "synthetic"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Case)
class CaseAdmin(AuditedAdminMixin, admin.ModelAdmin):
    audit_views = True
    list_display = ["folio", "juzgado", "person", "presented_at", "sanction", "closed_at"]
    list_filter = ["juzgado", "sanction", "synthetic"]
    search_fields = ["folio", "person__pid"]
    fields = ["folio", "juzgado", "person", "presented_at", "sanction", "closed_at", "version"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
