from django.contrib import admin

from civica.jobs.models import CachedResult, Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ("kind", "label", "owner", "status", "done", "total", "created_at")
    list_filter = ("status", "kind")
    readonly_fields = [field.name for field in Job._meta.fields]


@admin.register(CachedResult)
class CachedResultAdmin(admin.ModelAdmin):
    list_display = ("kind", "key", "seconds", "created_at")
    list_filter = ("kind",)
    exclude = ("value",)
    readonly_fields = ("key", "kind", "seconds", "created_at")

    def has_add_permission(self, request):  # results are computed by jobs, never typed in
        return False
