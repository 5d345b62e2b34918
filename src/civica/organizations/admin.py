from django.contrib import admin

from civica.audit.mixins import AuditedAdminMixin
from civica.organizations.models import Alliance, Organization


@admin.register(Organization)
class OrganizationAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "municipality", "synthetic"]
    list_filter = ["kind"]
    search_fields = ["name"]
    autocomplete_fields = ["municipality"]


@admin.register(Alliance)
class AllianceAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "start_date", "end_date", "synthetic"]
    search_fields = ["name", "purpose"]
    autocomplete_fields = ["members", "municipalities"]
