from django.contrib import admin

from civica.audit.mixins import AuditedAdminMixin
from civica.official.models import Crosswalk


@admin.register(Crosswalk)
class CrosswalkAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["level", "name_2015", "name_rnid"]
    list_filter = ["level"]
    search_fields = ["name_2015", "name_rnid"]
