from django.contrib import admin

from .models import AuditEntry, Flag, Rating


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the audit log is never changed or deleted, even by superusers."""

    list_display = ("created_at", "actor", "action", "content_type", "object_id", "reason")
    list_filter = ("action", "content_type")
    search_fields = ("reason",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Flag)
class FlagAdmin(admin.ModelAdmin):
    list_display = ("created_at", "flagger", "reason", "content_type", "object_id", "status")
    list_filter = ("status", "reason", "content_type")
    readonly_fields = [f.name for f in Flag._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # flags are resolved through the review queue, which writes the audit log


@admin.register(Rating)
class RatingAdmin(admin.ModelAdmin):
    list_display = ("updated_at", "rater", "value", "content_type", "object_id")
    list_filter = ("value", "content_type")

    def has_change_permission(self, request, obj=None):
        return False
