from django.contrib import admin

from civica.audit.mixins import AuditedAdminMixin
from civica.territory.models import Municipality, PopulationEstimate, Sector, State


@admin.register(State)
class StateAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["code", "name", "abbreviation", "area_km2", "synthetic"]
    search_fields = ["code", "name"]


@admin.register(Municipality)
class MunicipalityAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["cvegeo", "name", "state", "area_km2", "synthetic"]
    list_filter = ["state"]
    search_fields = ["cvegeo", "name"]
    list_select_related = ["state"]


@admin.register(Sector)
class SectorAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "layer", "kind", "municipality", "area_km2", "population"]
    list_filter = ["layer", "kind"]
    search_fields = ["name"]
    autocomplete_fields = ["municipality"]


@admin.register(PopulationEstimate)
class PopulationEstimateAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["state", "municipality", "year", "total", "men", "women", "source"]
    list_filter = ["year", "source"]
    search_fields = ["municipality__cvegeo", "municipality__name"]
    autocomplete_fields = ["state", "municipality"]
