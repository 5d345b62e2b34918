"""Administration: facilities and their rules (what may be recorded inside, which roles may
enter) are kept here; lotteries are listed read-only (a draw happens only through the
service, and the model refuses strata or places changed after it)."""

from django.contrib import admin

from civica.audit.mixins import AuditedAdminMixin
from civica.reinsertion.models import Facility, Lottery


@admin.register(Facility)
class FacilityAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "state", "kind", "synthetic"]
    list_filter = ["kind", "synthetic"]
    search_fields = ["name"]
    filter_horizontal = ["organizations"]
    raw_id_fields = ["municipality"]


@admin.register(Lottery)
class LotteryAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "organization", "places", "status", "seed", "drawn_at"]
    list_filter = ["status"]
    readonly_fields = [
        "organization",
        "name",
        "track",
        "places",
        "strata",
        "status",
        "seed",
        "fingerprint",
        "drawn_at",
        "drawn_by",
    ]
    fields = readonly_fields

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
