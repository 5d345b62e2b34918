from django.contrib import admin

from civica.audit.mixins import AuditedAdminMixin
from civica.organizations.models import Organization


@admin.register(Organization)
class OrganizationAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "municipality", "synthetic"]
    list_filter = ["kind"]
    search_fields = ["name"]
    autocomplete_fields = ["municipality"]
