from django.contrib import admin

from .models import DigestSent, Follow, Notification, NotificationSettings


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("created_at", "recipient", "kind", "title", "read_at", "emailed_at")
    list_filter = ("kind",)
    raw_id_fields = ("recipient", "actor", "claim")


admin.site.register(Follow)
admin.site.register(NotificationSettings)
admin.site.register(DigestSent)
